// Cancelling or moving one session of an intake, inline in its row of the bookings table.
import { useState, type FormEvent } from 'react';
import { api } from '../../api-clients';
import { ok, problemOf } from '../../api/client';
import type { Booking } from '../../api/types';
import { ErrorSummary, Select, TextArea, errorFor, type ErrorItem } from '../../components/forms';
import { Loading } from '../../components/page';
import { useReschedule } from '../../components/useReschedule';
import { formatRange } from '../../time';

export function CancelForm({
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

export function RescheduleForm({
  booking,
  staffZone,
  onDone,
  onClose,
}: {
  booking: Booking;
  staffZone: string;
  onDone: () => void;
  onClose: () => void;
}) {
  const { slots, choice, setChoice, errors, busy, fid, submit } = useReschedule(booking, {
    idPrefix: 'reschedule',
    max: 30,
    onMoved: () => onDone(),
  });
  return (
    <form onSubmit={submit} noValidate className="inline-form" aria-label={`Reschedule ${booking.reference}`}>
      <ErrorSummary errors={errors} />
      {slots.loading && <Loading what="Finding free times" />}
      {slots.data && slots.data.length === 0 && <p className="body">No free times in the next four weeks.</p>}
      {slots.data && slots.data.length > 0 && (
        <Select
          id={fid}
          label="New time"
          hint={`Same supporter. Times in ${staffZone}.`}
          value={choice}
          onChange={(e) => setChoice(e.target.value)}
          error={errorFor(errors, fid)}
          autoFocus
        >
          <option value="">Choose a time</option>
          {slots.data.map((s) => (
            <option key={s.start} value={s.start}>
              {formatRange(s.start, s.end, staffZone)}
            </option>
          ))}
        </Select>
      )}
      <div className="button-group button-group--tight">
        <button type="submit" className="button button--small" disabled={busy || !slots.data?.length}>
          Move the session
        </button>
        <button type="button" className="link-button" onClick={onClose}>
          Keep the old time
        </button>
      </div>
    </form>
  );
}
