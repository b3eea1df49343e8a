import { useState, type FormEvent } from 'react';
import { api } from '../../api-clients';
import { ok, problemOf } from '../../api/client';
import type { Policies } from '../../api/types';
import {
  CheckboxGroup,
  ErrorSummary,
  TextInput,
  errorFor,
  problemErrors,
  type ErrorItem,
} from '../../components/forms';
import { Loading, Notice, PageHeading } from '../../components/page';
import { useLoad } from '../../hooks';
import { WEEKDAY_NAMES, isWallClock } from '../../time';

export function PoliciesPage() {
  const p = useLoad(() => ok(api.GET('/api/v1/policies')), []);
  if (p.error) return <ErrorSummary errors={[{ text: p.error.detail ?? 'The policies could not be loaded.' }]} />;
  if (!p.data) return <Loading />;
  return <PoliciesForm initial={p.data} />;
}

const NUMBERS = [
  ['defaultDurationMinutes', 'Session length (minutes)', ''],
  ['bufferMinutes', 'Gap between sessions (minutes)', ''],
  ['minimumNoticeMinutes', 'Minimum notice (minutes)', 'No session can be booked sooner than this from now.'],
  ['bookingHorizonDays', 'Booking horizon (days)', 'No session can be booked further ahead than this.'],
] as const;
type NumberKey = (typeof NUMBERS)[number][0];

function PoliciesForm({ initial }: { initial: Policies }) {
  const [start, setStart] = useState(initial.sociableHours.start);
  const [end, setEnd] = useState(initial.sociableHours.end);
  const [weekdays, setWeekdays] = useState<number[]>(initial.sociableHours.weekdays);
  const [nums, setNums] = useState<Record<NumberKey, string>>(
    () => Object.fromEntries(NUMBERS.map(([k]) => [k, String(initial[k])])) as Record<NumberKey, string>,
  );
  const [linePhone, setLinePhone] = useState(initial.supportLinePhone ?? '');
  // the numbers as given, and one empty row to add another (empty rows are dropped on saving)
  const [emergency, setEmergency] = useState(() => [...(initial.emergencyNumbers ?? []), { label: '', number: '' }]);
  const [errors, setErrors] = useState<ErrorItem[]>([]);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const errs: ErrorItem[] = [];
    if (!isWallClock(start)) errs.push({ id: 'sh-start', text: 'Enter the start on the 24-hour clock, like 08:00' });
    else if (!isWallClock(end, true) || end <= start)
      errs.push({ id: 'sh-end', text: 'The end of sociable hours must be after the start' });
    if (!weekdays.length) errs.push({ id: 'sh-weekdays', text: 'Select at least one day' });
    for (const [k, l] of NUMBERS) if (!/^\d+$/.test(nums[k])) errs.push({ id: k, text: `${l}: enter a whole number` });
    const given = emergency.filter((e) => e.label.trim() || e.number.trim());
    given.forEach((e, n) => {
      if (!e.label.trim()) errs.push({ id: `em-${n}-label`, text: `Emergency number ${n + 1}: enter what it is for` });
      if (!/^\+?[0-9][0-9 ]{1,19}$/.test(e.number.trim()))
        errs.push({ id: `em-${n}-number`, text: `Emergency number ${n + 1}: enter the number to dial, like 999` });
    });
    if (given.length > 5) errs.push({ id: 'em-5-label', text: 'Give at most 5 emergency numbers' });
    setErrors(errs);
    setSaved(false);
    if (errs.length) return;
    setBusy(true);
    try {
      const body: Policies = {
        sociableHours: { start, end, weekdays: [...weekdays].sort((a, b) => a - b) },
        defaultDurationMinutes: Number(nums.defaultDurationMinutes),
        bufferMinutes: Number(nums.bufferMinutes),
        minimumNoticeMinutes: Number(nums.minimumNoticeMinutes),
        bookingHorizonDays: Number(nums.bookingHorizonDays),
        supportLinePhone: linePhone.trim() || null,
        emergencyNumbers: given.map((e) => ({ label: e.label.trim(), number: e.number.trim() })),
      };
      await ok(api.PUT('/api/v1/policies', { body }));
      setSaved(true);
    } catch (err) {
      setErrors(
        problemErrors(problemOf(err), (f) => {
          if (f.startsWith('sociableHours.')) return `sh-${f.split('.')[1]}`;
          if (f === 'supportLinePhone') return 'support-line-phone';
          const m = /^emergencyNumbers\[(\d+)\]\.(label|number)$/.exec(f);
          return m ? `em-${m[1]}-${m[2]}` : f;
        }),
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <ErrorSummary errors={errors} />
      {saved && <Notice kind="success">Policies saved. They apply to new bookings from now.</Notice>}
      <PageHeading caption="Admin">Policies</PageHeading>
      <form onSubmit={submit} noValidate>
        <h2 className="heading-m">Sociable hours</h2>
        <p className="body">
          Peer support sessions lie wholly inside these hours, in the local time of both the peer and the caller.
          Counselling runs at any time.
        </p>
        <div className="grid-4">
          <TextInput
            id="sh-start"
            label="From"
            hint="24-hour clock"
            inputMode="numeric"
            width="short"
            value={start}
            onChange={(e) => setStart(e.target.value)}
            error={errorFor(errors, 'sh-start')}
          />
          <TextInput
            id="sh-end"
            label="Until"
            hint="24-hour clock"
            inputMode="numeric"
            width="short"
            value={end}
            onChange={(e) => setEnd(e.target.value)}
            error={errorFor(errors, 'sh-end')}
          />
        </div>
        <CheckboxGroup
          id="sh-weekdays"
          legend="On"
          inline
          options={WEEKDAY_NAMES.map((n, i) => ({ value: i + 1, label: n }))}
          values={weekdays}
          onChange={setWeekdays}
          error={errorFor(errors, 'sh-weekdays')}
        />
        <h2 className="heading-m">Booking</h2>
        <div>
          {NUMBERS.map(([k, l, hint]) => (
            <TextInput
              key={k}
              id={k}
              label={l}
              hint={hint || undefined}
              inputMode="numeric"
              width="short"
              value={nums[k]}
              onChange={(e) => setNums({ ...nums, [k]: e.target.value })}
              error={errorFor(errors, k)}
            />
          ))}
        </div>
        <h2 className="heading-m">Numbers shown to callers</h2>
        <p className="body">
          On the ask-for-support page, the caller&apos;s manage page and in every message, as links that dial.
        </p>
        <TextInput
          id="support-line-phone"
          label="The support line's number"
          hint="As callers should dial it, like 0800 123 4567. Leave empty to show none."
          type="tel"
          width="medium"
          value={linePhone}
          onChange={(e) => setLinePhone(e.target.value)}
          error={errorFor(errors, 'support-line-phone')}
        />
        <fieldset className="fieldset">
          <legend className="fieldset__legend">Emergency numbers</legend>
          {emergency.map((e, n) => (
            <div className="grid-4" key={n}>
              <TextInput
                id={`em-${n}-label`}
                label={`Number ${n + 1}: what it is for`}
                value={e.label}
                onChange={(ev) =>
                  setEmergency(emergency.map((x, i) => (i === n ? { ...x, label: ev.target.value } : x)))
                }
                error={errorFor(errors, `em-${n}-label`)}
              />
              <TextInput
                id={`em-${n}-number`}
                label={`Number ${n + 1}: number`}
                type="tel"
                width="short"
                value={e.number}
                onChange={(ev) =>
                  setEmergency(emergency.map((x, i) => (i === n ? { ...x, number: ev.target.value } : x)))
                }
                error={errorFor(errors, `em-${n}-number`)}
              />
            </div>
          ))}
          <p className="body secondary-text">Clear both boxes of a number to remove it; the empty row adds one.</p>
        </fieldset>
        <button type="submit" className="button" disabled={busy}>
          Save policies
        </button>
      </form>
    </>
  );
}
