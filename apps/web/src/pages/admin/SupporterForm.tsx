import { useState, type FormEvent } from 'react';
import { api } from '../../api-clients';
import { ok, problemOf } from '../../api/client';
import type { Supporter, SupporterInput } from '../../api/types';
import {
  Checkbox,
  CheckboxGroup,
  ErrorSummary,
  Radios,
  TextInput,
  errorFor,
  problemErrors,
  type ErrorItem,
} from '../../components/forms';
import { Loading, Notice, PageHeading } from '../../components/page';
import { forgetSupporters, useLoad } from '../../hooks';
import { Link, navigate } from '../../router';
import { LanguagePicker } from '../../components/LanguagePicker';
import { TimeZoneSelect } from '../../components/TimeZoneSelect';

export function SupporterFormPage({ id }: { id?: string }) {
  const existing = useLoad(
    () => (id ? ok(api.GET('/api/v1/supporters/{id}', { params: { path: { id } } })) : Promise.resolve(null)),
    [id],
  );
  if (existing.error)
    return <ErrorSummary errors={[{ text: existing.error.detail ?? 'The supporter could not be loaded.' }]} />;
  if (existing.loading && !existing.data) return <Loading />;
  return <Form key={id ?? 'new'} existing={existing.data ?? null} />;
}

const csv = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

function Form({ existing }: { existing: Supporter | null }) {
  const [kind, setKind] = useState<Supporter['kind'] | ''>(existing?.kind ?? '');
  const [displayName, setDisplayName] = useState(existing?.displayName ?? '');
  const [email, setEmail] = useState(existing?.email ?? '');
  const [phone, setPhone] = useState(existing?.phone ?? '');
  const [specialty, setSpecialty] = useState(existing?.specialty ?? '');
  const [gender, setGender] = useState(existing?.gender ?? '');
  const [languages, setLanguages] = useState(existing?.languages.join(', ') ?? 'en');
  const [timeZone, setTimeZone] = useState(existing?.timeZone ?? 'Europe/London');
  const [workplaces, setWorkplaces] = useState(existing?.workplaces.join(', ') ?? '');
  const [maxActiveCases, setMax] = useState(String(existing?.maxActiveCases ?? 4));
  const [modalities, setModalities] = useState<('phone' | 'video')[]>(existing?.modalities ?? ['phone', 'video']);
  const [active, setActive] = useState(existing?.active ?? true);
  const [errors, setErrors] = useState<ErrorItem[]>([]);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const errs: ErrorItem[] = [];
    if (!kind) errs.push({ id: 'kind', text: 'Select peer or counsellor' });
    if (!displayName.trim()) errs.push({ id: 'displayName', text: 'Enter the name callers will hear' });
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim()))
      errs.push({ id: 'email', text: 'Enter an e-mail address, like name@example.org' });
    if (!/^\d+$/.test(maxActiveCases) || Number(maxActiveCases) < 1)
      errs.push({ id: 'maxActiveCases', text: 'Enter a whole number of 1 or more' });
    if (!modalities.length) errs.push({ id: 'modalities', text: 'Select phone, video or both' });
    setErrors(errs);
    setSaved(false);
    if (errs.length) return;
    const body: SupporterInput = {
      kind: kind as Supporter['kind'],
      displayName: displayName.trim(),
      email: email.trim(),
      ...(phone.trim() ? { phone: phone.trim() } : {}),
      ...(specialty.trim() ? { specialty: specialty.trim() } : {}),
      ...(gender.trim() ? { gender: gender.trim() } : {}),
      languages: csv(languages).map((l) => l.toLowerCase()),
      timeZone,
      workplaces: csv(workplaces),
      maxActiveCases: Number(maxActiveCases),
      modalities,
      active,
    };
    setBusy(true);
    try {
      if (existing) {
        await ok(api.PATCH('/api/v1/supporters/{id}', { params: { path: { id: existing.id } }, body }));
        setSaved(true);
      } else {
        const created = await ok(api.POST('/api/v1/supporters', { body }));
        navigate(`/admin/supporters/${created.id}?created=1`);
      }
      forgetSupporters();
    } catch (err) {
      setErrors(problemErrors(problemOf(err), (f) => f.split(/[.[]/)[0]));
    } finally {
      setBusy(false);
    }
  }

  const created = new URLSearchParams(window.location.search).get('created');
  return (
    <>
      <ErrorSummary errors={errors} />
      {(saved || created) && (
        <Notice kind="success">
          {saved ? 'Changes saved.' : 'Supporter added. Now set their availability and give them a sign-in.'}
        </Notice>
      )}
      <p className="body">
        <Link href="/admin/supporters" className="back-link">
          Back to the supporters
        </Link>
      </p>
      <PageHeading caption="Admin">{existing ? `Edit ${existing.displayName}` : 'Add a supporter'}</PageHeading>
      {existing && (
        <p className="body">
          <Link href={`/admin/supporters/${existing.id}/availability`}>Availability</Link> ·{' '}
          <Link href={`/admin/supporters/${existing.id}/time-off`}>Time off</Link> ·{' '}
          <Link href={`/admin/supporters/${existing.id}/week`}>Week</Link> ·{' '}
          <Link href={`/admin/supporters/${existing.id}/profile`}>Profile</Link> ·{' '}
          <Link href={`/admin/users?supporterId=${existing.id}`}>Give a sign-in</Link>
        </p>
      )}
      <form onSubmit={submit} noValidate>
        <Radios
          id="kind"
          legend="Kind"
          inline
          options={[
            { value: 'peer', label: 'Peer (a doctor)' },
            { value: 'counsellor', label: 'Counsellor' },
          ]}
          value={kind}
          onChange={setKind}
          error={errorFor(errors, 'kind')}
        />
        <TextInput
          id="displayName"
          label="Name"
          value={displayName}
          onChange={(e) => setDisplayName(e.target.value)}
          error={errorFor(errors, 'displayName')}
        />
        <div className="grid-2">
          <TextInput
            id="email"
            label="E-mail address"
            type="email"
            spellCheck={false}
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            error={errorFor(errors, 'email')}
          />
          <TextInput
            id="phone"
            label="Phone (optional)"
            type="tel"
            value={phone}
            onChange={(e) => setPhone(e.target.value)}
            error={errorFor(errors, 'phone')}
          />
        </div>
        <div className="grid-2">
          <TextInput
            id="specialty"
            label="Specialty (optional)"
            value={specialty}
            onChange={(e) => setSpecialty(e.target.value)}
            error={errorFor(errors, 'specialty')}
          />
          <TextInput
            id="gender"
            label="Gender (optional)"
            value={gender}
            onChange={(e) => setGender(e.target.value)}
            error={errorFor(errors, 'gender')}
          />
        </div>
        <div className="grid-2">
          <LanguagePicker
            id="languages"
            label="Languages"
            value={languages}
            onChange={setLanguages}
            error={errorFor(errors, 'languages')}
          />
          <TimeZoneSelect
            id="timeZone"
            label="Time zone"
            value={timeZone}
            onChange={setTimeZone}
            error={errorFor(errors, 'timeZone')}
          />
        </div>
        <TextInput
          id="workplaces"
          label="Workplaces"
          hint="Organisations they work at, separated by commas. Callers from these are never matched to them."
          value={workplaces}
          onChange={(e) => setWorkplaces(e.target.value)}
          error={errorFor(errors, 'workplaces')}
        />
        <TextInput
          id="maxActiveCases"
          label="Most active cases at once"
          inputMode="numeric"
          width="short"
          value={maxActiveCases}
          onChange={(e) => setMax(e.target.value)}
          error={errorFor(errors, 'maxActiveCases')}
        />
        <CheckboxGroup
          id="modalities"
          legend="Sessions by"
          inline
          options={[
            { value: 'phone' as const, label: 'Phone' },
            { value: 'video' as const, label: 'Video' },
          ]}
          values={modalities}
          onChange={setModalities}
          error={errorFor(errors, 'modalities')}
        />
        <Checkbox id="active" label="Active: can be matched and booked" checked={active} onChange={setActive} />
        <button type="submit" className="button" disabled={busy}>
          {existing ? 'Save changes' : 'Add supporter'}
        </button>
      </form>
    </>
  );
}
