import { Booking, BookingStatus, InvalidBookingTransition } from './booking.entity';

const HOUR = 3_600_000;
const T = Date.UTC(2027, 2, 10, 10, 0);

function booking(status: BookingStatus): Booking {
  return Object.assign(new Booking(), {
    status,
    sequence: 0,
    startsAt: new Date(T),
    endsAt: new Date(T + HOUR),
    blockedUntil: new Date(T + HOUR + 10 * 60_000),
    manageTokenHash: 'old',
  });
}

describe('Booking status transitions', () => {
  const changes: [string, (b: Booking) => void][] = [
    ['cancel', (b) => b.cancel()],
    ['reschedule', (b) => b.reschedule({ start: T + 24 * HOUR, end: T + 25 * HOUR }, 10, 'new')],
    ['complete', (b) => b.markOutcome('completed', T + HOUR)],
    ['no-show', (b) => b.markOutcome('no_show', T + HOUR)],
  ];

  it.each(
    changes.flatMap(([name, change]) =>
      (['cancelled', 'completed', 'no_show'] as BookingStatus[]).map((from) => [name, from, change] as const),
    ),
  )('%s refuses a %s booking with a typed invalid_transition, changing nothing', (_name, from, change) => {
    const b = booking(from);
    const before = { ...b };
    let err: unknown;
    try {
      change(b);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InvalidBookingTransition);
    expect(err).toMatchObject({ code: 'invalid_transition', extras: { bookingStatus: from } });
    expect({ ...b }).toEqual(before);
  });

  it('cancel: cancelled, SEQUENCE raised', () => {
    const b = booking('confirmed');
    b.cancel();
    expect(b).toMatchObject({ status: 'cancelled', sequence: 1 });
  });

  it('reschedule: new times, the buffer after them, a new link, SEQUENCE raised; still confirmed', () => {
    const b = booking('confirmed');
    b.reschedule({ start: T + 24 * HOUR, end: T + 25 * HOUR }, 10, 'new');
    expect(b).toMatchObject({
      status: 'confirmed',
      sequence: 1,
      startsAt: new Date(T + 24 * HOUR),
      endsAt: new Date(T + 25 * HOUR),
      blockedUntil: new Date(T + 25 * HOUR + 10 * 60_000),
      manageTokenHash: 'new',
    });
  });

  it.each([
    ['completed', -1, false],
    ['completed', 0, true],
    ['no_show', -1, false],
    ['no_show', HOUR, true],
  ] as const)('markOutcome(%s) %i ms after the start: allowed %s', (status, offset, allowed) => {
    const now = T + offset;
    const b = booking('confirmed');
    if (allowed) {
      b.markOutcome(status, now);
      expect(b.status).toBe(status);
    } else {
      expect(() => b.markOutcome(status, now)).toThrow(InvalidBookingTransition);
      expect(b.status).toBe('confirmed');
    }
  });
});
