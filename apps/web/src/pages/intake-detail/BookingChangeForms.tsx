// Moving one session of an intake, inline in its row of the bookings table (cancelling: components/CancelBookingForm).
import type { Booking } from '../../api/types';
import { ErrorSummary, Select, errorFor } from '../../components/forms';
import { Loading } from '../../components/page';
import { useReschedule } from '../../components/useReschedule';
import { formatRange } from '../../time';

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
