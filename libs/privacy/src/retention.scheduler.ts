import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@app/common';
import { PrivacyService } from './privacy.service';

const DAY = 86_400_000;
const FIRST_RUN_DELAY = 60_000;
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

  private async tick(): Promise<void> {
    try {
      await this.runOnce();
    } catch (err) {
      this.logger.error({ err: { message: (err as Error).message } }, 'retention run failed; will try again tomorrow');
    }
    this.timer = setTimeout(() => void this.tick(), DAY);
    this.timer.unref();
  }

  async runOnce(): Promise<number | null> {
    const runner = this.ds.createQueryRunner();
    await runner.connect();
    try {
      const [{ locked }] = (await runner.query('SELECT pg_try_advisory_lock($1) AS locked', [RETENTION_LOCK])) as { locked: boolean }[];
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
