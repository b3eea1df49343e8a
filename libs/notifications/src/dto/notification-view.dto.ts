import { ApiProperty } from '@nestjs/swagger';
import type { NotificationView } from '../notifications.service';

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
