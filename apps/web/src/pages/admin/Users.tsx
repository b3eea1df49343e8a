import { useState, type FormEvent } from 'react';
import { api } from '../../api-clients';
import { ok, problemOf } from '../../api/client';
import type { Role, UserView } from '../../api/types';
import { ErrorSummary, Radios, Select, TextInput, errorFor, type ErrorItem } from '../../components/forms';
import { Loading, Notice, PageHeading, label } from '../../components/page';
import { useLoad, useSupporters } from '../../hooks';
import { useLocation } from '../../router';

export function UsersPage() {
  const { query } = useLocation();
  const users = useLoad(() => ok(api.GET('/api/v1/users')).then((r) => r.users), []);
  const supporters = useSupporters();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<Role | ''>(query.get('supporterId') ? 'supporter' : '');
  const [supporterId, setSupporterId] = useState(query.get('supporterId') ?? '');
  const [errors, setErrors] = useState<ErrorItem[]>([]);
  const [created, setCreated] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [changing, setChanging] = useState<string | null>(null);
  const [accessNotice, setAccessNotice] = useState<{ kind: 'success' | 'warning'; text: string } | null>(null);

  async function setAccess(u: UserView, active: boolean) {
    if (
      !active &&
      !window.confirm(`Take away ${u.email}'s access? They are signed out and cannot sign in until you give it back.`)
    )
      return;
    setChanging(u.id);
    setAccessNotice(null);
    try {
      const changed = active
        ? await ok(api.POST('/api/v1/users/{id}/reactivate', { params: { path: { id: u.id } } }))
        : await ok(api.POST('/api/v1/users/{id}/deactivate', { params: { path: { id: u.id } } }));
      setAccessNotice({
        kind: 'success',
        text: changed.active ? `${changed.email} can sign in again.` : `${changed.email} can no longer sign in.`,
      });
      users.reload();
    } catch (err) {
      setAccessNotice({ kind: 'warning', text: problemOf(err).detail ?? 'The access could not be changed.' });
    } finally {
      setChanging(null);
    }
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    const errs: ErrorItem[] = [];
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim()))
      errs.push({ id: 'user-email', text: 'Enter an e-mail address, like name@example.org' });
    if (password.length < 12) errs.push({ id: 'user-password', text: 'Enter a password of at least 12 characters' });
    if (!role) errs.push({ id: 'user-role', text: 'Select a role' });
    if (role === 'supporter' && !supporterId)
      errs.push({ id: 'user-supporter', text: 'Select the supporter this sign-in is for' });
    setErrors(errs);
    setCreated(null);
    if (errs.length) return;
    setBusy(true);
    try {
      const u = await ok(
        api.POST('/api/v1/users', {
          body: { email: email.trim(), password, role: role as Role, ...(role === 'supporter' ? { supporterId } : {}) },
        }),
      );
      setCreated(`${u.email} can now sign in as ${u.role}.`);
      setEmail('');
      setPassword('');
      users.reload();
    } catch (err) {
      const p = problemOf(err);
      if (p.code === 'email_taken')
        setErrors([{ id: 'user-email', text: 'There is already a user with this e-mail address' }]);
      else
        setErrors(
          (p.errors ?? [{ field: 'email', message: p.detail ?? 'The user could not be created' }]).map((x) => ({
            id: `user-${x.field === 'supporterId' ? 'supporter' : x.field}`,
            text: `${x.field}: ${x.message}`,
          })),
        );
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <ErrorSummary errors={errors} />
      {created && <Notice kind="success">{created}</Notice>}
      {accessNotice && <Notice kind={accessNotice.kind}>{accessNotice.text}</Notice>}
      <PageHeading caption="Admin">Users</PageHeading>
      {users.loading && !users.data && <Loading />}
      {users.data && (
        <table className="table" data-testid="users">
          <caption className="visually-hidden">Everyone who can sign in</caption>
          <thead>
            <tr>
              <th scope="col">E-mail</th>
              <th scope="col">Role</th>
              <th scope="col">Supporter</th>
              <th scope="col">Access</th>
            </tr>
          </thead>
          <tbody>
            {users.data.map((u) => (
              <tr key={u.id}>
                <td>{u.email}</td>
                <td>{label(u.role)}</td>
                <td>{u.supporterId ? (supporters.get(u.supporterId)?.displayName ?? '…') : ''}</td>
                <td>
                  <span className="visually-hidden">{u.email}: </span>
                  {u.active ? 'Active' : 'Deactivated'}{' '}
                  <button
                    type="button"
                    className={`button button--small ${u.active ? 'button--warning' : 'button--secondary'}`}
                    disabled={changing === u.id}
                    onClick={() => setAccess(u, !u.active)}
                    aria-label={u.active ? `Deactivate ${u.email}` : `Reactivate ${u.email}`}
                  >
                    {u.active ? 'Deactivate' : 'Reactivate'}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2 className="heading-m">Add a user</h2>
      <form onSubmit={submit} noValidate>
        <TextInput
          id="user-email"
          label="E-mail address"
          type="email"
          autoComplete="off"
          spellCheck={false}
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={errorFor(errors, 'user-email')}
        />
        <TextInput
          id="user-password"
          label="Password"
          hint="At least 12 characters. Give it to them in person or by phone."
          type="password"
          autoComplete="new-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={errorFor(errors, 'user-password')}
        />
        <Radios
          id="user-role"
          legend="Role"
          options={[
            { value: 'intake', label: 'Intake', hint: 'Takes calls, matches and books' },
            { value: 'supporter', label: 'Supporter', hint: 'Their own availability and sessions only' },
            { value: 'admin', label: 'Admin', hint: 'Everything' },
          ]}
          value={role}
          onChange={setRole}
          error={errorFor(errors, 'user-role')}
        />
        {role === 'supporter' && (
          <Select
            id="user-supporter"
            label="Supporter"
            value={supporterId}
            onChange={(e) => setSupporterId(e.target.value)}
            error={errorFor(errors, 'user-supporter')}
          >
            <option value="">Choose a supporter</option>
            {[...supporters.values()]
              .sort((a, b) => a.displayName.localeCompare(b.displayName))
              .map((s) => (
                <option key={s.id} value={s.id}>
                  {s.displayName}
                </option>
              ))}
          </Select>
        )}
        <button type="submit" className="button" disabled={busy}>
          Add user
        </button>
      </form>
    </>
  );
}
