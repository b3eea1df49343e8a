import { Module } from '@nestjs/common';
import { BookingModule } from '@app/booking';
import { PoliciesModule } from '@app/policies';
import { SupportersModule } from '@app/supporters';
import { CalDavClient } from './caldav.client';
import { CalendarFeedController } from './calendar-feed.controller';
import { CalendarFeedService } from './calendar-feed.service';
import { CalendarSyncService } from './calendar-sync.service';
import { CalendarWriterService } from './calendar-writer.service';
import { CalendarWritesRepository } from './calendar-writes.repository';
import { CalendarsController } from './calendars.controller';
import { CalendarsRepository } from './calendars.repository';
import { CalendarsService } from './calendars.service';

/** The background sync and writes alone (the worker process): no HTTP; bookings only as rows the writer reads. */
@Module({
  imports: [SupportersModule, PoliciesModule],
  providers: [CalendarsRepository, CalDavClient, CalendarSyncService, CalendarWritesRepository, CalendarWriterService],
  exports: [CalendarsRepository, CalDavClient, CalendarSyncService, CalendarWritesRepository, CalendarWriterService],
})
export class CalendarSyncModule {}

/** Connections, status, sync on demand and the private feed, over HTTP. */
@Module({
  imports: [CalendarSyncModule, SupportersModule, PoliciesModule, BookingModule],
  controllers: [CalendarsController, CalendarFeedController],
  providers: [CalendarsService, CalendarFeedService],
  exports: [CalendarSyncModule],
})
export class CalendarsModule {}
