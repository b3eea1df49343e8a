/** Every migration, in order. Listed explicitly so the same classes run at boot, in the CLI and in tests. */
import { Foundation1764140000000 } from './1764140000000-Foundation';
import { CallersIntakesBookings1764140100000 } from './1764140100000-CallersIntakesBookings';
import { Outbox1764140200000 } from './1764140200000-Outbox';
import { CallerPhones1764140250000 } from './1764140250000-CallerPhones';
import { Privacy1764140300000 } from './1764140300000-Privacy';
import { DirectoryVersion1764140400000 } from './1764140400000-DirectoryVersion';
import { UserDeactivation1764140500000 } from './1764140500000-UserDeactivation';
import { OutboxSettledLinks1764140600000 } from './1764140600000-OutboxSettledLinks';
import { RateLimits1764140750000 } from './1764140750000-RateLimits';
import { OutboxGiveUp1764140850000 } from './1764140850000-OutboxGiveUp';
import { Calendars1764140900000 } from './1764140900000-Calendars';
import { SupporterUnavailability1764140950000 } from './1764140950000-SupporterUnavailability';
import { CallerSearch1764141700000 } from './1764141700000-CallerSearch';
import { IntakeEndReason1764141800000 } from './1764141800000-IntakeEndReason';
import { SupportLineNumbers1764141900000 } from './1764141900000-SupportLineNumbers';
import { UnavailabilityVersion1764142000000 } from './1764142000000-UnavailabilityVersion';
import { SupporterNotifications1764142100000 } from './1764142100000-SupporterNotifications';
import { VideoLinks1764142200000 } from './1764142200000-VideoLinks';
import { CalendarWrites1764142300000 } from './1764142300000-CalendarWrites';
import { WorkingHours1764142400000 } from './1764142400000-WorkingHours';

export const MIGRATIONS = [
  Foundation1764140000000,
  CallersIntakesBookings1764140100000,
  Outbox1764140200000,
  CallerPhones1764140250000,
  Privacy1764140300000,
  DirectoryVersion1764140400000,
  UserDeactivation1764140500000,
  OutboxSettledLinks1764140600000,
  RateLimits1764140750000,
  OutboxGiveUp1764140850000,
  Calendars1764140900000,
  SupporterUnavailability1764140950000,
  CallerSearch1764141700000,
  IntakeEndReason1764141800000,
  SupportLineNumbers1764141900000,
  UnavailabilityVersion1764142000000,
  SupporterNotifications1764142100000,
  VideoLinks1764142200000,
  CalendarWrites1764142300000,
  WorkingHours1764142400000,
];
