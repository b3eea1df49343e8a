import type { Caller } from '@app/intake';
import type { BookingMessagesInput, SupporterRecipient } from '@app/notifications';
import type { Supporter } from '@app/supporters';
import type { Booking } from './booking.entity';
import type { NewBooking } from './bookings.repository';
import type { BookingView } from './dto/booking.dto';

/** A booking as the API answers it; with `caller` (a supporter's own bookings) the caller's name, phone and e-mail, nothing more. */
export function toBookingView(b: Booking, caller?: Caller): BookingView {
  const view: BookingView = {
    id: b.id,
    reference: b.reference,
    status: b.status,
    start: b.startsAt.toISOString(),
    end: b.endsAt.toISOString(),
    supporterId: b.supporterId,
    callerId: b.callerId,
    intakeId: b.intakeId,
    modality: b.modality,
    sequence: b.sequence,
    seriesId: b.seriesId,
  };
  if (caller) view.caller = { name: caller.name, phone: caller.phone, email: caller.email };
  return view;
}

/** What the notifications library needs to render a booking's messages. */
export function messagesInput(
  b: NewBooking,
  caller: Caller,
  supporter: Supporter,
  manageToken: string | null,
): Omit<BookingMessagesInput, 'kind'> {
  return {
    booking: {
      id: b.id,
      reference: b.reference,
      startsAt: b.startsAt,
      endsAt: b.endsAt,
      modality: b.modality,
      sequence: b.sequence,
      intakeId: b.intakeId,
      videoRoom: b.videoRoom,
    },
    caller: { id: caller.id, name: caller.name, phone: caller.phone, email: caller.email, timeZone: caller.timeZone },
    supporterDisplayName: supporter.displayName,
    supporterMeetingUrl: supporter.meetingUrl,
    manageToken,
    supporter: supporterRecipient(supporter),
  };
}

/** What the supporter's notice needs (libs/notifications): address, zone, and whether they want these e-mails. */
export function supporterRecipient(s: Supporter): SupporterRecipient {
  return { id: s.id, email: s.email, timeZone: s.timeZone, notifyByEmail: s.notifyByEmail };
}
