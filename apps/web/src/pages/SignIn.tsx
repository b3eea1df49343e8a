import { useState, type FormEvent } from 'react';
import { publicApi } from '../api-clients';
import { ok, problemOf } from '../api/client';
import { ErrorSummary, TextInput, errorFor, type ErrorItem } from '../components/forms';
import { Notice, PageHeading } from '../components/page';
import { Link, navigate, useLocation } from '../router';
import { homeFor, saveSession, supporterIdFrom } from '../session';

export function SignInPage() {
  const { query } = useLocation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<ErrorItem[]>([]);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const errs: ErrorItem[] = [];
    if (!email.trim()) errs.push({ id: 'email', text: 'Enter your e-mail address' });
    if (!password) errs.push({ id: 'password', text: 'Enter your password' });
    setErrors(errs);
    if (errs.length) return;
    setBusy(true);
    try {
      const res = await ok(publicApi.POST('/api/v1/auth/login', { body: { email: email.trim(), password } }));
      const role = res.user.role;
      saveSession({
        token: res.accessToken,
        user: { id: res.user.id, email: res.user.email, role, supporterId: supporterIdFrom(res.accessToken, res.user) },
      });
      const next = query.get('next');
      navigate(
        next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/signin') ? next : homeFor(role),
        { replace: true },
      );
    } catch (err) {
      const p = problemOf(err);
      if (p.status === 401) setErrors([{ id: 'email', text: 'The e-mail address or password is not right' }]);
      else if (p.status === 429)
        setErrors([{ id: 'email', text: 'Too many attempts. Wait a minute, then try again.' }]);
      else if (p.status === 400) setErrors([{ id: 'email', text: 'Enter a valid e-mail address and password' }]);
      else setErrors([{ text: p.detail ?? 'Signing in failed. Try again.' }]);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="narrow">
      <ErrorSummary errors={errors} />
      {query.get('expired') && !errors.length && (
        <Notice kind="warning">Your session has ended. Sign in again to carry on.</Notice>
      )}
      <PageHeading>Sign in</PageHeading>
      <p className="body">For intake staff, supporters and administrators of the support line.</p>
      <form onSubmit={submit} noValidate>
        <TextInput
          id="email"
          label="E-mail address"
          type="email"
          autoComplete="username"
          spellCheck={false}
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={errorFor(errors, 'email')}
        />
        <TextInput
          id="password"
          label="Password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={errorFor(errors, 'password')}
        />
        <button type="submit" className="button" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <div className="signin-public" data-testid="ask-for-support-link">
        <h2 className="heading-s">Not on the staff?</h2>
        <p className="body">
          If you are a doctor or a medical student and would like support,{' '}
          <Link href="/ask-for-support">ask for support online</Link> and we will call you back.
        </p>
      </div>
    </div>
  );
}
