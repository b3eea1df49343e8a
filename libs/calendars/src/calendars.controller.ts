import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { AuthUser, CurrentUser, Roles } from '@app/auth';
import { ApiProblems, UuidPipe } from '@app/common';
import { CalendarsService } from './calendars.service';
import {
  BusyTimeQuery,
  BusyTimeView,
  CalendarFeedLinkView,
  CalendarStatusView,
  ConnectCalendarDto,
} from './dto/calendar.dto';

const NOT_CONFIGURED = {
  codes: ['not_configured' as const],
  when: 'CALENDAR_ENCRYPTION_KEY is not set on this server',
};

/** A supporter's own calendars (admin: anyone's). */
@ApiTags('calendars')
@ApiBearerAuth()
@Roles('supporter')
@Controller('supporters/:id')
export class CalendarsController {
  constructor(private readonly calendars: CalendarsService) {}

  @Put('calendar')
  @ApiOperation({
    summary:
      'Connect a CalDAV calendar (tested first; the URL, user name and password are stored encrypted and never returned)',
  })
  @ApiOkResponse({ type: CalendarStatusView })
  @ApiProblems(400, 401, 403, 404, {
    422: {
      codes: ['calendar_connection_failed', 'not_configured'],
      when: 'the calendar could not be used (`reason`: authentication_failed, not_a_calendar, calendar_not_found, address_not_allowed, url_not_allowed, unreachable, timeout, response_too_large, server_error, unreadable); or CALENDAR_ENCRYPTION_KEY is not set',
    },
  })
  connect(
    @Param('id', UuidPipe) id: string,
    @Body() dto: ConnectCalendarDto,
    @CurrentUser() user: AuthUser,
  ): Promise<CalendarStatusView> {
    return this.calendars.connect(id, dto, user);
  }

  @Get('calendar')
  @ApiOperation({ summary: 'The calendar connection: last sync, staleness, last error in plain words (no secrets)' })
  @ApiOkResponse({ type: CalendarStatusView })
  @ApiProblems(400, 401, 403, 404)
  status(@Param('id', UuidPipe) id: string, @CurrentUser() user: AuthUser): Promise<CalendarStatusView> {
    return this.calendars.status(id, user);
  }

  @Get('calendar/busy')
  @ApiOperation({
    summary:
      "Busy time read from the connected calendar (start and end only: an event's title and details are never kept)",
  })
  @ApiOkResponse({ type: BusyTimeView })
  @ApiProblems(400, 401, 403, 404)
  busy(
    @Param('id', UuidPipe) id: string,
    @Query() query: BusyTimeQuery,
    @CurrentUser() user: AuthUser,
  ): Promise<BusyTimeView> {
    return this.calendars.busyTime(id, query, user);
  }

  @Delete('calendar')
  @HttpCode(204)
  @ApiOperation({ summary: 'Disconnect the calendar: its credentials and busy time are deleted' })
  @ApiNoContentResponse()
  @ApiProblems(400, 401, 403, { 404: { codes: ['not_found'], when: 'no calendar connected' } })
  disconnect(@Param('id', UuidPipe) id: string, @CurrentUser() user: AuthUser): Promise<void> {
    return this.calendars.disconnect(id, user);
  }

  @Post('calendar/sync')
  @HttpCode(200)
  @ApiOperation({ summary: 'Read the calendar now; the answer shows the outcome' })
  @ApiOkResponse({ type: CalendarStatusView })
  @ApiProblems(400, 401, 403, { 404: { codes: ['not_found'], when: 'no calendar connected' }, 422: NOT_CONFIGURED })
  sync(@Param('id', UuidPipe) id: string, @CurrentUser() user: AuthUser): Promise<CalendarStatusView> {
    return this.calendars.syncNow(id, user);
  }

  @Post('calendar-feed')
  @ApiOperation({ summary: 'A new private calendar feed link (shown once; an older link stops working)' })
  @ApiCreatedResponse({ type: CalendarFeedLinkView })
  @ApiProblems(400, 401, 403, 404)
  createFeed(@Param('id', UuidPipe) id: string, @CurrentUser() user: AuthUser): Promise<CalendarFeedLinkView> {
    return this.calendars.createFeed(id, user);
  }

  @Delete('calendar-feed')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke the private calendar feed link' })
  @ApiNoContentResponse()
  @ApiProblems(400, 401, 403, { 404: { codes: ['not_found'], when: 'no live feed link' } })
  revokeFeed(@Param('id', UuidPipe) id: string, @CurrentUser() user: AuthUser): Promise<void> {
    return this.calendars.revokeFeed(id, user);
  }
}
