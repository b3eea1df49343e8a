import { useEffect, useRef, useState } from 'react';
import type { Booking } from '../api/types';
import { formatWhen } from '../time';
import { CancelBookingForm } from './CancelBookingForm';
import { useReschedule } from './useReschedule';
import { ErrorSummary, Select, errorFor } from './forms';
import { label } from './page';

type Done = { kind: 'moved'; to: string } | { kind: 'cancelled' };

/**
 * The confirmed sessions new time off overlaps (the time-off answer's
 * overlappingSessions): each can be moved to a free time (the slots already
 * avoid the time off) or cancelled with a reason; the caller is told either way.
 */
export function TimeOffClashes({ sessions, zone }: { sessions: Booking[]; zone: string }) {
  const [done, setDone] = useState<Record<string, Done>>({});
  const heading = useRef<HTMLHeadingElement>(null);
  // the answer to "Add time off" appears here: take focus once so it is read out
  useEffect(() => heading.current?.focus(), []);
  if (!sessions.length) return null;
  const open = sessions.filter((b) => !done[b.id]).length;
  return (
    <section className="notice notice--warning" aria-labelledby="clashes-heading" data-testid="time-off-clashes">
      <h2 className="notice__title" id="clashes-heading" tabIndex={-1} ref={heading}>
        This time off overlaps {sessions.length} booked {sessions.length === 1 ? 'session' : 'sessions'}
      </h2>
      <div className="notice__body">
        <p className="body">
          {open
            ? 'They are still booked. Move or cancel each one; the caller is told. New sessions are no longer offered during the time off.'
            : 'All of them are dealt with.'}
        </p>
        <ul className="clash-list">
          {sessions.map((b) => (
            <li key={b.id} className="clash">
              <p className="body">
                <strong>{formatWhen(b.start, zone)}</strong>, {label(b.modality).toLowerCase()},{' '}
                <span className="nowrap">{b.reference}</span>
              </p>
              {done[b.id] ? (
                <p className="body" role="status">
                  {done[b.id].kind === 'cancelled'
                    ? 'Cancelled.'
                    : `Moved to ${formatWhen((done[b.id] as { to: string }).to, zone)}.`}
                </p>
              ) : (
                <ClashActions booking={b} zone={zone} onDone={(d) => setDone((prev) => ({ ...prev, [b.id]: d }))} />
              )}
            </li>
          ))}
        </ul>
      </div>
    </section>
  );
}

function ClashActions({ booking, zone, onDone }: { booking: Booking; zone: string; onDone: (d: Done) => void }) {
  const [mode, setMode] = useState<'none' | 'move' | 'cancel'>('none');
  if (mode === 'none') {
    return (
      <div className="button-group button-group--tight">
        <button type="button" className="button button--secondary button--small" onClick={() => setMode('move')}>
          Reschedule<span className="visually-hidden"> {booking.reference}</span>
        </button>
        <button type="button" className="button button--warning button--small" onClick={() => setMode('cancel')}>
          Cancel<span className="visually-hidden"> {booking.reference}</span>
        </button>
      </div>
    );
  }
  return mode === 'move' ? (
    <MoveForm booking={booking} zone={zone} onDone={onDone} onClose={() => setMode('none')} />
  ) : (
    <CancelBookingForm booking={booking} onDone={() => onDone({ kind: 'cancelled' })} onClose={() => setMode('none')} />
  );
}

function MoveForm({
  booking,
  zone,
  onDone,
  onClose,
}: {
  booking: Booking;
  zone: string;
  onDone: (d: Done) => void;
  onClose: () => void;
}) {
  const { slots, choice, setChoice, errors, busy, fid, submit } = useReschedule(booking, {
    idPrefix: 'move',
    max: 40,
    onMoved: (to) => onDone({ kind: 'moved', to }),
  });
  return (
    <form onSubmit={(e) => void submit(e)} noValidate aria-label={`Reschedule ${booking.reference}`}>
      <ErrorSummary errors={errors} />
      <Select
        id={fid}
        label="New time"
        hint={`Free times, in ${zone}`}
        value={choice}
        onChange={(e) => setChoice(e.target.value)}
        error={errorFor(errors, fid)}
        autoFocus
      >
        <option value="">
          {slots.loading
            ? 'Loading free times…'
            : slots.data?.length
              ? 'Choose a time'
              : 'No free time in the next 4 weeks'}
        </option>
        {slots.data?.map((s) => (
          <option key={s.start} value={s.start}>
            {formatWhen(s.start, zone)}
          </option>
        ))}
      </Select>
      <div className="button-group button-group--tight">
        <button type="submit" className="button button--small" disabled={busy}>
          Move the session
        </button>
        <button type="button" className="link-button" onClick={onClose}>
          Back
        </button>
      </div>
    </form>
  );
}
