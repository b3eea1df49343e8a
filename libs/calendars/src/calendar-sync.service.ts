import { BackgroundLoop } from './background-loop';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@app/common';
import { PoliciesService } from '@app/policies';
import { SupportersService } from '@app/supporters';
import { busyIntervals } from './busy-time';
import { CalDavClient, CalendarAccessError, CalendarErrorCode } from './caldav.client';
import { CalendarsRepository } from './calendars.repository';
import { CredentialsCipher } from './credentials-cipher';

const DAY_MS = 86_400_000;
/** Calendars read side by side in one round, at most (each waits on a remote server). */
const PARALLEL = 4;

export type SyncOutcome =
  { ok: true; blocks: number } | { ok: false; code: CalendarErrorCode | 'credentials_unreadable' | 'not_connected' };

/**
 * Reads busy time from connected CalDAV calendars into calendar_busy_blocks:
 * on demand (one supporter) and every CALENDAR_SYNC_MINUTES in a background
 * loop (WORKER=on, or the worker process). A failed read is recorded on the
 * connection in plain words and keeps the previous busy time; nothing a
 * calendar server does can end the process.
 */
@Injectable()
export class CalendarSyncService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('CalendarSync');
  readonly cipher: CredentialsCipher | null;
  private intervalMs: number;
  private readonly loop = new BackgroundLoop(
    () => this.tick(),
    () => Math.min(60_000, this.intervalMs),
  );

  constructor(
    private readonly repo: CalendarsRepository,
    private readonly client: CalDavClient,
    private readonly supporters: SupportersService,
    private readonly policies: PoliciesService,
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'calendar' | 'worker'>,
  ) {
    this.cipher = config.calendar.encryptionKey ? new CredentialsCipher(config.calendar.encryptionKey) : null;
    this.intervalMs = config.calendar.syncIntervalMs;
    client.configure({ allowedHosts: config.calendar.allowedHosts });
  }

  /** The window read from each calendar: from a day ago to the booking horizon (and a day beyond). */
  async window(now = Date.now()): Promise<{ from: Date; to: Date }> {
    const policy = await this.policies.get();
    return { from: new Date(now - DAY_MS), to: new Date(now + (policy.bookingHorizonDays + 1) * DAY_MS) };
  }

  /** Reads one supporter's calendar now and stores what it holds. */
  async syncOne(supporterId: string): Promise<SyncOutcome> {
    const conn = await this.repo.connection(supporterId);
    if (!conn) return { ok: false, code: 'not_connected' };
    const at = new Date();
    let credentials;
    try {
      if (!this.cipher) throw new Error('no key');
      credentials = this.cipher.open(conn.credentials, supporterId);
    } catch {
      // The key changed (or was removed): the supporter must connect again.
      await this.repo.recordFailure(supporterId, conn.credentials, 'credentials_unreadable', at);
      return { ok: false, code: 'credentials_unreadable' };
    }
    try {
      const supporter = await this.supporters.require(supporterId);
      const { from, to } = await this.window(at.getTime());
      const objects = await this.client.eventsBetween(credentials, from, to);
      const { intervals } = busyIntervals(objects, from.getTime(), to.getTime(), supporter.timeZone);
      await this.repo.replaceBusyBlocks(supporterId, conn.credentials, intervals, at);
      return { ok: true, blocks: intervals.length };
    } catch (err) {
      if (!(err instanceof CalendarAccessError)) throw err;
      await this.repo.recordFailure(supporterId, conn.credentials, err.code, at);
      return { ok: false, code: err.code };
    }
  }

  /** One round: every connection due now, a few at a time. Returns how many were read and how many failed. */
  async runOnce(): Promise<{ synced: number; failed: number }> {
    const result = { synced: 0, failed: 0 };
    for (;;) {
      const due = await this.repo.claimDue(PARALLEL, this.intervalMs);
      if (!due.length) return result;
      const outcomes = await Promise.all(
        due.map((id) =>
          this.syncOne(id).catch((err: unknown) => {
            // our own database failing mid-sync: the connection is due again next interval
            this.log.warn(`calendar sync of supporter ${id} failed: ${err instanceof Error ? err.name : 'error'}`);
            return { ok: false } as const;
          }),
        ),
      );
      for (const o of outcomes) result[o.ok ? 'synced' : 'failed'] += 1;
    }
  }

  onApplicationBootstrap(): void {
    if (this.config.worker && this.cipher) this.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.loop.stop();
  }

  get isRunning(): boolean {
    return this.loop.isRunning;
  }

  start(): void {
    this.loop.start();
  }

  private async tick(): Promise<void> {
    try {
      const { synced, failed } = await this.runOnce();
      if (failed) this.log.warn(`calendar sync round: ${synced} read, ${failed} failed`);
    } catch (err) {
      // The database may be away for a moment; the next round tries again.
      this.log.error(`calendar sync round failed: ${err instanceof Error ? err.name : 'error'}`);
    }
  }
}
