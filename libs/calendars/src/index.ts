export * from './busy-time';
export * from './caldav.client';
export * from './calendar-feed.controller';
export * from './calendar-sync.service';
export * from './calendars.module';
export * from './credentials-cipher';
export * from './dto/calendar.dto';
export * from './outbound-fetch';
