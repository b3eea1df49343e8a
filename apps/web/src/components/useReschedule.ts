import { useState, type FormEvent } from 'react';
import { api } from '../api-clients';
import { ok, problemOf } from '../api/client';
import type { Booking } from '../api/types';
import { useLoad } from '../hooks';
import type { ErrorItem } from './forms';

const FOUR_WEEKS_MS = 28 * 86_400_000;

/**
 * Moving a booking to another free time of the same supporter: the free times of the next four weeks (at most
 * `max`, of the booking's length), the chosen one, its errors, and the submit that reschedules. The forms that
 * use it (the intake's bookings, time off that clashes with sessions) only differ in how they show it.
 */
export function useReschedule(
  booking: Booking,
  opts: { idPrefix: string; max: number; onMoved: (to: string) => void },
) {
  const duration = Math.round((Date.parse(booking.end) - Date.parse(booking.start)) / 60000);
  const slots = useLoad(() => {
    const from = new Date().toISOString();
    const to = new Date(Date.now() + FOUR_WEEKS_MS).toISOString();
    return ok(
      api.GET('/api/v1/supporters/{id}/slots', {
        params: { path: { id: booking.supporterId }, query: { from, to, durationMinutes: duration } },
      }),
    ).then((r) => r.slots.slice(0, opts.max));
  }, [booking.id]);
  const [choice, setChoice] = useState('');
  const [errors, setErrors] = useState<ErrorItem[]>([]);
  const [busy, setBusy] = useState(false);
  const fid = `${opts.idPrefix}-${booking.id}`;
  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!choice) {
      setErrors([{ id: fid, text: 'Choose a new time' }]);
      return;
    }
    setBusy(true);
    try {
      await ok(
        api.POST('/api/v1/bookings/{id}/reschedule', { params: { path: { id: booking.id } }, body: { start: choice } }),
      );
      opts.onMoved(choice);
    } catch (err) {
      setErrors([{ id: fid, text: problemOf(err).detail ?? 'The session could not be moved' }]);
    } finally {
      setBusy(false);
    }
  }
  return { slots, choice, setChoice, errors, busy, fid, submit };
}
