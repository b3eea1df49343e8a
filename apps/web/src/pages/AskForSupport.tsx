// The public "Ask for support" page (no login): POST /api/v1/requests.
// The risk question comes first; a "yes" shows where to get urgent help and
// nothing else. A request lands in the intake queue as a web intake.
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { publicApi } from '../api-clients';
import { ok, problemOf } from '../api/client';
import type { Schemas } from '../api/client';
import { Checkbox, ErrorSummary, Radios, TextArea, TextInput, errorFor, problemErrors, type ErrorItem } from '../components/forms';
import { TimeZoneSelect } from '../components/TimeZoneSelect';
import { EmergencyNumbers, SupportLineCall, SupportLinePhone, telHref, useSupportLine } from '../components/SupportLine';
import { PageHeading } from '../components/page';
import { Link } from '../router';
import { browserZone, timeZones } from '../time';

type YesNo = 'yes' | 'no';
type SupportRequest = Schemas['SupportRequestDto'];
type SupportAnswer = Schemas['SupportRequestResponse'];
type Service = SupportRequest['service'];
type CallerRole = SupportRequest['caller']['role'];

/** The acknowledgement policy's default; GET /policies needs a sign-in, so the page cannot read it. */
/** Only if the answer does not say (the API answers with the policy's figure). */
const DEFAULT_CALLBACK_WORKING_HOURS = 24;
const PREFERRED_TIMES_MAX = 500;
const MESSAGE_MAX = 2000;

const FIELD_IDS: Record<string, string> = {
  service: 'service',
  'caller.name': 'name',
  'caller.phone': 'phone',
  'caller.email': 'email',
  'caller.role': 'role',
  'caller.timeZone': 'timeZone',
  preferredTimes: 'preferredTimes',
  message: 'message',
  gmcInvestigation: 'gmc',
  'consent.privacyNotice': 'consent',
  consent: 'consent',
  'risk.immediateDanger': 'risk',
};
const FIELD_LABELS: Record<string, string> = {
  service: 'Service',
  name: 'Name',
  phone: 'Phone number',
  email: 'E-mail address',
  role: 'You are a',
  timeZone: 'Time zone',
  preferredTimes: 'Good times to call',
  message: 'Message',
  gmc: 'GMC investigation',
  consent: 'Privacy notice',
  risk: 'Immediate danger',
};

export function AskForSupportPage() {
  const zones = useMemo(timeZones, []);
  const [risk, setRisk] = useState<YesNo | ''>('');
  const [service, setService] = useState<Service | ''>('');
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<CallerRole | ''>('');
  const [timeZone, setTimeZone] = useState(() => {
    const z = browserZone();
    return zones.includes(z) ? z : 'Europe/London';
  });
  const [preferredTimes, setPreferredTimes] = useState('');
  const [message, setMessage] = useState('');
  const [gmc, setGmc] = useState<YesNo | ''>('');
  const [consent, setConsent] = useState(false);
  const [website, setWebsite] = useState('');
  const [errors, setErrors] = useState<ErrorItem[]>([]);
  const [tooMany, setTooMany] = useState(false);
  const [busy, setBusy] = useState(false);
  const [answer, setAnswer] = useState<SupportAnswer | null>(null);
  const [attempt, setAttempt] = useState(0);

  /** An answer changed: its error (if any) has been dealt with (the summary takes focus again only on the next send). */
  function fix<T>(id: string, set: (v: T) => void): (v: T) => void {
    return (v: T) => {
      set(v);
      setErrors((es) => (es.some((e) => e.id === id) ? es.filter((e) => e.id !== id) : es));
    };
  }

  function validate(): ErrorItem[] {
    const e: ErrorItem[] = [];
    if (!service) e.push({ id: 'service', text: 'Select the kind of support you would like' });
    if (!name.trim()) e.push({ id: 'name', text: 'Enter your name' });
    if (!phone.trim()) e.push({ id: 'phone', text: 'Enter a phone number we can call you on' });
    else if (!/^[+()\d\s-]{6,}$/.test(phone.trim())) e.push({ id: 'phone', text: 'Enter a phone number, like 07700 900123 or +44 7700 900123' });
    if (email.trim() && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim())) e.push({ id: 'email', text: 'Enter an e-mail address in the right format, like name@example.org' });
    if (!role) e.push({ id: 'role', text: 'Select whether you are a doctor or a medical student' });
    if (preferredTimes.trim().length > PREFERRED_TIMES_MAX) e.push({ id: 'preferredTimes', text: `Good times to call must be ${PREFERRED_TIMES_MAX} characters or fewer` });
    if (message.trim().length > MESSAGE_MAX) e.push({ id: 'message', text: `Your message must be ${MESSAGE_MAX} characters or fewer` });
    if (!gmc) e.push({ id: 'gmc', text: 'Select whether you are under GMC investigation' });
    if (!consent) e.push({ id: 'consent', text: 'Agree to the privacy notice so that we can keep your details and call you' });
    return e;
  }

  async function submit(ev: FormEvent) {
    ev.preventDefault();
    setAttempt((n) => n + 1);
    const e = validate();
    setErrors(e);
    setTooMany(false);
    if (e.length) return;
    const body: SupportRequest = {
      service: service as Service,
      caller: {
        name: name.trim(),
        phone: phone.trim(),
        role: role as CallerRole,
        ...(email.trim() ? { email: email.trim() } : {}),
        timeZone,
      },
      ...(preferredTimes.trim() ? { preferredTimes: preferredTimes.trim() } : {}),
      ...(message.trim() ? { message: message.trim() } : {}),
      risk: { immediateDanger: false },
      gmcInvestigation: gmc === 'yes',
      consent: { privacyNotice: true },
      ...(website ? { website } : {}),
    };
    setBusy(true);
    try {
      const res = await ok(publicApi.POST('/api/v1/requests', { body }));
      setAnswer(res);
      window.scrollTo(0, 0);
    } catch (err) {
      const p = problemOf(err);
      if (p.status === 429) {
        setTooMany(true);
        setErrors([]);
      } else if (p.status === 400) {
        setErrors(problemErrors(p, (f) => FIELD_IDS[f], (f) => FIELD_LABELS[FIELD_IDS[f] ?? ''] ?? f));
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
      <p className="body-l">For doctors and medical students. Tell us a little about yourself and someone from the support line will call you back.</p>
      <p className="body">
        It takes about five minutes. You do not need an account. <strong>This is not an emergency service.</strong>
      </p>
      <SupportLineCall before="Would you rather talk now? Call the support line on" />
      <form onSubmit={submit} noValidate className="call-form" aria-label="Ask for support">
        <section aria-labelledby="step-risk" className="step">
          <h2 className="heading-m" id="step-risk">
            First, your safety
          </h2>
          <Radios
            id="risk"
            large
            legend="Are you in immediate danger, or might you act on thoughts of harming yourself?"
            options={[
              { value: 'yes', label: 'Yes' },
              { value: 'no', label: 'No' },
            ]}
            inline
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
              <Radios
                id="service"
                legend="Which service would you like?"
                options={[
                  { value: 'peer_support', label: 'Peer support', hint: 'Talk to another doctor, at a sociable hour' },
                  { value: 'counselling', label: 'Counselling', hint: 'A course of sessions with a qualified counsellor' },
                ]}
                value={service}
                onChange={fix('service', setService)}
                error={errorFor(errors, 'service')}
              />
            </section>

            <section aria-labelledby="step-contact" className="step">
              <h2 className="heading-m" id="step-contact">
                How we can reach you
              </h2>
              <TextInput id="name" label="Your name" autoComplete="name" value={name} onChange={(e) => fix('name', setName)(e.target.value)} error={errorFor(errors, 'name')} />
              <TextInput
                id="phone"
                label="Phone number"
                hint="We will call you on this number. A UK mobile or landline, or an international number starting with +."
                type="tel"
                autoComplete="tel"
                width="medium"
                value={phone}
                onChange={(e) => fix('phone', setPhone)(e.target.value)}
                error={errorFor(errors, 'phone')}
              />
              <TextInput
                id="email"
                label="E-mail address (optional)"
                hint="We will e-mail you to say we have your request."
                type="email"
                autoComplete="email"
                spellCheck={false}
                value={email}
                onChange={(e) => fix('email', setEmail)(e.target.value)}
                error={errorFor(errors, 'email')}
              />
              <Radios
                id="role"
                legend="You are a"
                inline
                options={[
                  { value: 'doctor', label: 'Doctor' },
                  { value: 'medical_student', label: 'Medical student' },
                ]}
                value={role}
                onChange={fix('role', setRole)}
                error={errorFor(errors, 'role')}
              />
              <TimeZoneSelect id="timeZone" label="Your time zone" hint="We offer times in your local time." value={timeZone} onChange={fix('timeZone', setTimeZone)} error={errorFor(errors, 'timeZone')} />
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
                value={preferredTimes}
                onChange={(e) => fix('preferredTimes', setPreferredTimes)(e.target.value)}
                error={errorFor(errors, 'preferredTimes')}
              />
              <TextArea
                id="message"
                label="Your message (optional)"
                hint={`Only the support line team reads it. Up to ${MESSAGE_MAX} characters.`}
                maxLength={MESSAGE_MAX}
                rows={5}
                value={message}
                onChange={(e) => fix('message', setMessage)(e.target.value)}
                error={errorFor(errors, 'message')}
              />
              <Radios
                id="gmc"
                legend="Are you under investigation by the GMC?"
                hint="If you are, we will also tell you about the Doctor Support Service."
                inline
                options={[
                  { value: 'yes', label: 'Yes' },
                  { value: 'no', label: 'No' },
                ]}
                value={gmc}
                onChange={fix('gmc', setGmc)}
                error={errorFor(errors, 'gmc')}
              />
            </section>

            <section aria-labelledby="step-consent" className="step">
              <h2 className="heading-m" id="step-consent">
                Privacy notice
              </h2>
              <p className="body">
                We keep what you tell us so that we can call you and arrange support. Only the support line team sees it. We never share it with your employer or the GMC, and
                you can ask us to delete it at any time.
              </p>
              <Checkbox id="consent" label="I agree to the privacy notice above" checked={consent} onChange={fix('consent', setConsent)} error={errorFor(errors, 'consent')} />
            </section>

            {/* A field people never see; only robots fill it in. */}
            <div className="honeypot" aria-hidden="true">
              <label htmlFor="website">Website (leave this empty)</label>
              <input id="website" name="website" type="text" tabIndex={-1} autoComplete="off" value={website} onChange={(e) => setWebsite(e.target.value)} />
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

function UrgentHelp() {
  return (
    <div className="signposting" role="alert" data-testid="signposting">
      <h2 className="heading-m">Get help now</h2>
      <p className="body-l">
        <strong>This is not an emergency service.</strong> We cannot help you quickly enough through this page.
      </p>
      <ul className="list list--bullet">
        <li>
          <strong>Call 999 or go to A&amp;E</strong> now if you are in immediate danger or might act on thoughts of harming yourself.
        </li>
        <li>
          <strong>Contact NHS 111</strong> (call 111 or use 111.nhs.uk) for urgent help that is not an emergency.
        </li>
        <li>
          <strong>Contact your GP</strong> and ask for an urgent appointment.
        </li>
      </ul>
      <p className="body">When you are safe, you can come back to this page and ask for support from the support line.</p>
    </div>
  );
}

/** Shown next to the send button, where the person is looking, and focused so it is read out. */
function TooManyRequests() {
  const ref = useRef<HTMLDivElement>(null);
  const line = useSupportLine();
  useEffect(() => {
    ref.current?.focus({ preventScroll: true });
    ref.current?.scrollIntoView({ block: 'center' });
  }, []);
  return (
    <div className="notice notice--warning" role="alert" tabIndex={-1} ref={ref} data-testid="too-many-requests">
      <h2 className="notice__title">We have had several requests from this connection</h2>
      <div className="notice__body">
        <p className="body">To keep the service safe we take only a few requests an hour from one connection. Please try again later, or phone instead:</p>
        <ul className="list list--bullet">
          <li>
            phone the support line
            {line?.supportLinePhone && (
              <>
                {' '}
                on <a href={telHref(line.supportLinePhone)}>{line.supportLinePhone}</a>
              </>
            )}{' '}
            and we will take your details on the call
          </li>
          <li>for urgent help that is not an emergency, call NHS 111</li>
          <li>in an emergency, call 999 or go to A&amp;E</li>
        </ul>
      </div>
    </div>
  );
}

function RequestReceived({ answer }: { answer: SupportAnswer }) {
  const gmcText = answer.signposting?.gmcInvestigation;
  const line = useSupportLine();
  return (
    <div className="narrow">
      <div className="panel panel--confirmation" role="status" data-testid="request-received">
        <h1 className="panel__title">We have your request</h1>
        <div className="panel__body">
          <p className="panel__label">Your reference</p>
          <p className="reference" data-testid="request-reference" aria-label={`Your reference ${answer.reference.split('').join(' ')}`}>
            {answer.reference}
          </p>
        </div>
      </div>
      <h2 className="heading-m">What happens next</h2>
      <p className="body" data-testid="callback-promise">
        We will call you within {answer.callbackWorkingHours ?? DEFAULT_CALLBACK_WORKING_HOURS} working hours. We will also send you a text message (and an e-mail, if you gave us your address) to say that we have
        your request.
      </p>
      <p className="body">Keep your reference: give it to us if you phone the support line about this request.</p>
      <SupportLinePhone line={line} before="The support line's number is" />
      {gmcText && (
        <div className="notice notice--info">
          <h2 className="notice__title">If you are under GMC investigation</h2>
          <div className="notice__body">
            <p className="body">{gmcText}</p>
          </div>
        </div>
      )}
      <p className="body">
        <strong>This is not an emergency service.</strong> If you are in immediate danger, call 999 or go to A&amp;E. For urgent help, contact NHS 111 or your GP.
      </p>
      <EmergencyNumbers line={line} />
    </div>
  );
}
