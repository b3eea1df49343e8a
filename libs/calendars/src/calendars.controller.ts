import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { AuthUser, CurrentUser, Roles } from '@app/auth';
import { UuidPipe } from '@app/common';
import { CalendarsService } from './calendars.service';
import { CalendarFeedLinkView, CalendarStatusView, ConnectCalendarDto } from './dto/calendar.dto';

const NOT_CONFIGURED = 'not_configured: CALENDAR_ENCRYPTION_KEY is not set on this server';

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
  @ApiUnprocessableEntityResponse({
    description: `calendar_connection_failed (reason: authentication_failed, not_a_calendar, address_not_allowed, …); ${NOT_CONFIGURED}`,
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
  status(@Param('id', UuidPipe) id: string, @CurrentUser() user: AuthUser): Promise<CalendarStatusView> {
    return this.calendars.status(id, user);
  }

  @Delete('calendar')
  @HttpCode(204)
  @ApiOperation({ summary: 'Disconnect the calendar: its credentials and busy time are deleted' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ description: 'not_found: no calendar connected' })
  disconnect(@Param('id', UuidPipe) id: string, @CurrentUser() user: AuthUser): Promise<void> {
    return this.calendars.disconnect(id, user);
  }

  @Post('calendar/sync')
  @HttpCode(200)
  @ApiOperation({ summary: 'Read the calendar now; the answer shows the outcome' })
  @ApiOkResponse({ type: CalendarStatusView })
  @ApiNotFoundResponse({ description: 'not_found: no calendar connected' })
  @ApiUnprocessableEntityResponse({ description: NOT_CONFIGURED })
  sync(@Param('id', UuidPipe) id: string, @CurrentUser() user: AuthUser): Promise<CalendarStatusView> {
    return this.calendars.syncNow(id, user);
  }

  @Post('calendar-feed')
  @ApiOperation({ summary: 'A new private calendar feed link (shown once; an older link stops working)' })
  @ApiCreatedResponse({ type: CalendarFeedLinkView })
  createFeed(@Param('id', UuidPipe) id: string, @CurrentUser() user: AuthUser): Promise<CalendarFeedLinkView> {
    return this.calendars.createFeed(id, user);
  }

  @Delete('calendar-feed')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke the private calendar feed link' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ description: 'not_found: no live feed link' })
  revokeFeed(@Param('id', UuidPipe) id: string, @CurrentUser() user: AuthUser): Promise<void> {
    return this.calendars.revokeFeed(id, user);
  }
}
