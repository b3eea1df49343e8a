// The intake's sessions, each with Reschedule and Cancel while it is still to come.
import { useState } from 'react';
import type { Booking } from '../../api/types';
import { Tag, label } from '../../components/page';
import { formatRange } from '../../time';
import { CancelBookingForm } from '../../components/CancelBookingForm';
import { RescheduleForm } from './BookingChangeForms';

export function BookingTable({
  bookings,
  supporterName,
  staffZone,
  onChanged,
}: {
  bookings: Booking[];
  supporterName: (id: string) => string;
  staffZone: string;
  onChanged: () => void;
}) {
  const [open, setOpen] = useState<{ id: string; kind: 'cancel' | 'reschedule' } | null>(null);
  const now = Date.now();
  return (
    <table className="table table--stack" data-testid="intake-bookings">
      <caption className="visually-hidden">Bookings of this intake</caption>
      <thead>
        <tr>
          <th scope="col">Reference</th>
          <th scope="col">When</th>
          <th scope="col">Supporter</th>
          <th scope="col">Status</th>
          <th scope="col">
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {bookings.map((b) => {
          const changeable = b.status === 'confirmed' && Date.parse(b.start) > now;
          const isOpen = open?.id === b.id;
          return (
            <tr key={b.id}>
              <td className="mono">{b.reference}</td>
              <td>
                {formatRange(b.start, b.end, staffZone)}
                <br />
                <span className="secondary-text">{label(b.modality)}</span>
              </td>
              <td>{supporterName(b.supporterId)}</td>
              <td>
                <Tag tone={b.status === 'confirmed' ? 'accent' : 'grey'}>{label(b.status)}</Tag>
              </td>
              <td className="actions">
                {changeable && !isOpen && (
                  <div className="button-group button-group--tight">
                    <button
                      type="button"
                      className="button button--secondary button--small"
                      onClick={() => setOpen({ id: b.id, kind: 'reschedule' })}
                    >
                      Reschedule<span className="visually-hidden"> {b.reference}</span>
                    </button>
                    <button
                      type="button"
                      className="button button--warning button--small"
                      onClick={() => setOpen({ id: b.id, kind: 'cancel' })}
                    >
                      Cancel<span className="visually-hidden"> {b.reference}</span>
                    </button>
                  </div>
                )}
                {isOpen && open.kind === 'cancel' && (
                  <CancelBookingForm
                    booking={b}
                    onDone={() => {
                      setOpen(null);
                      onChanged();
                    }}
                    onClose={() => setOpen(null)}
                  />
                )}
                {isOpen && open.kind === 'reschedule' && (
                  <RescheduleForm
                    booking={b}
                    staffZone={staffZone}
                    onDone={() => {
                      setOpen(null);
                      onChanged();
                    }}
                    onClose={() => setOpen(null)}
                  />
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
