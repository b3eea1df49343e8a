import { DataSource, EntityManager } from 'typeorm';
import { dataSourceOptions, inTransaction, PipeliningClient, queryPrepared } from '@app/database';
import { startTestApp, TestApp } from '../support/test-app';

/** The transaction's pg client, counting the round trips (ReadyForQuery messages) from now on. */
function roundTrips(m: EntityManager): () => number {
  const client = (m.queryRunner as unknown as { databaseConnection: PipeliningClient & { connection: NodeJS.EventEmitter } }).databaseConnection;
  let n = 0;
  client.connection.on('readyForQuery', () => n++);
  return () => n;
}

const values = (ds: DataSource): Promise<number[]> =>
  ds.query(`SELECT v FROM pipeline_probe ORDER BY id`).then((rows: { v: number }[]) => rows.map((r) => r.v));

describe('inTransaction: BEGIN rides with the first statement, COMMIT with a last one (PipeliningClient)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
    await t.ds.query(`CREATE TABLE pipeline_probe (id int PRIMARY KEY, v int NOT NULL)`);
  });
  beforeEach(async () => {
    await t.ds.query(`TRUNCATE pipeline_probe`);
  });
  afterAll(async () => {
    await t.close();
  });

  it('the pool hands out PipeliningClients', async () => {
    const runner = t.ds.createQueryRunner();
    try {
      expect(await runner.connect()).toBeInstanceOf(PipeliningClient);
    } finally {
      await runner.release();
    }
  });

  it('two reads and a write sent with the COMMIT: three round trips (five without), and the write is committed', async () => {
    let trips!: () => number;
    const inside = await inTransaction(t.ds, async (m) => {
      trips = roundTrips(m);
      const [{ level }] = await m.query(`SELECT current_setting('transaction_isolation') AS level, $1::int AS x`, [1]);
      const [{ open }] = await m.query(`SELECT now() = statement_timestamp() AS open, $1::int AS x`, [1]);
      await queryPrepared(m, `INSERT INTO pipeline_probe VALUES ($1, $2)`, [1, 10], { commit: true });
      return { level, open };
    });
    // A transaction's now() is its start, not the statement's: the second read was inside the first one's transaction.
    expect(inside).toEqual({ level: 'read committed', open: false });
    expect(trips()).toBe(3);
    expect(await values(t.ds)).toEqual([10]);
  });

  it('without commit, the COMMIT is its own round trip; with no statement at all, nothing is sent', async () => {
    let trips!: () => number;
    await inTransaction(t.ds, async (m) => {
      trips = roundTrips(m);
      await m.query(`INSERT INTO pipeline_probe VALUES ($1, $2)`, [1, 10]);
    });
    expect(trips()).toBe(2);
    await inTransaction(t.ds, async (m) => {
      trips = roundTrips(m);
    });
    expect(trips()).toBe(0);
    expect(await values(t.ds)).toEqual([10]);
  });

  it('work that throws after its first statement rolls it back', async () => {
    await expect(
      inTransaction(t.ds, async (m) => {
        await m.query(`INSERT INTO pipeline_probe VALUES ($1, $2)`, [1, 10]);
        throw new Error('refused in code');
      }),
    ).rejects.toThrow('refused in code');
    expect(await values(t.ds)).toEqual([]);
  });

  it('a last statement that fails leaves nothing of the transaction, and its connection is clean for the next one', async () => {
    await t.ds.query(`INSERT INTO pipeline_probe VALUES (1, 0)`);
    for (let i = 0; i < 25; i++) {
      // more than the pool's 20 connections: every one of them is used again after its failure
      await expect(
        inTransaction(t.ds, async (m) => {
          await m.query(`INSERT INTO pipeline_probe VALUES ($1, $2)`, [100 + i, 1]);
          await queryPrepared(m, `INSERT INTO pipeline_probe VALUES ($1, $2)`, [1, 1], { commit: true });
        }),
      ).rejects.toMatchObject({ code: '23505' });
    }
    const ok = await Promise.all(
      Array.from({ length: 25 }, (_, i) => inTransaction(t.ds, (m) => queryPrepared<{ n: number }>(m, `SELECT $1::int AS n`, [i], { commit: true }))),
    );
    expect(ok.map(([r]) => r.n)).toEqual(Array.from({ length: 25 }, (_, i) => i));
    expect(await values(t.ds)).toEqual([0]);
  });

  it('the first statement failing with BEGIN: rolled back, and the same work succeeds on the next attempt', async () => {
    await expect(
      inTransaction(t.ds, (m) => m.query(`INSERT INTO pipeline_probe VALUES ($1, $2)`, [null, 1])),
    ).rejects.toMatchObject({ driverError: { code: '23502' } });
    await inTransaction(t.ds, (m) => m.query(`INSERT INTO pipeline_probe VALUES ($1, $2)`, [2, 1]));
    expect(await values(t.ds)).toEqual([1]);
  });

  it('nothing may run in a transaction after the statement that committed it', async () => {
    await expect(
      inTransaction(t.ds, async (m) => {
        await queryPrepared(m, `INSERT INTO pipeline_probe VALUES ($1, $2)`, [1, 10], { commit: true });
        await m.query(`INSERT INTO pipeline_probe VALUES ($1, $2)`, [2, 20]);
      }),
    ).rejects.toThrow('committed with its last statement');
    expect(await values(t.ds)).toEqual([10]);
  });

  it('a statement without parameters first (several statements, simple protocol) is still inside the transaction', async () => {
    await expect(
      inTransaction(t.ds, async (m) => {
        await m.query(`INSERT INTO pipeline_probe VALUES (1, 1); INSERT INTO pipeline_probe VALUES (2, 2)`);
        throw new Error('refused in code');
      }),
    ).rejects.toThrow('refused in code');
    expect(await values(t.ds)).toEqual([]);
  });

  it('a callback-style query first is inside the transaction too (BEGIN queued before it)', async () => {
    await expect(
      inTransaction(t.ds, async (m) => {
        const client = (m.queryRunner as unknown as { databaseConnection: { query(text: string, values: unknown[], cb: (err: Error | null) => void): void } }).databaseConnection;
        await new Promise<void>((resolve, reject) => client.query(`INSERT INTO pipeline_probe VALUES ($1, $2)`, [1, 1], (err) => (err ? reject(err) : resolve())));
        throw new Error('refused in code');
      }),
    ).rejects.toThrow('refused in code');
    expect(await values(t.ds)).toEqual([]);
  });

  it('a named statement whose parse failed in a pipeline is parsed again next time on that connection', async () => {
    const ds = new DataSource(dataSourceOptions((t.ds.options as { url: string }).url, { migrations: [], extra: { max: 1 } }));
    await ds.initialize();
    try {
      const sql = `INSERT INTO pipeline_later VALUES ($1) RETURNING id`;
      await expect(inTransaction(ds, (m) => queryPrepared(m, sql, [1], { commit: true }))).rejects.toMatchObject({ code: '42P01' });
      await ds.query(`CREATE TABLE pipeline_later (id int)`);
      expect(await inTransaction(ds, (m) => queryPrepared(m, sql, [2], { commit: true }))).toEqual([{ id: 2 }]);
      // and once parsed, it is not parsed again: a second run on the one connection works as well
      expect(await inTransaction(ds, (m) => queryPrepared(m, sql, [3]))).toEqual([{ id: 3 }]);
      expect((await ds.query(`SELECT id FROM pipeline_later ORDER BY id`)).map((r: { id: number }) => r.id)).toEqual([2, 3]);
    } finally {
      await ds.destroy();
    }
  });

  it('outside inTransaction the client is node-postgres as usual (TypeORM transactions, plain queries)', async () => {
    await t.ds.transaction(async (m) => {
      await m.query(`INSERT INTO pipeline_probe VALUES ($1, $2)`, [1, 10]);
      await queryPrepared(m, `INSERT INTO pipeline_probe VALUES ($1, $2)`, [2, 20], { commit: true });
      await m.query(`INSERT INTO pipeline_probe VALUES ($1, $2)`, [3, 30]);
    });
    expect(await values(t.ds)).toEqual([10, 20, 30]);
  });
});

describe('DB_POOL_MAX', () => {
  it('caps the connections of the process: the fourth transaction waits for one of three', async () => {
    const t = await startTestApp({ DB_POOL_MAX: '3' });
    try {
      expect((t.ds.driver as unknown as { master: { options: { max: number } } }).master.options.max).toBe(3);
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      const holders = Array.from({ length: 3 }, () => inTransaction(t.ds, async (m) => {
        await m.query('SELECT $1::int', [1]);
        await held;
      }));
      let fourth = false;
      const waiting = inTransaction(t.ds, (m) => m.query('SELECT $1::int', [4])).then(() => (fourth = true));
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(fourth).toBe(false);
      release();
      await Promise.all([...holders, waiting]);
      expect(fourth).toBe(true);
    } finally {
      await t.close();
    }
  });
});

