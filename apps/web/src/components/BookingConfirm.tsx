import { useEffect, useRef, useState } from 'react';
import { api } from '../api-clients';
import { ok, problemOf } from '../api/client';
import type { Booking, Slot } from '../api/types';
import { formatRange, formatWhen, formatWhenLong } from '../time';
import { ErrorSummary, Radios } from './forms';
import { label } from './page';

export type Modality = 'phone' | 'video';

export interface PendingBooking {
  supporterId: string;
  displayName: string;
  slot: Slot;
  /** A series: how many sessions, how many weeks apart. */
  series?: { count: number; intervalWeeks: number };
}

/**
 * The read-back before anything is booked: supporter, date and time in both zones, how. Nothing is sent until
 * "Book this session" (disabled while it is being booked, so a second click cannot book again).
 */
export function BookingConfirm({
  pending,
  modalities,
  defaultModality,
  staffZone,
  callerZone,
  supporterZone,
  busy,
  onConfirm,
  onBack,
}: {
  pending: PendingBooking;
  modalities: Modality[];
  defaultModality?: Modality;
  staffZone: string;
  callerZone?: string;
  supporterZone?: string;
  busy: boolean;
  onConfirm: (modality: Modality) => void;
  onBack: () => void;
}) {
  const offered: Modality[] = modalities.length ? modalities : ['phone', 'video'];
  const [modality, setModality] = useState<Modality>(
    defaultModality && offered.includes(defaultModality) ? defaultModality : offered[0],
  );
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const { slot, series } = pending;
  const showCaller = callerZone && callerZone !== staffZone;
  const what = series
    ? `${series.count} sessions, ${series.intervalWeeks === 1 ? 'every week' : `every ${series.intervalWeeks} weeks`}`
    : 'One session';
  return (
    <section className="confirm-panel" aria-labelledby="confirm-title" data-testid="booking-confirm">
      <h3 className="heading-m" id="confirm-title" tabIndex={-1} ref={heading}>
        Check with the caller before booking
      </h3>
      <dl className="summary-list">
        <div className="summary-list__row">
          <dt>Supporter</dt>
          <dd data-testid="confirm-supporter">{pending.displayName}</dd>
        </div>
        <div className="summary-list__row">
          <dt>{series ? 'First session' : 'When'}</dt>
          <dd data-testid="confirm-when">
            {formatWhenLong(slot.start, staffZone)} ({formatRange(slot.start, slot.end, staffZone)})
          </dd>
        </div>
        {supporterZone && supporterZone !== staffZone && (
          <div className="summary-list__row">
            <dt>Supporter's time</dt>
            <dd data-testid="confirm-supporter-when">
              {formatWhenLong(slot.start, supporterZone)} ({supporterZone})
            </dd>
          </div>
        )}
        {showCaller && (
          <div className="summary-list__row">
            <dt>Caller's time</dt>
            <dd data-testid="confirm-caller-when">
              {formatWhenLong(slot.start, callerZone)} ({callerZone})
            </dd>
          </div>
        )}
        <div className="summary-list__row">
          <dt>Sessions</dt>
          <dd>{what}</dd>
        </div>
        <div className="summary-list__row">
          <dt>How</dt>
          <dd data-testid="confirm-modality">{label(modality)}</dd>
        </div>
      </dl>
      {offered.length > 1 && (
        <Radios
          id="confirm-modality-choice"
          legend="Session by"
          inline
          options={offered.map((m) => ({ value: m, label: label(m) }))}
          value={modality}
          onChange={(v) => setModality(v)}
        />
      )}
      <div className="button-group">
        <button type="button" className="button" disabled={busy} onClick={() => onConfirm(modality)}>
          {busy ? 'Booking…' : series ? 'Book these sessions' : 'Book this session'}
        </button>
        <button type="button" className="button button--secondary" disabled={busy} onClick={onBack}>
          Choose another time
        </button>
      </div>
    </section>
  );
}

/**
 * The reference to read out, and Undo while the confirmations wait in the outbox (until `undoUntil`): undoing
 * cancels silently, without messaging the caller.
 */
export function BookedPanel({
  bookings,
  supporterName,
  staffZone,
  callerZone,
  onUndone,
}: {
  bookings: Booking[];
  supporterName?: string;
  staffZone: string;
  callerZone?: string;
  onUndone: () => void;
}) {
  const first = bookings[0];
  const until = Math.min(...bookings.map((b) => (b.undoUntil ? Date.parse(b.undoUntil) : 0)));
  const [now, setNow] = useState(Date.now());
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const left = Math.max(0, Math.ceil((until - now) / 1000));
  useEffect(() => {
    if (left <= 0) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [left]);

  async function undo() {
    setBusy(true);
    setError(null);
    try {
      for (const b of bookings) await ok(api.POST('/api/v1/bookings/{id}/undo', { params: { path: { id: b.id } } }));
      onUndone();
    } catch (err) {
      setError(problemOf(err).detail ?? 'The booking could not be undone. Cancel it instead.');
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="panel panel--confirmation" data-testid="booking-confirmed">
      <h2 className="panel__title" role="status">
        {bookings.length > 1 ? `${bookings.length} sessions booked` : 'Session booked'}
      </h2>
      <div className="panel__body">
        <p className="panel__label">Booking reference</p>
        <p
          className="reference"
          data-testid="booking-reference"
          aria-label={`Booking reference ${first.reference.split('').join(' ')}`}
        >
          {first.reference}
        </p>
        <p>
          {formatWhenLong(first.start, staffZone)}
          {callerZone && callerZone !== staffZone && <> (caller: {formatWhenLong(first.start, callerZone)})</>}
          <br />
          {label(first.modality)} with {supporterName ?? 'the supporter'}
        </p>
        {bookings.length > 1 && (
          <ul className="panel__list">
            {bookings.slice(1).map((b) => (
              <li key={b.id}>
                {b.reference}: {formatWhen(b.start, staffZone)}
              </li>
            ))}
          </ul>
        )}
        {error && <ErrorSummary errors={[{ text: error }]} title="Not undone" />}
        {left > 0 ? (
          <>
            <p data-testid="undo-window">The caller is sent the confirmation in {left} s unless you undo.</p>
            <button type="button" className="button button--undo" disabled={busy} onClick={() => void undo()}>
              Undo this booking<span className="visually-hidden"> (the caller is not told)</span>
            </button>
          </>
        ) : (
          <p data-testid="undo-over">The confirmation is on its way to the caller.</p>
        )}
      </div>
    </div>
  );
}
