import { useState, type FormEvent } from 'react';
import { api } from '../api-clients';
import { ok, problemOf } from '../api/client';
import type { Booking } from '../api/types';
import { formatRange } from '../time';
import { ErrorSummary, Select, TextArea, errorFor, type ErrorItem } from './forms';

/**
 * Once an intake has a supporter, other supporters' times are not offered; a session booked with the wrong one
 * (or one who cannot take it) moves here instead: POST /bookings/:id/reassign, same time, the rules of a new
 * booking with the other supporter, audited, and the caller told.
 */
export function ReassignForm({
  upcoming,
  others,
  staffZone,
  onDone,
}: {
  upcoming: Booking[];
  others: { supporterId: string; displayName: string }[];
  staffZone: string;
  onDone: () => void;
}) {
  const [bookingId, setBookingId] = useState(upcoming[0]?.id ?? '');
  const [supporterId, setSupporterId] = useState('');
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<ErrorItem[]>([]);
  const [busy, setBusy] = useState(false);
  if (!upcoming.length || !others.length) return null;

  async function submit(e: FormEvent) {
    e.preventDefault();
    const errs: ErrorItem[] = [];
    if (!supporterId) errs.push({ id: 'reassign-supporter', text: 'Choose the supporter who takes the session' });
    if (!reason.trim()) errs.push({ id: 'reassign-reason', text: 'Enter why the session moves' });
    setErrors(errs);
    if (errs.length) return;
    setBusy(true);
    try {
      await ok(
        api.POST('/api/v1/bookings/{id}/reassign', {
          params: { path: { id: bookingId } },
          body: { supporterId, reason: reason.trim() },
        }),
      );
      onDone();
    } catch (err) {
      setErrors([{ id: 'reassign-supporter', text: problemOf(err).detail ?? 'The session could not be reassigned' }]);
    } finally {
      setBusy(false);
    }
  }

  return (
    <details className="details" data-testid="reassign">
      <summary className="details__summary">Reassign a session to another supporter</summary>
      <form onSubmit={submit} noValidate className="details__text" aria-label="Reassign a session">
        <ErrorSummary errors={errors} title="The session was not reassigned" />
        {upcoming.length > 1 && (
          <Select
            id="reassign-booking"
            label="Session"
            value={bookingId}
            onChange={(e) => setBookingId(e.target.value)}
          >
            {upcoming.map((b) => (
              <option key={b.id} value={b.id}>
                {b.reference}: {formatRange(b.start, b.end, staffZone)}
              </option>
            ))}
          </Select>
        )}
        <Select
          id="reassign-supporter"
          label="Move it to"
          hint="Same time. The caller is told who their supporter is now."
          value={supporterId}
          onChange={(e) => setSupporterId(e.target.value)}
          error={errorFor(errors, 'reassign-supporter')}
        >
          <option value="">Choose a supporter</option>
          {others.map((o) => (
            <option key={o.supporterId} value={o.supporterId}>
              {o.displayName}
            </option>
          ))}
        </Select>
        <TextArea
          id="reassign-reason"
          label="Why it moves"
          hint="Kept in the booking's history; the caller is not told why."
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          error={errorFor(errors, 'reassign-reason')}
        />
        <button type="submit" className="button button--secondary" disabled={busy}>
          Reassign the session
        </button>
      </form>
    </details>
  );
}
