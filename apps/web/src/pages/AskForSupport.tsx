// The public "Ask for support" page (no login): POST /api/v1/requests.
// The risk question comes first; a "yes" shows where to get urgent help and
// nothing else. A request lands in the intake queue as a web intake.
import { useMemo, useState, type FormEvent } from 'react';
import { publicApi } from '../api-clients';
import { ok, problemOf } from '../api/client';
import { RoleRadios, ServiceRadios, YesNoRadios, type YesNo } from '../components/CallerFields';
import {
  Checkbox,
  ErrorSummary,
  TextArea,
  TextInput,
  errorFor,
  problemErrors,
  type ErrorItem,
} from '../components/forms';
import { TimeZoneSelect } from '../components/TimeZoneSelect';
import { SupportLineCall } from '../components/SupportLine';
import { PageHeading } from '../components/page';
import { Link } from '../router';
import { browserZone, timeZones } from '../time';
import { RequestReceived, TooManyRequests, UrgentHelp } from './ask-for-support/Notices';
import {
  FIELD_IDS,
  FIELD_LABELS,
  MESSAGE_MAX,
  PREFERRED_TIMES_MAX,
  emptyRequest,
  requestBody,
  validateRequest,
  type RequestFields,
  type SupportAnswer,
} from './ask-for-support/fields';

export function AskForSupportPage() {
  const zones = useMemo(timeZones, []);
  const [risk, setRisk] = useState<YesNo | ''>('');
  const [f, setFields] = useState<RequestFields>(() => {
    const z = browserZone();
    return emptyRequest(zones.includes(z) ? z : 'Europe/London');
  });
  const [errors, setErrors] = useState<ErrorItem[]>([]);
  const [tooMany, setTooMany] = useState(false);
  const [busy, setBusy] = useState(false);
  const [answer, setAnswer] = useState<SupportAnswer | null>(null);
  const [attempt, setAttempt] = useState(0);

  /** An answer changed: its error (if any) has been dealt with (the summary takes focus again only on the next send). */
  function fix<K extends keyof RequestFields>(key: K): (v: RequestFields[K]) => void {
    return (v) => {
      setFields((prev) => ({ ...prev, [key]: v }));
      setErrors((es) => (es.some((e) => e.id === key) ? es.filter((e) => e.id !== key) : es));
    };
  }

  async function submit(ev: FormEvent) {
    ev.preventDefault();
    setAttempt((n) => n + 1);
    const e = validateRequest(f);
    setErrors(e);
    setTooMany(false);
    if (e.length) return;
    setBusy(true);
    try {
      const res = await ok(publicApi.POST('/api/v1/requests', { body: requestBody(f) }));
      setAnswer(res);
      window.scrollTo(0, 0);
    } catch (err) {
      const p = problemOf(err);
      if (p.status === 429) {
        setTooMany(true);
        setErrors([]);
      } else if (p.status === 400) {
        setErrors(
          problemErrors(
            p,
            (field) => FIELD_IDS[field],
            (field) => FIELD_LABELS[FIELD_IDS[field] ?? ''] ?? field,
          ),
        );
      } else {
        setErrors([{ text: 'Your request could not be sent. Try again in a few minutes, or phone the support line.' }]);
      }
    } finally {
      setBusy(false);
    }
  }

  if (answer) return <RequestReceived answer={answer} />;

  return (
    <div className="narrow">
      <ErrorSummary errors={errors} focusKey={attempt} />
      <PageHeading caption="Doctors' support line">Ask for support</PageHeading>
      <p className="body-l">
        For doctors and medical students. Tell us a little about yourself and someone from the support line will call
        you back.
      </p>
      <p className="body">
        It takes about five minutes. You do not need an account. <strong>This is not an emergency service.</strong>
      </p>
      <SupportLineCall before="Would you rather talk now? Call the support line on" />
      <form onSubmit={submit} noValidate className="call-form" aria-label="Ask for support">
        <section aria-labelledby="step-risk" className="step">
          <h2 className="heading-m" id="step-risk">
            First, your safety
          </h2>
          <YesNoRadios
            id="risk"
            large
            legend="Are you in immediate danger, or might you act on thoughts of harming yourself?"
            value={risk}
            onChange={(v) => {
              setRisk(v);
              setErrors([]);
              setTooMany(false);
            }}
            error={errorFor(errors, 'risk')}
          />
        </section>

        {risk === 'yes' && <UrgentHelp />}

        {risk === 'no' && (
          <>
            <section aria-labelledby="step-service" className="step">
              <h2 className="heading-m" id="step-service">
                The support you would like
              </h2>
              <ServiceRadios
                id="service"
                legend="Which service would you like?"
                hints={{
                  peer_support: 'Talk to another doctor, at a sociable hour',
                  counselling: 'A course of sessions with a qualified counsellor',
                }}
                value={f.service}
                onChange={fix('service')}
                error={errorFor(errors, 'service')}
              />
            </section>

            <section aria-labelledby="step-contact" className="step">
              <h2 className="heading-m" id="step-contact">
                How we can reach you
              </h2>
              <TextInput
                id="name"
                label="Your name"
                autoComplete="name"
                value={f.name}
                onChange={(e) => fix('name')(e.target.value)}
                error={errorFor(errors, 'name')}
              />
              <TextInput
                id="phone"
                label="Phone number"
                hint="We will call you on this number. A UK mobile or landline, or an international number starting with +."
                type="tel"
                autoComplete="tel"
                width="medium"
                value={f.phone}
                onChange={(e) => fix('phone')(e.target.value)}
                error={errorFor(errors, 'phone')}
              />
              <TextInput
                id="email"
                label="E-mail address (optional)"
                hint="We will e-mail you to say we have your request."
                type="email"
                autoComplete="email"
                spellCheck={false}
                value={f.email}
                onChange={(e) => fix('email')(e.target.value)}
                error={errorFor(errors, 'email')}
              />
              <RoleRadios
                id="role"
                legend="You are a"
                value={f.role}
                onChange={fix('role')}
                error={errorFor(errors, 'role')}
              />
              <TimeZoneSelect
                id="timeZone"
                label="Your time zone"
                hint="We offer times in your local time."
                value={f.timeZone}
                onChange={fix('timeZone')}
                error={errorFor(errors, 'timeZone')}
              />
            </section>

            <section aria-labelledby="step-words" className="step">
              <h2 className="heading-m" id="step-words">
                When to call, and anything you would like us to know
              </h2>
              <TextArea
                id="preferredTimes"
                label="Good times to call (optional)"
                hint={`For example, "weekday evenings after 6pm". Up to ${PREFERRED_TIMES_MAX} characters.`}
                maxLength={PREFERRED_TIMES_MAX}
                value={f.preferredTimes}
                onChange={(e) => fix('preferredTimes')(e.target.value)}
                error={errorFor(errors, 'preferredTimes')}
              />
              <TextArea
                id="message"
                label="Your message (optional)"
                hint={`Only the support line team reads it. Up to ${MESSAGE_MAX} characters.`}
                maxLength={MESSAGE_MAX}
                rows={5}
                value={f.message}
                onChange={(e) => fix('message')(e.target.value)}
                error={errorFor(errors, 'message')}
              />
              <YesNoRadios
                id="gmc"
                legend="Are you under investigation by the GMC?"
                hint="If you are, we will also tell you about the Doctor Support Service."
                value={f.gmc}
                onChange={fix('gmc')}
                error={errorFor(errors, 'gmc')}
              />
            </section>

            <section aria-labelledby="step-consent" className="step">
              <h2 className="heading-m" id="step-consent">
                Privacy notice
              </h2>
              <p className="body">
                We keep what you tell us so that we can call you and arrange support. Only the support line team sees
                it. We never share it with your employer or the GMC, and you can ask us to delete it at any time.
              </p>
              <Checkbox
                id="consent"
                label="I agree to the privacy notice above"
                checked={f.consent}
                onChange={fix('consent')}
                error={errorFor(errors, 'consent')}
              />
            </section>

            {/* A field people never see; only robots fill it in. */}
            <div className="honeypot" aria-hidden="true">
              <label htmlFor="website">Website (leave this empty)</label>
              <input
                id="website"
                name="website"
                type="text"
                tabIndex={-1}
                autoComplete="off"
                value={f.website}
                onChange={(e) => setFields((prev) => ({ ...prev, website: e.target.value }))}
              />
            </div>

            {tooMany && <TooManyRequests />}

            <div className="button-group">
              <button type="submit" className="button" disabled={busy}>
                {busy ? 'Sending…' : 'Send my request'}
              </button>
            </div>
          </>
        )}
      </form>
      <p className="body-s secondary-text">
        Support line staff: <Link href="/signin">sign in</Link>.
      </p>
    </div>
  );
}
