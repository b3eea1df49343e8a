import { useState, type FormEvent } from 'react';
import { api } from '../../api-clients';
import { ok, problemOf } from '../../api/client';
import type { Policies } from '../../api/types';
import { CheckboxGroup, ErrorSummary, TextInput, errorFor, problemErrors, type ErrorItem } from '../../components/forms';
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
  const [nums, setNums] = useState<Record<NumberKey, string>>(() => Object.fromEntries(NUMBERS.map(([k]) => [k, String(initial[k])])) as Record<NumberKey, string>);
  const [errors, setErrors] = useState<ErrorItem[]>([]);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const errs: ErrorItem[] = [];
    if (!isWallClock(start)) errs.push({ id: 'sh-start', text: 'Enter the start on the 24-hour clock, like 08:00' });
    else if (!isWallClock(end, true) || end <= start) errs.push({ id: 'sh-end', text: 'The end of sociable hours must be after the start' });
    if (!weekdays.length) errs.push({ id: 'sh-weekdays', text: 'Select at least one day' });
    for (const [k, l] of NUMBERS) if (!/^\d+$/.test(nums[k])) errs.push({ id: k, text: `${l}: enter a whole number` });
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
      };
      await ok(api.PUT('/api/v1/policies', { body }));
      setSaved(true);
    } catch (err) {
      setErrors(problemErrors(problemOf(err), (f) => (f.startsWith('sociableHours.') ? `sh-${f.split('.')[1]}` : f)));
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
        <p className="body">Peer support sessions lie wholly inside these hours, in the local time of both the peer and the caller. Counselling runs at any time.</p>
        <div className="grid-4">
          <TextInput id="sh-start" label="From" hint="24-hour clock" inputMode="numeric" width="short" value={start} onChange={(e) => setStart(e.target.value)} error={errorFor(errors, 'sh-start')} />
          <TextInput id="sh-end" label="Until" hint="24-hour clock" inputMode="numeric" width="short" value={end} onChange={(e) => setEnd(e.target.value)} error={errorFor(errors, 'sh-end')} />
        </div>
        <CheckboxGroup id="sh-weekdays" legend="On" inline options={WEEKDAY_NAMES.map((n, i) => ({ value: i + 1, label: n }))} values={weekdays} onChange={setWeekdays} error={errorFor(errors, 'sh-weekdays')} />
        <h2 className="heading-m">Booking</h2>
        <div>
          {NUMBERS.map(([k, l, hint]) => (
            <TextInput key={k} id={k} label={l} hint={hint || undefined} inputMode="numeric" width="short" value={nums[k]} onChange={(e) => setNums({ ...nums, [k]: e.target.value })} error={errorFor(errors, k)} />
          ))}
        </div>
        <button type="submit" className="button" disabled={busy}>
          Save policies
        </button>
      </form>
    </>
  );
}
