import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AuthUser, CurrentUser, Roles } from '@app/auth';
import { ApiProblems, UuidPipe } from '@app/common';
import { BookingNotificationList } from '@app/notifications';
import { BookingsService } from './bookings.service';
import { ChangeBookingService } from './change-booking.service';
import { CreateBookingService } from './create-booking.service';
import { UndoBookingService } from './undo-booking.service';
import { ReassignBookingService } from './reassign-booking.service';
import {
  BookingHistory,
  BookingList,
  BookingListQuery,
  BookingView,
  CancelBookingDto,
  CreateBookingDto,
  CreateSeriesDto,
  ReassignBookingDto,
  RescheduleBookingDto,
  SeriesResponse,
} from './dto/booking.dto';

const IDEMPOTENCY_HEADER = {
  name: 'Idempotency-Key',
  required: false,
  description:
    'Repeat the request with the same key (per user, kept 24 h) and get the same booking back, never a second one.',
};

@ApiTags('bookings')
@ApiBearerAuth()
@Controller('bookings')
export class BookingsController {
  constructor(
    private readonly bookings: BookingsService,
    private readonly creating: CreateBookingService,
    private readonly changing: ChangeBookingService,
    private readonly undoing: UndoBookingService,
    private readonly reassigning: ReassignBookingService,
  ) {}

  @Post()
  @Roles('intake')
  @ApiOperation({ summary: 'Book a session (any minute inside the supporter’s availability)' })
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiCreatedResponse({ type: BookingView })
  @ApiProblems(400, 401, 403, 404, {
    409: ['slot_taken', 'caller_busy', 'assigned_elsewhere'],
    422: [
      'outside_availability',
      'outside_sociable_hours',
      'conflict_of_interest',
      'at_capacity',
      'too_soon',
      'beyond_horizon',
      'intake_not_bookable',
      'idempotency_mismatch',
      'wrong_service',
      'inactive',
      'video_unavailable',
    ],
  })
  async create(
    @Body() dto: CreateBookingDto,
    @CurrentUser() user: AuthUser,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<BookingView> {
    const result = await this.creating.create(dto, user, key);
    res.status(result.status);
    if (result.replayed) res.setHeader('Idempotent-Replayed', 'true');
    return result.body;
  }

  @Post('series')
  @Roles('intake')
  @ApiOperation({ summary: 'Book a regular series: same wall-clock time in the supporter’s zone; all or nothing' })
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiCreatedResponse({ type: SeriesResponse })
  @ApiProblems(400, 401, 403, 404, {
    409: ['slot_taken', 'caller_busy', 'assigned_elsewhere'],
    422: {
      codes: [
        'outside_availability',
        'outside_sociable_hours',
        'conflict_of_interest',
        'at_capacity',
        'too_soon',
        'beyond_horizon',
        'intake_not_bookable',
        'idempotency_mismatch',
        'wrong_service',
        'inactive',
        'video_unavailable',
      ],
      when: 'with `occurrences`: every occurrence that cannot be booked, and why',
    },
  })
  async series(
    @Body() dto: CreateSeriesDto,
    @CurrentUser() user: AuthUser,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<{ bookings: BookingView[] }> {
    const result = await this.creating.createSeries(dto, user, key);
    res.status(result.status);
    if (result.replayed) res.setHeader('Idempotent-Replayed', 'true');
    return result.body;
  }

  @Get()
  @Roles('intake', 'supporter')
  @ApiOperation({ summary: 'Bookings by supporter, caller, intake, time; a supporter sees only its own' })
  @ApiOkResponse({ type: BookingList })
  @ApiProblems(400, 401, 403)
  list(@Query() q: BookingListQuery, @CurrentUser() user: AuthUser): Promise<BookingList> {
    return this.bookings.list(q, user);
  }

  @Get(':id')
  @Roles('intake', 'supporter')
  @ApiOperation({ summary: 'One booking' })
  @ApiOkResponse({ type: BookingView })
  @ApiProblems(400, 401, 403, 404)
  get(@Param('id', UuidPipe) id: string, @CurrentUser() user: AuthUser): Promise<BookingView> {
    return this.bookings.get(id, user);
  }

  @Get(':id/notifications')
  @Roles('intake', 'supporter')
  @ApiOperation({
    summary:
      "The messages to the caller about this booking (confirmation, reschedule, cancellation, reminders) and how their delivery went; and the notices to the booking's supporters (`supporterNotices`)",
  })
  @ApiOkResponse({ type: BookingNotificationList })
  @ApiProblems(400, 401, 403, 404)
  notifications(@Param('id', UuidPipe) id: string, @CurrentUser() user: AuthUser): Promise<BookingNotificationList> {
    return this.bookings.notificationsOf(id, user);
  }

  @Get(':id/history')
  @Roles('intake', 'supporter')
  @ApiOperation({ summary: 'Who created, rescheduled, cancelled or completed the booking, and when' })
  @ApiOkResponse({ type: BookingHistory })
  @ApiProblems(400, 401, 403, 404)
  history(@Param('id', UuidPipe) id: string, @CurrentUser() user: AuthUser): Promise<BookingHistory> {
    return this.bookings.history(id, user);
  }

  @Post(':id/cancel')
  @Roles('intake', 'supporter')
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel: the slot is free again' })
  @ApiOkResponse({ type: BookingView })
  @ApiProblems(400, 401, 403, 404, { 409: ['invalid_transition'] })
  cancel(
    @Param('id', UuidPipe) id: string,
    @Body() dto: CancelBookingDto,
    @CurrentUser() user: AuthUser,
  ): Promise<BookingView> {
    return this.changing.cancel(id, dto, user);
  }

  @Post(':id/undo')
  @Roles('intake')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Undo a booking just made: within CONFIRMATION_GRACE_SECONDS of its creation, by its creator or an admin, it is cancelled silently (no message reaches the caller)',
  })
  @ApiOkResponse({ type: BookingView })
  @ApiProblems(400, 401, 403, 404, {
    409: {
      codes: ['invalid_transition'],
      when: 'not confirmed, the grace period is over, or a message about it has already gone out',
    },
  })
  undo(@Param('id', UuidPipe) id: string, @CurrentUser() user: AuthUser): Promise<BookingView> {
    return this.undoing.undo(id, user);
  }

  @Post(':id/reassign')
  @Roles('intake')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'The same session, same time, with another supporter: the rules of a new booking with them apply; audited; the caller is sent the change (a new invite and link)',
  })
  @ApiOkResponse({ type: BookingView })
  @ApiProblems(400, 401, 403, 404, {
    409: ['slot_taken', 'invalid_transition'],
    422: [
      'outside_availability',
      'outside_sociable_hours',
      'too_soon',
      'beyond_horizon',
      'at_capacity',
      'conflict_of_interest',
      'wrong_service',
      'inactive',
      'intake_not_bookable',
      'video_unavailable',
    ],
  })
  reassign(
    @Param('id', UuidPipe) id: string,
    @Body() dto: ReassignBookingDto,
    @CurrentUser() user: AuthUser,
  ): Promise<BookingView> {
    return this.reassigning.reassign(id, dto, user);
  }

  @Post(':id/reschedule')
  @Roles('intake', 'supporter')
  @HttpCode(200)
  @ApiOperation({ summary: 'Same supporter, new time; if the new time cannot be booked the old booking stands' })
  @ApiOkResponse({ type: BookingView })
  @ApiProblems(400, 401, 403, 404, {
    409: ['slot_taken', 'caller_busy', 'invalid_transition'],
    422: ['outside_availability', 'outside_sociable_hours', 'too_soon', 'beyond_horizon', 'at_capacity', 'inactive'],
  })
  reschedule(
    @Param('id', UuidPipe) id: string,
    @Body() dto: RescheduleBookingDto,
    @CurrentUser() user: AuthUser,
  ): Promise<BookingView> {
    return this.changing.reschedule(id, dto, user);
  }

  @Post(':id/complete')
  @Roles('intake', 'supporter')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark the session completed (after its start)' })
  @ApiOkResponse({ type: BookingView })
  @ApiProblems(400, 401, 403, 404, {
    409: { codes: ['invalid_transition'], when: 'not confirmed, or before its start' },
  })
  complete(@Param('id', UuidPipe) id: string, @CurrentUser() user: AuthUser): Promise<BookingView> {
    return this.changing.complete(id, user);
  }

  @Post(':id/no-show')
  @Roles('intake', 'supporter')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark the session a no-show (after its start)' })
  @ApiOkResponse({ type: BookingView })
  @ApiProblems(400, 401, 403, 404, {
    409: { codes: ['invalid_transition'], when: 'not confirmed, or before its start' },
  })
  noShow(@Param('id', UuidPipe) id: string, @CurrentUser() user: AuthUser): Promise<BookingView> {
    return this.changing.noShow(id, user);
  }
}
