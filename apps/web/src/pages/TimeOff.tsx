import { useState, type FormEvent } from 'react';
import { api } from '../api-clients';
import { ok, problemOf } from '../api/client';
import type { Booking, Supporter, TimeOff } from '../api/types';
import { TimeOffClashes } from '../components/TimeOffClashes';
import { ErrorSummary, TextInput, errorFor, type ErrorItem } from '../components/forms';
import { Loading, Notice, PageHeading } from '../components/page';
import { useLoad } from '../hooks';
import { addDays, formatWhen, isWallClock, localParts, tidyTime, zonedToUtc } from '../time';

export function TimeOffPage({ supporterId, asAdmin }: { supporterId: string; asAdmin?: boolean }) {
  const supporter = useLoad(
    () => ok(api.GET('/api/v1/supporters/{id}', { params: { path: { id: supporterId } } })),
    [supporterId],
  );
  if (!supporterId)
    return <p className="body">Your account is not linked to a supporter. Ask an administrator to link it.</p>;
  if (supporter.error) return <ErrorSummary errors={[{ text: supporter.error.detail ?? 'Could not load.' }]} />;
  if (!supporter.data) return <Loading />;
  return <TimeOffEditor supporter={supporter.data} asAdmin={asAdmin} />;
}

function TimeOffEditor({ supporter, asAdmin }: { supporter: Supporter; asAdmin?: boolean }) {
  const zone = supporter.timeZone;
  const list = useLoad(
    () =>
      ok(api.GET('/api/v1/supporters/{id}/time-off', { params: { path: { id: supporter.id } } })).then(
        (r) => r.timeOff,
      ),
    [supporter.id],
  );
  const today = localParts(Date.now(), zone).date;
  const [startDate, setStartDate] = useState(today);
  const [startTime, setStartTime] = useState('00:00');
  const [endDate, setEndDate] = useState(today);
  const [endTime, setEndTime] = useState('24:00');
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<ErrorItem[]>([]);
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [clashes, setClashes] = useState<Booking[]>([]);

  async function add(e: FormEvent) {
    e.preventDefault();
    const errs: ErrorItem[] = [];
    if (!startDate) errs.push({ id: 'off-start-date', text: 'Enter the first day' });
    if (!endDate) errs.push({ id: 'off-end-date', text: 'Enter the last day' });
    const st = tidyTime(startTime || '00:00');
    const et = tidyTime(endTime || '24:00');
    if (!isWallClock(st))
      errs.push({ id: 'off-start-time', text: 'Enter the start time on the 24-hour clock, like 09:00' });
    if (!isWallClock(et, true))
      errs.push({ id: 'off-end-time', text: 'Enter the end time on the 24-hour clock, like 17:30' });
    const valid = !errs.length;
    const start = valid && startDate ? zonedToUtc(startDate, st, zone) : null;
    const end =
      valid && endDate
        ? et === '24:00'
          ? zonedToUtc(addDays(endDate, 1), '00:00', zone)
          : zonedToUtc(endDate, et, zone)
        : null;
    if (start && end && end <= start) errs.push({ id: 'off-end-date', text: 'The end must be after the start' });
    setErrors(errs);
    if (errs.length || !start || !end) return;
    setBusy(true);
    try {
      const added = await ok(
        api.POST('/api/v1/supporters/{id}/time-off', {
          params: { path: { id: supporter.id } },
          body: {
            start: start.toISOString(),
            end: end.toISOString(),
            ...(reason.trim() ? { reason: reason.trim() } : {}),
          },
        }),
      );
      setClashes(added.overlappingSessions);
      setMessage(
        added.overlappingSessions.length
          ? 'Time off added. It overlaps booked sessions: see below.'
          : 'Time off added.',
      );
      setReason('');
      list.reload();
    } catch (err) {
      const p = problemOf(err);
      setErrors([
        {
          id: 'off-start-date',
          text:
            p.errors?.map((x) => `${x.field}: ${x.message}`).join('; ') ||
            p.detail ||
            'The time off could not be added',
        },
      ]);
    } finally {
      setBusy(false);
    }
  }

  async function remove(t: TimeOff) {
    try {
      await ok(
        api.DELETE('/api/v1/supporters/{id}/time-off/{timeOffId}', {
          params: { path: { id: supporter.id, timeOffId: t.id } },
        }),
      );
      setMessage('Time off removed.');
      list.reload();
    } catch (err) {
      setErrors([{ text: problemOf(err).detail ?? 'The time off could not be removed' }]);
    }
  }

  return (
    <>
      <ErrorSummary errors={errors} />
      {message && <Notice kind="success">{message}</Notice>}
      <PageHeading
        caption={asAdmin ? supporter.displayName : undefined}
        title={asAdmin ? `Time off of ${supporter.displayName}` : 'Time off'}
      >
        Time off
      </PageHeading>
      <p className="body">
        No sessions are offered during time off. Times are in <strong>{zone}</strong>.
      </p>
      <TimeOffClashes key={clashes.map((b) => b.id).join()} sessions={clashes} zone={zone} />
      {list.loading && !list.data && <Loading />}
      {list.data && list.data.length === 0 && <p className="body">No time off booked.</p>}
      {list.data && list.data.length > 0 && (
        <table className="table" data-testid="time-off">
          <caption className="visually-hidden">Your time off</caption>
          <thead>
            <tr>
              <th scope="col">From</th>
              <th scope="col">To</th>
              <th scope="col">Reason</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.data.map((t) => (
              <tr key={t.id}>
                <td>{formatWhen(t.start, zone)}</td>
                <td>{formatWhen(t.end, zone)}</td>
                <td>{t.reason ?? ''}</td>
                <td>
                  <button
                    type="button"
                    className="button button--secondary button--small"
                    onClick={() => void remove(t)}
                  >
                    Remove<span className="visually-hidden"> time off from {formatWhen(t.start, zone)}</span>
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2 className="heading-m">Add time off</h2>
      <form onSubmit={add} noValidate>
        <div className="grid-4">
          <TextInput
            id="off-start-date"
            label="First day"
            hint="The day it starts"
            type="date"
            value={startDate}
            onChange={(e) => setStartDate(e.target.value)}
            error={errorFor(errors, 'off-start-date')}
          />
          <TextInput
            id="off-start-time"
            label="From"
            hint="24-hour clock"
            inputMode="numeric"
            width="short"
            value={startTime}
            onChange={(e) => setStartTime(e.target.value)}
            error={errorFor(errors, 'off-start-time')}
          />
          <TextInput
            id="off-end-date"
            label="Last day"
            hint="The day it ends"
            type="date"
            value={endDate}
            onChange={(e) => setEndDate(e.target.value)}
            error={errorFor(errors, 'off-end-date')}
          />
          <TextInput
            id="off-end-time"
            label="Until"
            hint="24:00 is the end of the day"
            inputMode="numeric"
            width="short"
            value={endTime}
            onChange={(e) => setEndTime(e.target.value)}
            error={errorFor(errors, 'off-end-time')}
          />
        </div>
        <TextInput
          id="off-reason"
          label="Reason (optional)"
          hint="Only you and administrators see it."
          value={reason}
          onChange={(e) => setReason(e.target.value)}
        />
        <button type="submit" className="button" disabled={busy}>
          Add time off
        </button>
      </form>
    </>
  );
}
