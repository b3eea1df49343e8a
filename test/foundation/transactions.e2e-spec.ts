import { EntityManager } from 'typeorm';
import { inTransaction } from '@app/database';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Two transactions that lock the same two rows in opposite orders: PostgreSQL
 * ends one of them with a deadlock (40P01). `run` is how each is started.
 */
async function opposingLocks(
  run: (work: (m: EntityManager) => Promise<void>) => Promise<void>,
): Promise<{ outcomes: PromiseSettledResult<void>[]; attempts: number }> {
  let attempts = 0;
  let arrived = 0;
  let release!: () => void;
  const bothHoldOne = new Promise<void>((resolve) => (release = resolve));
  const side = (first: number, second: number) => async (m: EntityManager) => {
    attempts++;
    await m.query(`UPDATE deadlock_probe SET v = v + 1 WHERE id = $1`, [first]);
    if (++arrived === 2) release();
    await bothHoldOne;
    await m.query(`UPDATE deadlock_probe SET v = v + 1 WHERE id = $1`, [second]);
  };
  const outcomes = await Promise.allSettled([run(side(1, 2)), run(side(2, 1))]);
  return { outcomes, attempts };
}

describe('inTransaction: a deadlock is retried, not answered with a 500', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
    await t.ds.query(`CREATE TABLE deadlock_probe (id int PRIMARY KEY, v int NOT NULL)`);
  });
  beforeEach(async () => {
    await t.ds.query(`TRUNCATE deadlock_probe`);
    await t.ds.query(`INSERT INTO deadlock_probe VALUES (1, 0), (2, 0)`);
  });
  afterAll(async () => {
    await t.close();
  });

  it('without it, the scenario really deadlocks: one side fails with 40P01', async () => {
    const { outcomes } = await opposingLocks((work) => t.ds.transaction(work));
    const failed = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(failed).toHaveLength(1);
    expect((failed[0].reason as { driverError?: { code?: string } }).driverError?.code).toBe('40P01');
    const rows: { v: number }[] = await t.ds.query(`SELECT v FROM deadlock_probe ORDER BY id`);
    expect(rows.map((r) => r.v)).toEqual([1, 1]);
  });

  it('with it, the losing side runs again after the winner commits: both succeed, each row updated twice', async () => {
    const retries: number[] = [];
    const { outcomes, attempts } = await opposingLocks((work) => inTransaction(t.ds, work, (n) => retries.push(n)));
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled']);
    expect(retries).toEqual([1]);
    expect(attempts).toBe(3);
    const rows: { v: number }[] = await t.ds.query(`SELECT v FROM deadlock_probe ORDER BY id`);
    expect(rows.map((r) => r.v)).toEqual([2, 2]);
  });

  it('other errors are not retried', async () => {
    let attempts = 0;
    await expect(
      inTransaction(t.ds, async (m) => {
        attempts++;
        await m.query(`INSERT INTO deadlock_probe VALUES (1, 0)`);
      }),
    ).rejects.toMatchObject({ driverError: { code: '23505' } });
    expect(attempts).toBe(1);
  });
});
