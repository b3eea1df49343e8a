import { useState, type FormEvent } from 'react';
import { api } from '../api-clients';
import { ok, problemOf } from '../api/client';
import type { Booking } from '../api/types';
import { ErrorSummary, TextArea, errorFor, type ErrorItem } from './forms';

/**
 * Cancels one session with a reason (the caller is told it is cancelled, not why): in an intake's bookings table
 * and under time off that clashes with a session.
 */
export function CancelBookingForm({
  booking,
  onDone,
  onClose,
}: {
  booking: Booking;
  onDone: () => void;
  onClose: () => void;
}) {
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<ErrorItem[]>([]);
  const [busy, setBusy] = useState(false);
  const fid = `cancel-reason-${booking.id}`;
  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!reason.trim()) {
      setErrors([{ id: fid, text: 'Enter why the session is cancelled' }]);
      return;
    }
    setBusy(true);
    try {
      await ok(
        api.POST('/api/v1/bookings/{id}/cancel', {
          params: { path: { id: booking.id } },
          body: { reason: reason.trim() },
        }),
      );
      onDone();
    } catch (err) {
      setErrors([{ id: fid, text: problemOf(err).detail ?? 'The session could not be cancelled' }]);
    } finally {
      setBusy(false);
    }
  }
  return (
    <form onSubmit={submit} noValidate className="inline-form" aria-label={`Cancel ${booking.reference}`}>
      <ErrorSummary errors={errors} />
      <TextArea
        id={fid}
        label="Reason for cancelling"
        hint="The caller is told the session is cancelled, not why."
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        error={errorFor(errors, fid)}
        autoFocus
      />
      <div className="button-group button-group--tight">
        <button type="submit" className="button button--warning button--small" disabled={busy}>
          Cancel the session
        </button>
        <button type="button" className="link-button" onClick={onClose}>
          Keep it
        </button>
      </div>
    </form>
  );
}
