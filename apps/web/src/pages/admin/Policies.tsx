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
import { TimeZoneSelect } from '../../components/TimeZoneSelect';
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
  const [cbHours, setCbHours] = useState(String(initial.callbackWorkingHours ?? 24));
  const wh = initial.workingHours ?? {
    timeZone: 'Europe/London',
    weekdays: [1, 2, 3, 4, 5],
    start: '09:00',
    end: '17:00',
  };
  const [whStart, setWhStart] = useState(wh.start);
  const [whEnd, setWhEnd] = useState(wh.end);
  const [whDays, setWhDays] = useState<number[]>(wh.weekdays);
  const [whZone, setWhZone] = useState(wh.timeZone);
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
    if (!/^\d+$/.test(cbHours) || Number(cbHours) < 1 || Number(cbHours) > 168)
      errs.push({ id: 'callbackWorkingHours', text: 'Call back within: enter a whole number of hours from 1 to 168' });
    if (!isWallClock(whStart)) errs.push({ id: 'wh-start', text: 'Enter when the line opens on the 24-hour clock' });
    else if (!isWallClock(whEnd, true) || whEnd <= whStart)
      errs.push({ id: 'wh-end', text: 'The line must close after it opens' });
    if (!whDays.length) errs.push({ id: 'wh-weekdays', text: 'Select at least one day the line is answered' });
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
        callbackWorkingHours: Number(cbHours),
        workingHours: { timeZone: whZone, weekdays: [...whDays].sort((a, b) => a - b), start: whStart, end: whEnd },
        supportLinePhone: linePhone.trim() || null,
        emergencyNumbers: given.map((e) => ({ label: e.label.trim(), number: e.number.trim() })),
      };
      await ok(api.PUT('/api/v1/policies', { body }));
      setSaved(true);
    } catch (err) {
      setErrors(
        problemErrors(problemOf(err), (f) => {
          if (f.startsWith('sociableHours.')) return `sh-${f.split('.')[1]}`;
          if (f.startsWith('workingHours.')) return f === 'workingHours.timeZone' ? 'wh-zone' : `wh-${f.split('.')[1]}`;
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
        <HoursFields
          prefix="sh"
          labels={['From', 'Until', 'On']}
          value={{ start, end, weekdays }}
          set={{ start: setStart, end: setEnd, weekdays: setWeekdays }}
          errors={errors}
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
        <h2 className="heading-m">Call-backs</h2>
        <p className="body">
          Someone who asks for support on the web is told to expect a call within this many working hours: the hours the
          line is answered. The queue shows a call-back as overdue once they have passed.
        </p>
        <TextInput
          id="callbackWorkingHours"
          label="Call back within (working hours)"
          inputMode="numeric"
          width="short"
          value={cbHours}
          onChange={(e) => setCbHours(e.target.value)}
          error={errorFor(errors, 'callbackWorkingHours')}
        />
        <HoursFields
          prefix="wh"
          labels={['The line opens at', 'and closes at', 'Answered on']}
          value={{ start: whStart, end: whEnd, weekdays: whDays }}
          set={{ start: setWhStart, end: setWhEnd, weekdays: setWhDays }}
          errors={errors}
        />
        <TimeZoneSelect
          id="wh-zone"
          label="In the time zone"
          value={whZone}
          onChange={setWhZone}
          error={errorFor(errors, 'wh-zone')}
        />
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

/** From, until (24:00 allowed) and the days: sociable hours and the line's working hours alike. */
function HoursFields({
  prefix,
  labels,
  value,
  set,
  errors,
}: {
  prefix: string;
  labels: [string, string, string];
  value: { start: string; end: string; weekdays: number[] };
  set: { start: (v: string) => void; end: (v: string) => void; weekdays: (v: number[]) => void };
  errors: ErrorItem[];
}) {
  return (
    <>
      <div className="grid-4">
        <TextInput
          id={`${prefix}-start`}
          label={labels[0]}
          hint="24-hour clock"
          inputMode="numeric"
          width="short"
          value={value.start}
          onChange={(e) => set.start(e.target.value)}
          error={errorFor(errors, `${prefix}-start`)}
        />
        <TextInput
          id={`${prefix}-end`}
          label={labels[1]}
          hint="24-hour clock; 24:00 for midnight"
          inputMode="numeric"
          width="short"
          value={value.end}
          onChange={(e) => set.end(e.target.value)}
          error={errorFor(errors, `${prefix}-end`)}
        />
      </div>
      <CheckboxGroup
        id={`${prefix}-weekdays`}
        legend={labels[2]}
        inline
        options={WEEKDAY_NAMES.map((n, i) => ({ value: i + 1, label: n }))}
        values={value.weekdays}
        onChange={set.weekdays}
        error={errorFor(errors, `${prefix}-weekdays`)}
      />
    </>
  );
}
