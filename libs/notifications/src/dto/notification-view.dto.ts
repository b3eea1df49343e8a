import { ApiProperty } from '@nestjs/swagger';
import type { NotificationView } from '../notifications.service';

/** NotificationView in the OpenAPI document: a message to the caller and how its delivery went (bookings and intakes list them). */
export class NotificationStatusView implements NotificationView {
  @ApiProperty({ enum: ['email', 'sms'] }) channel: 'email' | 'sms';
  @ApiProperty({ enum: ['confirmation', 'reschedule', 'cancellation', 'reminder', 'acknowledgement', 'feedback'] })
  kind: 'confirmation' | 'reschedule' | 'cancellation' | 'reminder' | 'acknowledgement' | 'feedback';
  @ApiProperty({
    enum: ['pending', 'sent', 'failed'],
    description: 'pending while retries remain; failed only when they are spent',
  })
  status: 'pending' | 'sent' | 'failed';
  @ApiProperty({ description: 'every try, the successful one included' }) attempts: number;
  @ApiProperty({ nullable: true, type: String, example: '2027-03-20T10:00:03.000Z' }) sentAt: string | null;
  @ApiProperty({
    description: 'when it is or was due (a reminder: 24 h before the session)',
    example: '2027-03-27T17:00:00.000Z',
  })
  dueAt: string;
}

export class NotificationList {
  @ApiProperty({ type: [NotificationStatusView] }) notifications: NotificationStatusView[];
}
