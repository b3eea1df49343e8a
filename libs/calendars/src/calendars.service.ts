import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { assertSupporterScope, AuthUser } from '@app/auth';
import { APP_CONFIG, AppConfig, DomainError, queryRange } from '@app/common';
import { SupportersService } from '@app/supporters';
import { CalDavClient, CALENDAR_ERRORS, CalendarAccessError } from './caldav.client';
import { CalendarSyncService } from './calendar-sync.service';
import { CalendarWritesRepository, WritesSummary } from './calendar-writes.repository';
import { CalendarsRepository, ConnectionRow } from './calendars.repository';
import {
  BusyTimeQuery,
  BusyTimeView,
  CalendarFeedLinkView,
  CalendarStatusView,
  ConnectCalendarDto,
} from './dto/calendar.dto';

/** Error codes of a failed read that are ours rather than the calendar server's. */
const OWN_ERRORS: Record<string, string> = {
  credentials_unreadable:
    'The stored calendar password can no longer be read (the server key changed): connect the calendar again.',
  write_conflict: 'A session in the calendar was changed there; it is written again as booked.',
};

const errorView = (code: string | null) =>
  code
    ? {
        code,
        text: (CALENDAR_ERRORS as Record<string, string>)[code] ?? OWN_ERRORS[code] ?? 'The last attempt failed.',
      }
    : null;

const writesView = (w: WritesSummary) => ({
  pending: w.pending,
  failing: w.failing,
  lastError: errorView(w.lastError),
});

export function feedTokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** The supporter-facing use cases: connect, status, disconnect, sync now, and the feed link. */
@Injectable()
export class CalendarsService {
  constructor(
    private readonly repo: CalendarsRepository,
    private readonly client: CalDavClient,
    private readonly sync: CalendarSyncService,
    private readonly writes: CalendarWritesRepository,
    private readonly supporters: SupportersService,
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'calendar' | 'publicUrl'>,
  ) {}

  private requireCipher() {
    if (!this.sync.cipher) {
      throw new DomainError(
        'not_configured',
        'Calendar connections are not configured on this server (CALENDAR_ENCRYPTION_KEY is not set). Ask an administrator.',
      );
    }
    return this.sync.cipher;
  }

  private isStale(c: ConnectionRow): boolean {
    return !c.lastSyncAt || Date.now() - c.lastSyncAt.getTime() > 3 * this.config.calendar.syncIntervalMs;
  }

  private async view(c: ConnectionRow | null): Promise<CalendarStatusView> {
    if (!c)
      return {
        connected: false,
        connectedAt: null,
        lastSyncAt: null,
        lastAttemptAt: null,
        stale: false,
        lastError: null,
        busyBlocks: 0,
        writes: { pending: 0, failing: 0, lastError: null },
      };
    const code = c.lastError;
    return {
      connected: true,
      connectedAt: c.connectedAt.toISOString(),
      lastSyncAt: c.lastSyncAt?.toISOString() ?? null,
      lastAttemptAt: c.lastAttemptAt?.toISOString() ?? null,
      stale: this.isStale(c),
      lastError: errorView(code),
      busyBlocks: c.busyBlocks,
      writes: writesView(await this.writes.summary(c.supporterId)),
    };
  }

  /** Tests the connection first: nothing is stored unless the calendar answers to these credentials. */
  async connect(supporterId: string, dto: ConnectCalendarDto, user: AuthUser): Promise<CalendarStatusView> {
    assertSupporterScope(user, supporterId);
    const cipher = this.requireCipher();
    await this.supporters.require(supporterId);
    const credentials = { url: dto.url, username: dto.username, password: dto.password };
    try {
      await this.client.test(credentials);
    } catch (err) {
      if (!(err instanceof CalendarAccessError)) throw err;
      throw new DomainError('calendar_connection_failed', err.message, { reason: err.code });
    }
    await this.repo.saveConnection(supporterId, cipher.seal(credentials, supporterId));
    await this.sync.syncOne(supporterId);
    return this.view(await this.repo.connection(supporterId));
  }

  async status(supporterId: string, user: AuthUser): Promise<CalendarStatusView> {
    assertSupporterScope(user, supporterId);
    await this.supporters.require(supporterId);
    return this.view(await this.repo.connection(supporterId));
  }

  /** The busy intervals themselves (times only), for the supporter's week. */
  async busyTime(supporterId: string, query: BusyTimeQuery, user: AuthUser): Promise<BusyTimeView> {
    assertSupporterScope(user, supporterId);
    const { start, end } = queryRange(query, { now: Date.now(), defaultDays: 7, maxDays: 92 });
    await this.supporters.require(supporterId);
    const c = await this.repo.connection(supporterId);
    if (!c) return { connected: false, busy: [], lastSyncAt: null, stale: false };
    const blocks = await this.repo.busyBlocks(supporterId, new Date(start), new Date(end));
    return {
      connected: true,
      busy: blocks.map((b) => ({ start: b.start.toISOString(), end: b.end.toISOString() })),
      lastSyncAt: c.lastSyncAt?.toISOString() ?? null,
      stale: this.isStale(c),
    };
  }

  async disconnect(supporterId: string, user: AuthUser): Promise<void> {
    assertSupporterScope(user, supporterId);
    if (!(await this.repo.deleteConnection(supporterId))) throw DomainError.notFound('Calendar connection');
  }

  /** Reads the calendar now; the answer shows the outcome (lastError on a failed read). */
  async syncNow(supporterId: string, user: AuthUser): Promise<CalendarStatusView> {
    assertSupporterScope(user, supporterId);
    this.requireCipher();
    const outcome = await this.sync.syncOne(supporterId);
    if (!outcome.ok && outcome.code === 'not_connected') throw DomainError.notFound('Calendar connection');
    return this.view(await this.repo.connection(supporterId));
  }

  /** A new private feed link (any older one stops working); the token is shown once and kept only hashed. */
  async createFeed(supporterId: string, user: AuthUser): Promise<CalendarFeedLinkView> {
    assertSupporterScope(user, supporterId);
    await this.supporters.require(supporterId);
    const token = randomBytes(32).toString('base64url');
    await this.repo.replaceFeedToken(supporterId, feedTokenHash(token));
    const url = `${this.config.publicUrl}/calendar/${token}.ics`;
    return { url, webcalUrl: url.replace(/^https?:/, 'webcal:') };
  }

  async revokeFeed(supporterId: string, user: AuthUser): Promise<void> {
    assertSupporterScope(user, supporterId);
    if (!(await this.repo.revokeFeedTokens(supporterId))) throw DomainError.notFound('Calendar feed');
  }
}
