import { useState, type FormEvent } from 'react';
import { api } from '../api-clients';
import { ok, problemOf } from '../api/client';
import type { CreateIntake } from '../api/types';
import { Link } from '../router';
import { browserZone, formatWhen } from '../time';
import { Checkbox, ErrorSummary, Radios, TextInput, errorFor, problemErrors, type ErrorItem } from './forms';
import { Notice } from './page';

type Service = CreateIntake['service'];
type CallerRole = CreateIntake['caller']['role'];
const FIELD_IDS: Record<string, string> = {
  service: 'sp-service',
  'caller.name': 'sp-name',
  'caller.phone': 'sp-phone',
  'caller.role': 'sp-role',
  'consent.privacyNotice': 'sp-consent',
};

/**
 * After the signposting has been read out: the call is saved as a signposted intake (POST /intakes with
 * risk.immediateDanger, which the API records as `signposted`, with its advice, and never books), so the line
 * can count and review such calls. Only what the record needs is asked.
 */
export function SignpostedRecord() {
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [service, setService] = useState<Service | ''>('');
  const [role, setRole] = useState<CallerRole | ''>('');
  const [consent, setConsent] = useState(false);
  const [errors, setErrors] = useState<ErrorItem[]>([]);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState<{ id: string; at: string; advice: string } | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const errs: ErrorItem[] = [];
    if (!name.trim()) errs.push({ id: 'sp-name', text: "Enter the caller's name" });
    if (!phone.trim()) errs.push({ id: 'sp-phone', text: "Enter the caller's phone number" });
    if (!service) errs.push({ id: 'sp-service', text: 'Select the service they called about' });
    if (!role) errs.push({ id: 'sp-role', text: 'Select whether the caller is a doctor or a medical student' });
    if (!consent)
      errs.push({
        id: 'sp-consent',
        text: 'The caller must agree to the privacy notice before their details are recorded',
      });
    setErrors(errs);
    if (errs.length) return;
    setBusy(true);
    try {
      const res = await ok(
        api.POST('/api/v1/intakes', {
          body: {
            service: service as Service,
            caller: { name: name.trim(), phone: phone.trim(), role: role as CallerRole, timeZone: 'Europe/London' },
            risk: { immediateDanger: true },
            consent: { privacyNotice: true },
          },
        }),
      );
      setSaved({ id: res.id, at: new Date().toISOString(), advice: res.signposting?.text ?? '' });
    } catch (err) {
      setErrors(problemErrors(problemOf(err), (f) => FIELD_IDS[f]));
    } finally {
      setBusy(false);
    }
  }

  if (saved) {
    return (
      <Notice kind="success" title="Call recorded as signposted">
        <div data-testid="signposted-saved" role="status">
          <p className="body">
            By phone, {formatWhen(saved.at, browserZone())}. Advised:{' '}
            {saved.advice || 'contact their GP, NHS 111 or A&E / 999'}. No session was booked.
          </p>
          <p className="body">
            <Link href={`/intakes/${saved.id}`}>Open the record</Link> (to add an escalation if needed)
          </p>
        </div>
      </Notice>
    );
  }

  return (
    <form onSubmit={submit} noValidate aria-labelledby="sp-title" className="step" data-testid="signposted-record">
      <h2 className="heading-m" id="sp-title">
        Then record the call
      </h2>
      <p className="body">So the line can count and review calls like this one. Nothing is booked.</p>
      <ErrorSummary errors={errors} title="The call was not recorded" />
      <TextInput
        id="sp-name"
        label="Name"
        autoComplete="off"
        value={name}
        onChange={(e) => setName(e.target.value)}
        error={errorFor(errors, 'sp-name')}
      />
      <TextInput
        id="sp-phone"
        label="Phone number"
        type="tel"
        autoComplete="off"
        width="medium"
        value={phone}
        onChange={(e) => setPhone(e.target.value)}
        error={errorFor(errors, 'sp-phone')}
      />
      <Radios
        id="sp-service"
        legend="Which service did they call about?"
        inline
        options={[
          { value: 'peer_support', label: 'Peer support' },
          { value: 'counselling', label: 'Counselling' },
        ]}
        value={service}
        onChange={setService}
        error={errorFor(errors, 'sp-service')}
      />
      <Radios
        id="sp-role"
        legend="The caller is a"
        inline
        options={[
          { value: 'doctor', label: 'Doctor' },
          { value: 'medical_student', label: 'Medical student' },
        ]}
        value={role}
        onChange={setRole}
        error={errorFor(errors, 'sp-role')}
      />
      <Checkbox
        id="sp-consent"
        label="The caller agrees to the privacy notice"
        checked={consent}
        onChange={setConsent}
        error={errorFor(errors, 'sp-consent')}
      />
      <button type="submit" className="button" disabled={busy}>
        {busy ? 'Saving…' : 'Save the signposted call'}
      </button>
    </form>
  );
}
