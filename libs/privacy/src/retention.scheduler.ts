import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@app/common';
import { PrivacyService } from './privacy.service';

const DAY = 86_400_000;
const FIRST_RUN_DELAY = 60_000;
/** After a failed run (the database away): again after 1 min, 2, 4 … at most an hour, not a day later. */
const RETRY_FIRST = 60_000;
const RETRY_MAX = 3_600_000;
const RETENTION_LOCK = 724_311_002;

/**
 * Daily, wherever the worker runs (config.worker): callers with no contact for
 * RETENTION_YEARS are erased. An advisory lock keeps several workers from
 * running it at once.
 */
@Injectable()
export class RetentionScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Retention');
  private timer?: NodeJS.Timeout;
  private failures = 0;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly ds: DataSource,
    private readonly privacy: PrivacyService,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.worker) return;
    this.timer = setTimeout(() => void this.tick(), FIRST_RUN_DELAY);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearTimeout(this.timer);
  }

  /** Never throws: a failed run is logged once (not at every retry) and tried again soon, with backoff. */
  private async tick(): Promise<void> {
    let next = DAY;
    try {
      await this.runOnce();
      if (this.failures) this.logger.log(`retention ran again after ${this.failures} failed attempt(s)`);
      this.failures = 0;
    } catch (err) {
      this.failures += 1;
      if (this.failures === 1) {
        const code = (err as { code?: unknown })?.code;
        this.logger.error(
          { err: { code: typeof code === 'string' ? code : undefined, message: (err as Error)?.message } },
          'retention run failed; retrying with backoff, quiet until it works',
        );
      }
      next = this.retryDelayMs();
    }
    this.timer = setTimeout(() => void this.tick(), next);
    this.timer.unref();
  }

  /** The wait before the next try after `failures` failed runs in a row. */
  retryDelayMs(failures = this.failures): number {
    return Math.min(RETRY_MAX, RETRY_FIRST * 2 ** Math.max(0, Math.min(failures - 1, 20)));
  }

  async runOnce(): Promise<number | null> {
    const runner = this.ds.createQueryRunner();
    await runner.connect();
    try {
      const [{ locked }] = (await runner.query('SELECT pg_try_advisory_lock($1) AS locked', [RETENTION_LOCK])) as {
        locked: boolean;
      }[];
      if (!locked) return null;
      try {
        const result = await this.privacy.retention({ dryRun: false });
        return result.erased;
      } finally {
        await runner.query('SELECT pg_advisory_unlock($1)', [RETENTION_LOCK]);
      }
    } finally {
      await runner.release();
    }
  }
}
