import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { IsInstant } from '@app/common';

export class ConnectCalendarDto {
  @ApiProperty({
    description: 'The CalDAV calendar collection URL (http or https)',
    example: 'https://cal.example.org/dav/calendars/jo/rota/',
  })
  @IsString()
  @MaxLength(2000)
  @Matches(/^https?:\/\/[^\s]+$/i, { message: 'url must be an http:// or https:// URL' })
  url: string;

  @ApiProperty({ example: 'jo' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  username: string;

  @ApiProperty({ description: 'An app password for this calendar (never returned)', example: 'abcd-efgh-ijkl-mnop' })
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  password: string;
}

export class CalendarErrorView {
  @ApiProperty({ example: 'authentication_failed' }) code: string;
  @ApiProperty({ example: 'The calendar server refused the user name or app password.' }) text: string;
}

/** A connection's state, without its URL, user name or password. */
export class CalendarWritesView {
  @ApiProperty({ description: 'booking changes not yet written into the calendar' }) pending: number;
  @ApiProperty({ description: 'of those, how many failed at least once (tried again, 30 s doubling to hourly)' })
  failing: number;
  @ApiProperty({ nullable: true, type: CalendarErrorView, description: 'why the latest failed write failed' })
  lastError: CalendarErrorView | null;
}

export class CalendarStatusView {
  @ApiProperty() connected: boolean;
  @ApiProperty({ nullable: true, type: String, example: '2027-03-20T10:00:00.000Z' }) connectedAt: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'the last read that succeeded',
    example: '2027-03-20T10:05:00.000Z',
  })
  lastSyncAt: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'the last read, whatever its outcome' }) lastAttemptAt:
    string | null;
  @ApiProperty({ description: 'no successful read within three sync intervals: the busy time may be out of date' })
  stale: boolean;
  @ApiProperty({
    nullable: true,
    type: CalendarErrorView,
    description: 'why the last read failed, in plain words; null after a good one',
  })
  lastError: CalendarErrorView | null;
  @ApiProperty({ description: 'busy intervals held from the last good read' }) busyBlocks: number;
  @ApiProperty({ type: CalendarWritesView, description: 'bookings still to be written into the calendar' })
  writes: CalendarWritesView;
}

export class CalendarFeedLinkView {
  @ApiProperty({
    description: 'shown once: only its hash is kept',
    example: 'https://support.example/calendar/3q2-…-X0.ics',
  })
  url: string;
  @ApiProperty({ example: 'webcal://support.example/calendar/3q2-…-X0.ics' }) webcalUrl: string;
}

export class BusyTimeQuery {
  @ApiPropertyOptional({ example: '2027-03-22T00:00:00Z', description: 'default: now' })
  @IsOptional()
  @IsInstant()
  from?: string;

  @ApiPropertyOptional({
    example: '2027-03-29T00:00:00Z',
    description: 'default: from + 7 days; at most 92 days after from',
  })
  @IsOptional()
  @IsInstant()
  to?: string;
}

/** One busy interval read from the supporter's calendar: a time, never the event's title or details. */
export class BusyBlockView {
  @ApiProperty({ example: '2027-03-23T08:30:00.000Z' }) start: string;
  @ApiProperty({ example: '2027-03-23T10:30:00.000Z' }) end: string;
}

export class BusyTimeView {
  @ApiProperty({ description: 'false when no calendar is connected (busy is then empty)' }) connected: boolean;
  @ApiProperty({
    type: [BusyBlockView],
    description: 'busy intervals overlapping [from, to) from the last good read, in start order',
  })
  busy: BusyBlockView[];
  @ApiProperty({ nullable: true, type: String, description: 'when that read happened' }) lastSyncAt: string | null;
  @ApiProperty({ description: 'no successful read within three sync intervals: the busy time may be out of date' })
  stale: boolean;
}
