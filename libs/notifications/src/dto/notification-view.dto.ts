import { ApiProperty, OmitType } from '@nestjs/swagger';
import type { NotificationView, SupporterNoticeView } from '../notifications.service';

/** NotificationView in the OpenAPI document: a message to the caller and how its delivery went (bookings and intakes list them). */
export class NotificationStatusView implements NotificationView {
  @ApiProperty({
    format: 'uuid',
    description: 'an admin resends a failed or expired one with POST /notifications/:id/resend',
  })
  id: string;
  @ApiProperty({ enum: ['email', 'sms'] }) channel: 'email' | 'sms';
  @ApiProperty({ enum: ['confirmation', 'reschedule', 'cancellation', 'reminder', 'acknowledgement', 'feedback'] })
  kind: 'confirmation' | 'reschedule' | 'cancellation' | 'reminder' | 'acknowledgement' | 'feedback';
  @ApiProperty({
    enum: ['pending', 'sent', 'failed', 'expired'],
    description:
      'pending while retries remain; failed when a permanent error (SMTP 5xx) came back or retrying gave up (OUTBOX_GIVE_UP_AFTER); expired: not sent because the session had started',
  })
  status: 'pending' | 'sent' | 'failed' | 'expired';
  @ApiProperty({ description: 'every try, the successful one included' }) attempts: number;
  @ApiProperty({ nullable: true, type: String, example: '2027-03-20T10:00:03.000Z' }) sentAt: string | null;
  @ApiProperty({
    description: 'when it is or was due (a reminder: 24 h before the session)',
    example: '2027-03-27T17:00:00.000Z',
  })
  dueAt: string;
  @ApiProperty({
    nullable: true,
    type: String,
    example: 'smtp_451',
    description:
      'why the last attempt failed: a short reason (smtp_451, ECONNREFUSED, http_400), never an address or a number',
  })
  lastError: string | null;
}

export class NotificationList {
  @ApiProperty({ type: [NotificationStatusView] }) notifications: NotificationStatusView[];
}

/** SupporterNoticeView in the OpenAPI document: an e-mail to the booking's supporter (issue 18), without its address. */
export class SupporterNoticeStatusView
  extends OmitType(NotificationStatusView, ['kind'] as const)
  implements SupporterNoticeView
{
  @ApiProperty({
    enum: ['confirmation', 'reschedule', 'cancellation'],
    description: 'cancellation also when the booking was reassigned away from this supporter',
  })
  kind: 'confirmation' | 'reschedule' | 'cancellation';
}

/** GET /bookings/:id/notifications: the caller's messages and, added, the notices to the booking's supporters. */
export class BookingNotificationList extends NotificationList {
  @ApiProperty({
    type: [SupporterNoticeStatusView],
    description: "e-mails to the booking's supporters (and to one it was reassigned away from): were they told",
  })
  supporterNotices: SupporterNoticeStatusView[];
}
