import { Logger } from '@nestjs/common';
import type { MailTransport } from './mail.transport';
import type { NotificationsRepository } from './notifications.repository';
import { OutboxWorker } from './outbox.worker';
import type { SmsTransport } from './sms.transport';

/**
 * Issue 15, point 1, without a database: a repository whose calls throw what
 * node-postgres throws while PostgreSQL restarts (57P01 admin_shutdown).
 */
function outageRepo(failures: number) {
  let calls = 0;
  let rounds = 0;
  const repo = {
    async failAbandoned(): Promise<number> {
      calls += 1;
      if (calls <= failures)
        throw Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });
      rounds += 1;
      return 0;
    },
    async claim() {
      return [];
    },
    async expireStale() {
      return 0;
    },
  };
  return { repo: repo as unknown as NotificationsRepository, calls: () => calls, rounds: () => rounds };
}

const mail: MailTransport = { send: async () => undefined, close: () => undefined };
const sms: SmsTransport = { send: async () => undefined };
const config = { mailFrom: 'x <x@localhost>', worker: false };
const until = async (what: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!what()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('OutboxWorker when the database is away', () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  let errors: jest.SpyInstance;
  let infos: jest.SpyInstance;

  beforeEach(() => {
    unhandled.length = 0;
    process.on('unhandledRejection', onUnhandled);
    errors = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    infos = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  });
  afterEach(() => {
    process.off('unhandledRejection', onUnhandled);
    jest.restoreAllMocks();
  });

  it('a failing first round (57P01) leaves no unhandled rejection; the loop resumes by itself', async () => {
    const r = outageRepo(1);
    const worker = new OutboxWorker(r.repo, mail, sms, config, { pollIntervalMs: 5, outageBackoffCapMs: 20 });
    worker.start();
    await until(() => r.rounds() >= 2);
    // let any stray rejection surface (Node reports them after the microtask queue drains)
    await new Promise((res) => setImmediate(res));
    await new Promise((res) => setTimeout(res, 20));
    await worker.stop();
    expect(unhandled).toEqual([]);
    expect(worker.consecutiveFailedRounds).toBe(0);
    expect(infos.mock.calls.map((c) => String(c[0]))).toContainEqual(
      expect.stringMatching(/resumed after 1 failed round/),
    );
  });

  it('logs once per outage, not once per round, and backs off between rounds', async () => {
    const r = outageRepo(6);
    const worker = new OutboxWorker(r.repo, mail, sms, config, { pollIntervalMs: 5, outageBackoffCapMs: 40 });
    const started = Date.now();
    worker.start();
    await until(() => r.rounds() >= 1);
    const took = Date.now() - started;
    await worker.stop();
    expect(r.calls()).toBeGreaterThanOrEqual(7);
    expect(errors).toHaveBeenCalledTimes(1);
    expect(String(errors.mock.calls[0][0])).toMatch(/57P01/);
    // 10 + 20 + 40 + 40 + 40 + 40 ms of backoff at least, not 6 × 5 ms
    expect(took).toBeGreaterThanOrEqual(190);
    expect(unhandled).toEqual([]);
  });

  it('runOnce still rejects to its own caller', async () => {
    const r = outageRepo(1);
    const worker = new OutboxWorker(r.repo, mail, sms, config);
    await expect(worker.runOnce()).rejects.toMatchObject({ code: '57P01' });
    await expect(worker.runOnce()).resolves.toEqual({ sent: 0, retried: 0, failed: 0, expired: 0 });
    await new Promise((res) => setTimeout(res, 10));
    expect(unhandled).toEqual([]);
  });
});
