import { ApiProperty } from '@nestjs/swagger';
import type { BookingStatus, Modality } from '../booking.entity';

/** What the caller's manage page shows: the booking's outline and nothing about the caller. */
export class ManagedBookingView {
  @ApiProperty({ example: 'PS-7K3Q-9D' }) reference: string;
  @ApiProperty({ example: '2027-03-28T17:00:00.000Z' }) start: string;
  @ApiProperty({ example: '2027-03-28T17:50:00.000Z' }) end: string;
  @ApiProperty({ enum: ['phone', 'video'] }) modality: Modality;
  @ApiProperty({ enum: ['confirmed', 'cancelled', 'completed', 'no_show'] }) status: BookingStatus;
  @ApiProperty({ example: 'Priya' }) supporterFirstName: string;
}

export class NotificationStatusView {
  @ApiProperty({ enum: ['email', 'sms'] }) channel: 'email' | 'sms';
  @ApiProperty({ enum: ['confirmation', 'reschedule', 'cancellation', 'reminder', 'acknowledgement', 'feedback'] })
  kind: 'confirmation' | 'reschedule' | 'cancellation' | 'reminder' | 'acknowledgement' | 'feedback';
  @ApiProperty({ enum: ['pending', 'sent', 'failed'], description: 'pending while retries remain; failed only when they are spent' })
  status: 'pending' | 'sent' | 'failed';
  @ApiProperty({ description: 'every try, the successful one included' }) attempts: number;
  @ApiProperty({ nullable: true, type: String, example: '2027-03-20T10:00:03.000Z' }) sentAt: string | null;
  @ApiProperty({ description: 'when it is or was due (a reminder: 24 h before the session)', example: '2027-03-27T17:00:00.000Z' }) dueAt: string;
}

export class NotificationList {
  @ApiProperty({ type: [NotificationStatusView] }) notifications: NotificationStatusView[];
}
