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
  @ApiProperty({
    nullable: true,
    type: String,
    example: 'https://meet.example.org/support/3q2-7mB_x9vWkPz1a0LrQw',
    description:
      'a confirmed video session’s join link (its own room, or the supporter’s meeting link); null otherwise',
  })
  videoUrl: string | null;
}
