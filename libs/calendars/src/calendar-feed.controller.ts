import { Controller, Get, Headers, Ip, Param, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiProblems, Public } from '@app/common';
import { CalendarFeedService } from './calendar-feed.service';

/** Served outside /api/v1 (see CALENDAR_FEED_ROUTE) so that the link reads like a calendar file. */
export const CALENDAR_FEED_ROUTE = 'calendar/:file';

function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.trim() === '*' || ifNoneMatch.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
}

/** A supporter's private feed: GET /calendar/<token>.ics, no login, rate-limited per address. */
@ApiTags('calendars')
@Public()
@Controller()
export class CalendarFeedController {
  constructor(private readonly feeds: CalendarFeedService) {}

  @Get(CALENDAR_FEED_ROUTE)
  @ApiOperation({
    summary: "A supporter's confirmed sessions as iCalendar (webcal): reference, time and modality only",
  })
  @ApiProduces('text/calendar')
  @ApiOkResponse({
    description: 'the iCalendar file, with an ETag',
    content: { 'text/calendar': { schema: { type: 'string' } } },
  })
  @ApiResponse({ status: 304, description: 'If-None-Match named the current ETag: nothing changed' })
  @ApiProblems(
    {
      404: { codes: ['not_found'], when: 'unknown or revoked link' },
      429: { codes: ['rate_limited'], when: 'more than 30 requests a minute from one address' },
    },
    503,
  )
  async feed(
    @Param('file') file: string,
    @Ip() ip: string,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<string | undefined> {
    const feed = await this.feeds.feed(file, ip);
    res.setHeader('ETag', feed.etag);
    // calendar apps must ask again (cheaply, with If-None-Match); nothing in between may keep it
    res.setHeader('Cache-Control', 'private, no-cache');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    if (matches(ifNoneMatch, feed.etag)) {
      res.status(304);
      return undefined;
    }
    res.setHeader('Content-Type', 'text/calendar; charset=utf-8');
    res.setHeader('Content-Disposition', 'inline; filename="sessions.ics"');
    return feed.body;
  }
}
