import { useState, type FormEvent } from 'react';
import { api } from '../api-clients';
import { ok, problemOf } from '../api/client';
import type { CreateIntake } from '../api/types';
import { Checkbox, ErrorSummary, Radios, Select, TextInput, errorFor, problemErrors, type ErrorItem } from '../components/forms';
import { CallerWork, usePhoneSearch } from '../components/CallerHits';
import { LanguagePicker } from '../components/LanguagePicker';
import { PrivacyNoticeScript } from '../components/PrivacyNoticeScript';
import { TimeZoneSelect } from '../components/TimeZoneSelect';
import { Notice, PageHeading } from '../components/page';
import { SignpostedRecord } from '../components/SignpostedRecord';
import { clearDraft, useDraft } from '../drafts';
import { Link, navigate } from '../router';
import { IMMEDIATE_DANGER_SCRIPT } from '../signposting';

type YesNo = 'yes' | 'no';
type Service = CreateIntake['service'];
type CallerRole = CreateIntake['caller']['role'];

const FIELD_IDS: Record<string, string> = {
  service: 'service',
  'caller.name': 'name',
  'caller.phone': 'phone',
  'caller.email': 'email',
  'caller.role': 'role',
  'caller.specialty': 'specialty',
  'caller.workplace': 'workplace',
  'caller.timeZone': 'timeZone',
  'caller.gender': 'gender',
  'caller.ethnicity': 'ethnicity',
  'caller.age': 'age',
  'preferences.supporterGender': 'supporterGender',
  'preferences.languages': 'languages',
  'preferences.modality': 'modality',
  'preferences.sameSpecialty': 'sameSpecialty',
  gmcInvestigation: 'gmc',
  'consent.privacyNotice': 'consent',
  'risk.immediateDanger': 'risk',
};
const FIELD_LABELS: Record<string, string> = {
  service: 'Service',
  name: 'Name',
  phone: 'Phone number',
  email: 'E-mail address',
  role: 'Caller is a',
  timeZone: 'Time zone',
  age: 'Age',
  languages: 'Languages',
  consent: 'Consent',
  gmc: 'GMC investigation',
};

/** The sessionStorage draft of this form (drafts.ts). */
const DRAFT = 'new-call';

export function NewCallPage() {
  const [round, setRound] = useState(0);
  return <NewCallForm key={round} onReset={() => setRound((r) => r + 1)} />;
}

function NewCallForm({ onReset }: { onReset: () => void }) {
  const [risk, setRisk] = useState<YesNo | ''>('');
  const [phone, setPhone] = useState('');
  const [service, setService] = useState<Service | ''>('');
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<CallerRole | ''>('');
  const [specialty, setSpecialty] = useState('');
  const [workplace, setWorkplace] = useState('');
  const [timeZone, setTimeZone] = useState('Europe/London');
  const [gender, setGender] = useState('');
  const [age, setAge] = useState('');
  const [supporterGender, setSupporterGender] = useState('');
  const [languages, setLanguages] = useState('');
  const [modality, setModality] = useState<'' | 'phone' | 'video'>('');
  const [sameSpecialty, setSameSpecialty] = useState<'any' | 'prefer' | 'avoid'>('any');
  const [gmc, setGmc] = useState<YesNo | ''>('');
  const [consent, setConsent] = useState(false);
  const [errors, setErrors] = useState<ErrorItem[]>([]);
  const [busy, setBusy] = useState(false);
  const lookup = usePhoneSearch(risk === 'no' ? phone : '');
  const [confirmNo, setConfirmNo] = useState(false);
  const draft = { risk, phone, service, name, email, role, specialty, workplace, timeZone, gender, age, supporterGender, languages, modality, sameSpecialty, gmc, consent };
  const restored = useDraft(DRAFT, draft, risk === 'no', (d) => {
    setRisk(d.risk); setPhone(d.phone); setService(d.service); setName(d.name); setEmail(d.email); setRole(d.role); setSpecialty(d.specialty);
    setWorkplace(d.workplace); setTimeZone(d.timeZone); setGender(d.gender); setAge(d.age); setSupporterGender(d.supporterGender);
    setLanguages(d.languages); setModality(d.modality); setSameSpecialty(d.sameSpecialty); setGmc(d.gmc); setConsent(d.consent);
  });

  // Yes to the risk question is the answer that matters most: taking it back is confirmed, never a slip.
  function changeRisk(v: YesNo) {
    if (risk === 'yes' && v === 'no') setConfirmNo(true);
    else setRisk(v);
  }

  function reset() {
    clearDraft(DRAFT);
    onReset();
    window.scrollTo(0, 0);
  }

  function validate(): ErrorItem[] {
    const e: ErrorItem[] = [];
    if (!risk) e.push({ id: 'risk', text: 'Select whether the caller is in immediate danger' });
    if (!phone.trim()) e.push({ id: 'phone', text: "Enter the caller's phone number" });
    else if (!/^[+()\d\s-]{6,}$/.test(phone.trim())) e.push({ id: 'phone', text: 'Enter a phone number, like 07700 900123 or +44 7700 900123' });
    if (!service) e.push({ id: 'service', text: 'Select the service the caller wants' });
    if (!name.trim()) e.push({ id: 'name', text: "Enter the caller's name" });
    if (email.trim() && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim())) e.push({ id: 'email', text: 'Enter an e-mail address in the right format, like name@example.org' });
    if (!role) e.push({ id: 'role', text: 'Select whether the caller is a doctor or a medical student' });
    if (age && !/^\d{1,3}$/.test(age)) e.push({ id: 'age', text: 'Enter the age as a whole number' });
    if (languages.trim() && !languages.split(',').every((l) => /^[a-z]{2}$/i.test(l.trim()))) e.push({ id: 'languages', text: 'Enter languages as two-letter codes separated by commas, like en, cy' });
    if (!gmc) e.push({ id: 'gmc', text: 'Select whether the caller is under GMC investigation' });
    if (!consent) e.push({ id: 'consent', text: 'The caller must agree to the privacy notice before their details are recorded' });
    return e;
  }

  async function submit(ev: FormEvent) {
    ev.preventDefault();
    const e = validate();
    setErrors(e);
    if (e.length) return;
    const body: CreateIntake = {
      service: service as Service,
      caller: {
        name: name.trim(),
        phone: phone.trim(),
        role: role as CallerRole,
        ...(email.trim() ? { email: email.trim() } : {}),
        ...(specialty.trim() ? { specialty: specialty.trim() } : {}),
        ...(workplace.trim() ? { workplace: workplace.trim() } : {}),
        ...(gender.trim() ? { gender: gender.trim() } : {}),
        ...(age ? { age: Number(age) } : {}),
        timeZone,
      },
      preferences: {
        ...(supporterGender ? { supporterGender } : {}),
        ...(languages.trim() ? { languages: languages.split(',').map((l) => l.trim().toLowerCase()) } : {}),
        ...(modality ? { modality } : {}),
        sameSpecialty,
      },
      risk: { immediateDanger: false },
      gmcInvestigation: gmc === 'yes',
      consent: { privacyNotice: true },
    };
    setBusy(true);
    try {
      const res = await ok(api.POST('/api/v1/intakes', { body }));
      clearDraft(DRAFT);
      navigate(`/intakes/${res.id}?new=1&tz=${encodeURIComponent(timeZone)}`);
    } catch (err) {
      const p = problemOf(err);
      setErrors(problemErrors(p, (f) => FIELD_IDS[f] ?? FIELD_IDS[f.split('.').slice(0, 2).join('.')], (f) => FIELD_LABELS[FIELD_IDS[f] ?? ''] ?? f));
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <ErrorSummary errors={errors} />
      <PageHeading caption="Intake">New call</PageHeading>
      {restored && (
        <Notice title="Your unsaved call is back">
          <p className="body" data-testid="draft-restored">
            What you had typed and not saved (for example before your sign-in ended) has been kept. Check it, then carry on.
          </p>
        </Notice>
      )}
      <form onSubmit={submit} noValidate className="call-form">
        <section aria-labelledby="step-risk" className="step">
          <h2 className="heading-m" id="step-risk">
            1. Safety first
          </h2>
          <Radios
            id="risk"
            large
            legend="Is the caller in immediate danger, or might they act on thoughts of harming themselves?"
            hint="Ask this before anything else."
            options={[
              { value: 'yes', label: 'Yes' },
              { value: 'no', label: 'No' },
            ]}
            inline
            value={risk}
            onChange={changeRisk}
            error={errorFor(errors, 'risk')}
          />
          {confirmNo && (
            <div className="notice notice--warning" role="alertdialog" aria-labelledby="confirm-no-title" data-testid="confirm-risk-no">
              <h3 className="notice__title" id="confirm-no-title">
                Change the answer to No?
              </h3>
              <p className="body">You answered Yes: the caller may be in immediate danger. Change it only if the caller has told you they are safe.</p>
              <div className="button-group">
                <button
                  type="button"
                  className="button button--warning"
                  autoFocus
                  onClick={() => {
                    setConfirmNo(false);
                    setRisk('no');
                  }}
                >
                  Yes, change to No
                </button>
                <button type="button" className="button button--secondary" onClick={() => setConfirmNo(false)}>
                  Keep Yes
                </button>
              </div>
            </div>
          )}
        </section>

        {risk === 'yes' && (
          <div className="signposting" role="alert" data-testid="signposting">
            <h2 className="heading-m">Read this to the caller now</h2>
            {IMMEDIATE_DANGER_SCRIPT.map((line) => (
              <p className="body-l" key={line}>
                {line}
              </p>
            ))}
            <ul className="list list--bullet">
              <li>
                <strong>999 or A&amp;E</strong> – in immediate danger
              </li>
              <li>
                <strong>NHS 111</strong> – urgent help that is not an emergency
              </li>
              <li>
                <strong>Their GP</strong>
              </li>
            </ul>
            <p className="body">Do not book a session. Stay with the caller until they have agreed to contact one of these.</p>
          </div>
        )}

        {risk === 'no' && (
          <>
            <section aria-labelledby="step-caller" className="step">
              <h2 className="heading-m" id="step-caller">
                2. Who is calling
              </h2>
              <TextInput
                id="phone"
                label="Phone number"
                hint="We look the caller up as you type."
                type="tel"
                autoComplete="off"
                width="medium"
                value={phone}
                onChange={(e) => setPhone(e.target.value)}
                error={errorFor(errors, 'phone')}
              />
              <div aria-live="polite" data-testid="caller-lookup">
                {lookup.length > 0 && (
                  <div className="notice notice--info">
                    <h3 className="notice__title">Called before</h3>
                    {lookup.map(({ caller: c, ...work }) => (
                      <div key={c.id} className="lookup-item">
                        <p className="body">
                          <strong>{c.name ?? 'Name erased'}</strong>
                          {c.email && <> · {c.email}</>}
                          {c.lastSupporter && <> · last supported by {c.lastSupporter.displayName}</>}
                        </p>
                        <CallerWork hit={{ caller: c, ...work }} headingLevel={4} />
                        <button
                          type="button"
                          className="button button--secondary button--small"
                          onClick={() => {
                            if (c.name) setName(c.name);
                            if (c.email) setEmail(c.email);
                          }}
                        >
                          Use these details<span className="visually-hidden"> for {c.name}</span>
                        </button>
                      </div>
                    ))}
                  </div>
                )}
              </div>
              <Radios
                id="service"
                legend="Which service does the caller want?"
                options={[
                  { value: 'peer_support', label: 'Peer support', hint: 'Talk to another doctor, within sociable hours' },
                  { value: 'counselling', label: 'Counselling', hint: 'A course of sessions with a counsellor, any time' },
                ]}
                value={service}
                onChange={setService}
                error={errorFor(errors, 'service')}
              />
              <TextInput id="name" label="Name" autoComplete="off" value={name} onChange={(e) => setName(e.target.value)} error={errorFor(errors, 'name')} />
              <TextInput id="email" label="E-mail address (optional)" hint="For the confirmation and calendar invite." type="email" autoComplete="off" spellCheck={false} value={email} onChange={(e) => setEmail(e.target.value)} error={errorFor(errors, 'email')} />
              <Radios
                id="role"
                legend="The caller is a"
                inline
                options={[
                  { value: 'doctor', label: 'Doctor' },
                  { value: 'medical_student', label: 'Medical student' },
                ]}
                value={role}
                onChange={setRole}
                error={errorFor(errors, 'role')}
              />
              <div className="grid-2">
                <TextInput id="specialty" label="Specialty (optional)" value={specialty} onChange={(e) => setSpecialty(e.target.value)} error={errorFor(errors, 'specialty')} />
                <TextInput id="workplace" label="Workplace (optional)" hint="We never match them with someone who works there." value={workplace} onChange={(e) => setWorkplace(e.target.value)} error={errorFor(errors, 'workplace')} />
              </div>
              <div className="grid-2">
                <TimeZoneSelect id="timeZone" label="Caller's time zone" hint="Times are offered in the caller's local time." value={timeZone} onChange={setTimeZone} error={errorFor(errors, 'timeZone')} />
                <div className="grid-2">
                  <TextInput id="gender" label="Gender (optional)" value={gender} onChange={(e) => setGender(e.target.value)} error={errorFor(errors, 'gender')} />
                  <TextInput id="age" label="Age (optional)" inputMode="numeric" width="short" value={age} onChange={(e) => setAge(e.target.value)} error={errorFor(errors, 'age')} />
                </div>
              </div>
            </section>

            <section aria-labelledby="step-prefs" className="step">
              <h2 className="heading-m" id="step-prefs">
                3. Preferences
              </h2>
              <div className="grid-2">
                <Select id="supporterGender" label="Gender of supporter" value={supporterGender} onChange={(e) => setSupporterGender(e.target.value)}>
                  <option value="">No preference</option>
                  <option value="female">Female</option>
                  <option value="male">Male</option>
                  <option value="non-binary">Non-binary</option>
                </Select>
                <Select id="modality" label="Phone or video" value={modality} onChange={(e) => setModality(e.target.value as '' | 'phone' | 'video')}>
                  <option value="">No preference</option>
                  <option value="phone">Phone</option>
                  <option value="video">Video</option>
                </Select>
              </div>
              <div className="grid-2">
                <LanguagePicker id="languages" label="Languages (optional)" hint="Languages the caller would like to be supported in." value={languages} onChange={setLanguages} error={errorFor(errors, 'languages')} />
                <Select id="sameSpecialty" label="Supporter from the same specialty" value={sameSpecialty} onChange={(e) => setSameSpecialty(e.target.value as 'any' | 'prefer' | 'avoid')}>
                  <option value="any">No preference</option>
                  <option value="prefer">Prefer the same specialty</option>
                  <option value="avoid">Avoid the same specialty</option>
                </Select>
              </div>
            </section>

            <section aria-labelledby="step-gmc" className="step">
              <h2 className="heading-m" id="step-gmc">
                4. GMC
              </h2>
              <Radios
                id="gmc"
                legend="Is the caller under GMC investigation?"
                hint="If so, we also tell them about the Doctor Support Service."
                inline
                options={[
                  { value: 'yes', label: 'Yes' },
                  { value: 'no', label: 'No' },
                ]}
                value={gmc}
                onChange={setGmc}
                error={errorFor(errors, 'gmc')}
              />
            </section>

            <section aria-labelledby="step-consent" className="step">
              <h2 className="heading-m" id="step-consent">
                5. Consent
              </h2>
              <PrivacyNoticeScript />
              <Checkbox id="consent" label="The caller agrees to the privacy notice" checked={consent} onChange={setConsent} error={errorFor(errors, 'consent')} />
            </section>

            <div className="button-group">
              <button type="submit" className="button" disabled={busy}>
                {busy ? 'Saving…' : 'Save and find a supporter'}
              </button>
              <Link href="/intakes" className="link">
                Cancel
              </Link>
            </div>
          </>
        )}
      </form>
      {risk === 'yes' && (
        <>
          <SignpostedRecord />
          <button type="button" className="button button--secondary" onClick={reset}>
            Start a new call
          </button>
        </>
      )}
    </>
  );
}
