import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy, Optional } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@app/common';
import { BackoffOptions, backoffMs } from './backoff';
import { MAIL_TRANSPORT, MailTransport } from './mail.transport';
import { NotificationsRepository } from './notifications.repository';
import { OutboxMessage } from './outbox-message.entity';
import { SMS_TRANSPORT, SmsTransport } from './sms.transport';

export interface OutboxWorkerOptions extends BackoffOptions {
  /** How often an idle worker looks for due messages. */
  pollIntervalMs: number;
  /** Messages claimed (and sent side by side) at a time. */
  batchSize: number;
  /** How long a claim lasts; a worker that dies mid-send leaves the message to others after this. Longer than any send timeout. */
  leaseMs: number;
  /** Tries per message, the first included; then it is `failed` (a safety bound: giveUpAfterMs ends retrying first). */
  maxAttempts: number;
  /** A message failing temporarily is retried this long after it was written (or resent), then `failed` (OUTBOX_GIVE_UP_AFTER). */
  giveUpAfterMs: number;
  /** While the database cannot be reached, the wait between rounds doubles from pollIntervalMs up to this. */
  outageBackoffCapMs: number;
}

export const DEFAULT_OUTBOX_OPTIONS: OutboxWorkerOptions = {
  pollIntervalMs: 1000,
  batchSize: 10,
  leaseMs: 120_000,
  maxAttempts: 1000,
  giveUpAfterMs: 48 * 3_600_000,
  backoffBaseMs: 1000,
  backoffCapMs: 600_000,
  jitter: 0.1,
  outageBackoffCapMs: 10_000,
};

export const OUTBOX_WORKER_OPTIONS = Symbol('OUTBOX_WORKER_OPTIONS');

export interface RunResult {
  sent: number;
  retried: number;
  failed: number;
  /** Not sent because their session had started. */
  expired: number;
}

const EMAIL_RE = /[^\s<>"'@]+@[^\s<>"'@]+/g;
const PHONE_RE = /\+?\d[\d\s()-]{6,}\d/g;

/**
 * A short reason, safe to show staff (`lastError`): the SMTP reply code
 * (`smtp_451`), the HTTP status of the SMS provider (`http_400`), or the
 * network error (`ECONNREFUSED`, `ETIMEDOUT`); never an address or a number.
 */
export function errorReason(err: unknown): string {
  const e = (err ?? {}) as {
    code?: unknown;
    responseCode?: unknown;
    response?: { status?: unknown };
    message?: unknown;
  };
  if (typeof e.responseCode === 'number') return `smtp_${e.responseCode}`;
  if (e.response && typeof e.response.status === 'number') return `http_${e.response.status}`;
  const net =
    typeof e.message === 'string'
      ? /\b(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN)\b/.exec(e.message)
      : null;
  if (net) return net[1];
  if (typeof e.code === 'string' && /^[A-Za-z_]{2,30}$/.test(e.code)) return e.code;
  return 'error';
}

/**
 * Permanent failures are not retried: an SMTP 5xx reply (550 no such user,
 * 554 refused), an SMS provider's 4xx other than 408/429 (a bad number), or a
 * message nodemailer refuses to build (EENVELOPE). Everything else (no
 * connection, a timeout, a 4xx SMTP reply, a 5xx or 429 from the provider)
 * is temporary.
 */
export function isPermanentFailure(err: unknown): boolean {
  const e = (err ?? {}) as { code?: unknown; responseCode?: unknown; response?: { status?: unknown } };
  if (typeof e.responseCode === 'number') return e.responseCode >= 500 && e.responseCode < 600;
  const status = e.response?.status;
  if (typeof status === 'number') return status >= 400 && status < 500 && status !== 408 && status !== 429;
  return e.code === 'EENVELOPE';
}

/**
 * What went wrong, for last_error and the log: the short reason first
 * (errorReason; what the notifications view shows), then the SMTP or HTTP
 * status and a scrubbed message, never the recipient or the body.
 */
export function describeError(err: unknown, msg: Pick<OutboxMessage, 'recipient'>): string {
  const e = (err ?? {}) as {
    code?: unknown;
    responseCode?: unknown;
    response?: { status?: unknown; data?: { errors?: { error?: unknown }[] } };
    message?: unknown;
    name?: unknown;
  };
  const parts: string[] = [errorReason(err)];
  if (typeof e.code === 'string' && !parts.includes(e.code)) parts.push(e.code);
  const notifyError = e.response?.data?.errors?.[0]?.error;
  if (typeof notifyError === 'string') parts.push(notifyError);
  let text = typeof e.message === 'string' ? e.message : String(err);
  if (msg.recipient) text = text.split(msg.recipient).join('[recipient]');
  text = text.replace(EMAIL_RE, '[address]').replace(PHONE_RE, '[number]').replace(/\s+/g, ' ').trim().slice(0, 300);
  parts.push(text || (typeof e.name === 'string' ? e.name : 'error'));
  return parts.join(': ').slice(0, 500);
}

/**
 * Delivers the outbox: claims due messages (FOR UPDATE SKIP LOCKED plus a
 * lease), sends each once, and records the outcome; a failure is retried
 * with exponential backoff until `maxAttempts`, then `failed`.
 * At-least-once: a worker that dies between the send and the record leaves
 * the message to be sent again after the lease, with the same Message-ID.
 */
@Injectable()
export class OutboxWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('OutboxWorker');
  private options: OutboxWorkerOptions;
  private running = false;
  private timer: NodeJS.Timeout | null = null;
  /** The round in progress; never rejects (its caller sees the failure), so nothing is left unhandled. */
  private current: Promise<void> | null = null;
  /** Raised by stop(): a round begun before it ends after the messages in hand. */
  private stops = 0;
  /** Rounds failed in a row (the database away): logged once, then quiet until it works again. */
  private failedRounds = 0;

  constructor(
    private readonly repo: NotificationsRepository,
    @Inject(MAIL_TRANSPORT) private readonly mail: MailTransport,
    @Inject(SMS_TRANSPORT) private readonly sms: SmsTransport,
    @Inject(APP_CONFIG)
    private readonly config: Pick<AppConfig, 'mailFrom' | 'worker'> & Partial<Pick<AppConfig, 'outboxGiveUpAfterMs'>>,
    @Optional() @Inject(OUTBOX_WORKER_OPTIONS) options?: Partial<OutboxWorkerOptions>,
  ) {
    const giveUp = config.outboxGiveUpAfterMs ? { giveUpAfterMs: config.outboxGiveUpAfterMs } : {};
    this.options = { ...DEFAULT_OUTBOX_OPTIONS, ...giveUp, ...(options ?? {}) };
  }

  /** Changes timing (tests: no backoff, few attempts). */
  configure(options: Partial<OutboxWorkerOptions>): void {
    this.options = { ...this.options, ...options };
    // a poll already scheduled would otherwise keep the old interval once more
    this.nudge();
  }

  get settings(): Readonly<OutboxWorkerOptions> {
    return this.options;
  }

  get isRunning(): boolean {
    return this.running;
  }

  onApplicationBootstrap(): void {
    if (this.config.worker) this.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.stop();
    this.mail.close();
  }

  /** Polls every pollIntervalMs until stop(). */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.log.log('outbox delivery started');
    this.schedule(0);
  }

  /** Stops polling and waits for the messages in hand to be sent and recorded. */
  async stop(): Promise<void> {
    if (!this.running) {
      await this.current;
      return;
    }
    this.running = false;
    this.stops += 1;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.current;
    this.log.log('outbox delivery stopped');
  }

  /** Look now rather than at the next poll (e.g. right after a booking). */
  nudge(): void {
    if (this.running && this.timer && !this.current) {
      clearTimeout(this.timer);
      this.schedule(0);
    }
  }

  private schedule(delay: number): void {
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.tick();
    }, delay);
    this.timer.unref?.();
  }

  /**
   * Never throws: a failed round (PostgreSQL restarting, the pool exhausted)
   * is logged once per outage, and the rounds back off (doubling up to
   * outageBackoffCapMs) until one works again, which is logged too.
   */
  private async tick(): Promise<void> {
    let delay = this.options.pollIntervalMs;
    try {
      await this.runOnce();
      if (this.failedRounds > 0) this.log.log(`outbox delivery resumed after ${this.failedRounds} failed round(s)`);
      this.failedRounds = 0;
    } catch (err) {
      this.failedRounds += 1;
      if (this.failedRounds === 1) {
        this.log.error(
          `outbox delivery round failed (${describeError(err, { recipient: '' })}); retrying with backoff, quiet until it works again`,
        );
      }
      delay = Math.min(
        this.options.outageBackoffCapMs,
        Math.max(this.options.pollIntervalMs, 1) * 2 ** Math.min(this.failedRounds, 20),
      );
    }
    if (this.running) this.schedule(delay);
  }

  /** Rounds failed in a row so far (0 when the last one worked). */
  get consecutiveFailedRounds(): number {
    return this.failedRounds;
  }

  /**
   * One round: sends every message due now, batch after batch, trying each at
   * most once (a retry is due later). Safe to call while other workers run.
   * Rounds of one worker run one after another.
   */
  runOnce(): Promise<RunResult> {
    const run = (this.current ?? Promise.resolve()).then(() => this.round());
    // `current` only orders rounds and lets stop() wait; the caller of runOnce sees the failure.
    const tracked: Promise<void> = run
      .then(
        () => undefined,
        () => undefined,
      )
      .finally(() => {
        if (this.current === tracked) this.current = null;
      });
    this.current = tracked;
    return run;
  }

  private async round(): Promise<RunResult> {
    const result: RunResult = { sent: 0, retried: 0, failed: 0, expired: 0 };
    const { batchSize, leaseMs, maxAttempts } = this.options;
    const stops = this.stops;
    result.failed += await this.repo.failAbandoned(maxAttempts);
    result.expired += await this.repo.expireStale();
    if (result.expired) this.log.warn(`${result.expired} message(s) expired unsent: their session had started`);
    const tried: string[] = [];
    // After stop() no new batch is claimed: shutdown waits for the messages in hand only.
    while (this.stops === stops) {
      const batch = await this.repo.claim(batchSize, leaseMs, maxAttempts, tried);
      if (!batch.length) break;
      tried.push(...batch.map((m) => m.id));
      const outcomes = await Promise.all(batch.map((m) => this.deliver(m)));
      for (const o of outcomes) result[o] += 1;
    }
    return result;
  }

  private async deliver(msg: OutboxMessage): Promise<keyof RunResult> {
    const what = `${msg.channel} ${msg.kind} ${msg.id}`;
    try {
      if (msg.channel === 'email') {
        await this.mail.send({
          outboxId: msg.id,
          messageId: msg.messageId,
          from: this.config.mailFrom,
          to: msg.recipient,
          subject: msg.subject ?? '',
          text: msg.bodyText,
          html: msg.bodyHtml,
          ics: msg.ics
            ? { method: /^METHOD:CANCEL\r?$/m.test(msg.ics) ? 'CANCEL' : 'REQUEST', content: msg.ics }
            : null,
        });
      } else {
        await this.sms.send({
          outboxId: msg.id,
          kind: msg.kind,
          to: msg.recipient,
          text: msg.bodyText,
          personalisation: msg.personalisation ?? {},
        });
      }
    } catch (err) {
      const error = describeError(err, msg);
      if (isPermanentFailure(err) || msg.attempts >= this.options.maxAttempts) {
        await this.repo.markFailed(msg.id, error);
        this.log.warn(
          `${what} failed (attempt ${msg.attempts}, ${isPermanentFailure(err) ? 'permanent' : 'attempts spent'}): ${error}`,
        );
        return 'failed';
      }
      const delay = backoffMs(msg.attempts, this.options);
      const now = await this.repo.markRetry(msg.id, delay, error, this.options.giveUpAfterMs);
      if (now === 'failed') {
        this.log.warn(
          `${what} failed: still failing (${error}) after retrying for ${Math.round(this.options.giveUpAfterMs / 60_000)} min`,
        );
        return 'failed';
      }
      this.log.warn(`${what} attempt ${msg.attempts} failed (${error}); next try in ${Math.round(delay / 1000)} s`);
      return 'retried';
    }
    const was = await this.repo.markSent(msg.id);
    if (was === 'cancelled')
      this.log.warn(`${what} sent (attempt ${msg.attempts}), though cancelled while it was being sent`);
    else this.log.log(`${what} sent (attempt ${msg.attempts})`);
    return 'sent';
  }
}
