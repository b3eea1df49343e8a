import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import ICAL from 'ical.js';
import { BookingsService, SessionOutline } from '@app/booking';
import { APP_CONFIG, AppConfig, DomainError } from '@app/common';
import { RateLimiter, RateLimits } from '@app/database';
import { PoliciesService } from '@app/policies';
import { CalendarsRepository } from './calendars.repository';
import { feedTokenHash } from './calendars.service';

const DAY_MS = 86_400_000;
/** Like the manage links: per client address, counted in PostgreSQL. */
const FEED_REQUESTS_PER_MINUTE = 30;
const TOKEN_FILE = /^([A-Za-z0-9_-]{43})\.ics$/;

export interface Feed {
  body: string;
  etag: string;
}

const icsTime = (d: Date) => ICAL.Time.fromJSDate(d, true);

/**
 * A supporter's private iCalendar feed: their confirmed sessions from 30
 * days ago to the booking horizon, each with its reference, time and
 * modality only. The caller's name, phone and reason are never in it (the
 * feed travels to calendar apps and servers we do not control).
 */
@Injectable()
export class CalendarFeedService {
  private readonly limiter: RateLimiter;

  constructor(
    private readonly repo: CalendarsRepository,
    private readonly bookings: BookingsService,
    private readonly policies: PoliciesService,
    limits: RateLimits,
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'publicUrl'>,
  ) {
    this.limiter = limits.limiter({ name: 'calendar_feed', points: FEED_REQUESTS_PER_MINUTE, durationSeconds: 60 });
  }

  async feed(file: string, ip: string): Promise<Feed> {
    await this.limiter.consume(ip);
    const token = TOKEN_FILE.exec(file)?.[1];
    const supporterId = token ? await this.repo.supporterOfFeedToken(feedTokenHash(token)) : null;
    if (!supporterId) throw DomainError.notFound('Calendar feed');
    const now = Date.now();
    const policy = await this.policies.get();
    const sessions = await this.bookings.confirmedSessionsOf(supporterId, {
      start: now - 30 * DAY_MS,
      end: now + policy.bookingHorizonDays * DAY_MS,
    });
    const body = this.render(sessions);
    return { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"` };
  }

  /** Deterministic for the same sessions (DTSTAMP is the booking's last change), so the ETag holds until something changes. */
  private render(sessions: SessionOutline[]): string {
    const host = new URL(this.config.publicUrl).host;
    const cal = new ICAL.Component(['vcalendar', [], []]);
    cal.addPropertyWithValue('version', '2.0');
    cal.addPropertyWithValue('prodid', "-//Doctors' support line//Supporter feed//EN");
    cal.addPropertyWithValue('calscale', 'GREGORIAN');
    cal.addPropertyWithValue('x-wr-calname', 'Support sessions');
    for (const s of sessions) {
      const ev = new ICAL.Component('vevent');
      ev.addPropertyWithValue('uid', `feed-${s.id}@${host}`);
      ev.addPropertyWithValue('dtstamp', icsTime(s.updatedAt));
      ev.addPropertyWithValue('dtstart', icsTime(s.start));
      ev.addPropertyWithValue('dtend', icsTime(s.end));
      ev.addPropertyWithValue('sequence', s.sequence);
      ev.addPropertyWithValue('status', 'CONFIRMED');
      ev.addPropertyWithValue('summary', `Support session ${s.reference} (${s.modality})`);
      ev.addPropertyWithValue(
        'description',
        `Reference ${s.reference}, ${s.modality} session. The caller's details are in the console: ${this.config.publicUrl}/`,
      );
      cal.addSubcomponent(ev);
    }
    return cal.toString().replace(/\r?\n/g, '\r\n') + '\r\n';
  }
}
