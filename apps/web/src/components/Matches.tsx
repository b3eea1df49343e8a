import { useRef, useState, type FormEvent, type ReactNode } from 'react';
import { api } from '../api-clients';
import { ok, problemOf } from '../api/client';
import type { Booking, Candidate, Slot, Supporter } from '../api/types';
import { idempotencyKey, useLoad } from '../hooks';
import { formatRange, formatWhen } from '../time';
import { BookingConfirm, type Modality, type PendingBooking } from './BookingConfirm';
import { ErrorSummary, Radios, Select, TextInput, errorFor, type ErrorItem } from './forms';
import { Loading, Tag } from './page';
import { ReassignForm } from './ReassignForm';
import { SlotPicker } from './SlotPicker';

/**
 * The candidates for an intake, each with its first free times and every free time day by day; choosing a time
 * opens the read-back (BookingConfirm) and only its "Book" books. Once the intake has a supporter, only that
 * supporter's times are offered: a second booking with someone else would be refused (assigned_elsewhere).
 */
export function Matches({
  intakeId,
  assignedTo,
  preferredModality,
  staffZone,
  callerZone,
  supporters,
  when,
  onBooked,
  upcoming = [],
  onChanged,
}: {
  intakeId: string;
  /** The intake's supporter once it is assigned or booked. */
  assignedTo: string | null;
  preferredModality?: Modality;
  staffZone: string;
  callerZone?: string;
  supporters: Map<string, Supporter>;
  when: (s: Slot) => ReactNode;
  onBooked: (b: Booking[]) => void;
  /** The intake's confirmed sessions still to come (what can be reassigned). */
  upcoming?: Booking[];
  onChanged?: () => void;
}) {
  const matches = useLoad(
    () => ok(api.GET('/api/v1/intakes/{id}/matches', { params: { path: { id: intakeId }, query: { limit: 5 } } })),
    [intakeId],
  );
  const [pending, setPending] = useState<PendingBooking | null>(null);
  const [errors, setErrors] = useState<ErrorItem[]>([]);
  const [alternatives, setAlternatives] = useState<{ supporterId: string; displayName: string; slots: Slot[] } | null>(
    null,
  );
  const [busy, setBusy] = useState(false);
  const keys = useRef(new Map<string, string>());

  function review(p: PendingBooking) {
    setErrors([]);
    setPending(p);
  }

  async function book(p: PendingBooking, modality: Modality) {
    // The same read-back confirmed twice (a retry after a timeout) carries the same key: one booking, never two.
    const action = JSON.stringify([p.supporterId, p.slot.start, p.series ?? null, modality]);
    let key = keys.current.get(action);
    if (!key) {
      key = idempotencyKey();
      keys.current.set(action, key);
    }
    setBusy(true);
    setErrors([]);
    try {
      const body = { intakeId, supporterId: p.supporterId, start: p.slot.start, modality };
      const booked = p.series
        ? (
            await ok(
              api.POST('/api/v1/bookings/series', {
                headers: { 'Idempotency-Key': key },
                body: { ...body, count: p.series.count, intervalWeeks: p.series.intervalWeeks },
              }),
            )
          ).bookings
        : [await ok(api.POST('/api/v1/bookings', { headers: { 'Idempotency-Key': key }, body }))];
      setAlternatives(null);
      setPending(null);
      onBooked(booked);
    } catch (err) {
      const problem = problemOf(err);
      keys.current.delete(action);
      const items: ErrorItem[] = [{ text: `${p.displayName}: ${problem.detail ?? problem.title ?? 'booking failed'}` }];
      for (const o of problem.occurrences ?? [])
        items.push({
          text: `Session ${o.index + 1} (${formatWhen(o.start, staffZone)}): ${o.code.replace(/_/g, ' ')}`,
        });
      setErrors(items);
      setPending(null);
      setAlternatives(
        problem.alternatives?.length
          ? { supporterId: p.supporterId, displayName: p.displayName, slots: problem.alternatives }
          : null,
      );
    } finally {
      setBusy(false);
    }
  }

  if (matches.error) {
    return (
      <>
        <h2 className="heading-m">Matches</h2>
        <ErrorSummary errors={[{ text: matches.error.detail ?? 'The matches could not be loaded.' }]} />
      </>
    );
  }
  if (!matches.data) return <Loading what="Finding supporters" />;
  const { excluded } = matches.data;
  const all = matches.data.candidates;
  const candidates = assignedTo ? all.filter((c) => c.supporterId === assignedTo) : all;
  const hidden = all.length - candidates.length;
  const assignedName = assignedTo ? (supporters.get(assignedTo)?.displayName ?? 'their supporter') : null;

  return (
    <section aria-labelledby="matches-title" data-testid="matches">
      <h2 className="heading-m" id="matches-title">
        {assignedTo ? `More sessions with ${assignedName}` : 'Matches'}
      </h2>
      {assignedTo && hidden > 0 && (
        <p className="body" data-testid="others-hidden">
          This intake is with {assignedName}, so other supporters' times are not offered.
        </p>
      )}
      {assignedTo && onChanged && (
        <ReassignForm
          upcoming={upcoming.filter((b) => b.supporterId === assignedTo)}
          others={all.filter((c) => c.supporterId !== assignedTo)}
          staffZone={staffZone}
          onDone={onChanged}
        />
      )}
      <ErrorSummary errors={errors} title="The session was not booked" />
      {alternatives && (
        <div className="notice notice--info">
          <h3 className="notice__title">Other free times with this supporter</h3>
          <ul className="slot-list">
            {alternatives.slots.slice(0, 6).map((s) => (
              <li key={s.start}>
                <button
                  type="button"
                  className="button button--secondary button--small"
                  disabled={busy}
                  onClick={() =>
                    review({ supporterId: alternatives.supporterId, displayName: alternatives.displayName, slot: s })
                  }
                >
                  Choose {when(s)}
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
      {candidates.length === 0 && (
        <p className="body">
          {assignedTo
            ? `${assignedName} has no free time at the moment.`
            : 'No supporter can take this caller at the moment. The reasons are below.'}
        </p>
      )}
      <ol className="candidates">
        {candidates.map((c) => {
          const s = supporters.get(c.supporterId);
          const reviewing = pending?.supporterId === c.supporterId ? pending : null;
          return (
            <li key={c.supporterId} className="candidate" data-testid="candidate">
              <h3 className="heading-s">
                {c.displayName} {c.continuity && <Tag tone="accent">Supported this caller before</Tag>}
              </h3>
              <ul className="list list--bullet reasons">
                {c.reasons.map((r) => (
                  <li key={r.code + r.text}>{r.text}</li>
                ))}
              </ul>
              {reviewing && (
                <BookingConfirm
                  key={JSON.stringify([reviewing.slot.start, reviewing.series ?? null])}
                  pending={reviewing}
                  modalities={s?.modalities ?? []}
                  supporterZone={s?.timeZone}
                  defaultModality={preferredModality}
                  staffZone={staffZone}
                  callerZone={callerZone}
                  busy={busy}
                  onConfirm={(m) => void book(reviewing, m)}
                  onBack={() => setPending(null)}
                />
              )}
              {c.nextSlots.length > 0 ? (
                <>
                  <p className="body-s">The first free times:</p>
                  <ul className="slot-list">
                    {c.nextSlots.map((slot) => (
                      <li key={slot.start}>
                        <button
                          type="button"
                          className="button button--slot"
                          disabled={busy}
                          onClick={() => review({ supporterId: c.supporterId, displayName: c.displayName, slot })}
                        >
                          <span className="visually-hidden">Choose {c.displayName}, </span>
                          {when(slot)}
                        </button>
                      </li>
                    ))}
                  </ul>
                  <AllTimes
                    supporterId={c.supporterId}
                    supporterZone={s?.timeZone}
                    displayName={c.displayName}
                    staffZone={staffZone}
                    callerZone={callerZone}
                    disabled={busy}
                    onPick={(slot) => review({ supporterId: c.supporterId, displayName: c.displayName, slot })}
                  />
                  <SeriesForm candidate={c} staffZone={staffZone} onReview={review} />
                </>
              ) : (
                <p className="body">No free time shown.</p>
              )}
            </li>
          );
        })}
      </ol>
      {!assignedTo && excluded.length > 0 && (
        <>
          <h3 className="heading-s">Not matched</h3>
          <table className="table" data-testid="excluded">
            <caption className="visually-hidden">Supporters who cannot take this caller, and why</caption>
            <thead>
              <tr>
                <th scope="col">Supporter</th>
                <th scope="col">Why not</th>
              </tr>
            </thead>
            <tbody>
              {excluded.map((x) => (
                <tr key={x.supporterId}>
                  <td>
                    {x.displayName} {x.continuity && <Tag>Supported this caller before</Tag>}
                  </td>
                  <td>{x.reasons.map((r) => r.text).join('; ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

/** The day-by-day times behind a disclosure; asked for only once it is opened (five candidates, one request each). */
function AllTimes(props: Parameters<typeof SlotPicker>[0]) {
  const [open, setOpen] = useState(false);
  return (
    <details className="details" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary className="details__summary">All free times with {props.displayName}, day by day</summary>
      <div className="details__text">{open && <SlotPicker {...props} />}</div>
    </details>
  );
}

function SeriesForm({
  candidate,
  staffZone,
  onReview,
}: {
  candidate: Candidate;
  staffZone: string;
  onReview: (p: PendingBooking) => void;
}) {
  const base = `series-${candidate.supporterId}`;
  const [start, setStart] = useState(candidate.nextSlots[0]?.start ?? '');
  const [count, setCount] = useState('6');
  const [interval, setEvery] = useState<'1' | '2' | '3' | '4'>('1');
  const [errors, setErrors] = useState<ErrorItem[]>([]);

  function submit(e: FormEvent) {
    e.preventDefault();
    const n = Number(count);
    if (!Number.isInteger(n) || n < 1 || n > 12) {
      setErrors([{ id: `${base}-count`, text: 'Enter a number of sessions from 1 to 12' }]);
      return;
    }
    setErrors([]);
    const slot = candidate.nextSlots.find((s) => s.start === start) ?? candidate.nextSlots[0];
    onReview({
      supporterId: candidate.supporterId,
      displayName: candidate.displayName,
      slot,
      series: { count: n, intervalWeeks: Number(interval) },
    });
  }

  return (
    <details className="details">
      <summary className="details__summary">Book a series with {candidate.displayName}</summary>
      <form onSubmit={submit} noValidate className="details__text">
        <ErrorSummary errors={errors} title="The series was not booked" />
        <Select
          id={`${base}-start`}
          label="First session"
          value={start}
          onChange={(e) => setStart(e.target.value)}
          error={errorFor(errors, `${base}-start`)}
        >
          {candidate.nextSlots.map((s) => (
            <option key={s.start} value={s.start}>
              {formatRange(s.start, s.end, staffZone)}
            </option>
          ))}
        </Select>
        <TextInput
          id={`${base}-count`}
          label="Number of sessions"
          hint="1 to 12"
          inputMode="numeric"
          width="short"
          value={count}
          onChange={(e) => setCount(e.target.value)}
          error={errorFor(errors, `${base}-count`)}
        />
        <Radios
          id={`${base}-interval`}
          legend="How often"
          inline
          options={[
            { value: '1', label: 'Every week' },
            { value: '2', label: 'Every 2 weeks' },
            { value: '3', label: 'Every 3 weeks' },
            { value: '4', label: 'Every 4 weeks' },
          ]}
          value={interval}
          onChange={setEvery}
        />
        <button type="submit" className="button button--secondary">
          Check the series
        </button>
      </form>
    </details>
  );
}
