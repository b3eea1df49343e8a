import { DataSource, EntityManager } from 'typeorm';
import { dataSourceOptions, inTransaction, queryPrepared, together } from '@app/database';
import { PgProxy } from '../support/pg-proxy';
import { startTestApp, TestApp } from '../support/test-app';
import { auth, london, makeIntake, makeSupporter, postBooking } from '../support/booking-factories';

/**
 * The booking's transaction as PostgreSQL sees it: the app talks to the
 * database through a proxy that counts round trips and can cut the
 * connection before any one of them. Plain transactions through TypeORM's
 * public API, each library reading and writing its own tables; statements
 * sent together in node-postgres' pipeline mode share a round trip.
 */
describe('a booking on the wire (TCP proxy between the app and PostgreSQL)', () => {
  let t: TestApp;
  let proxy: PgProxy;
  let admin: string;
  let intake: string;

  beforeAll(async () => {
    proxy = await PgProxy.start(process.env.TEST_ADMIN_URL!);
    t = await startTestApp({}, { databaseUrl: (url) => proxy.through(url) });
    admin = (await t.signIn('admin')).token;
    intake = (await t.signIn('intake')).token;
  });
  afterEach(() => {
    proxy.cutBefore = null;
  });
  afterAll(async () => {
    await t.close();
    await proxy.close();
  });

  /** A fresh supporter and open intake; `n` days ahead keeps each test's session apart. */
  async function scene(n: number) {
    const s = await makeSupporter(t, admin);
    const i = await makeIntake(t, intake);
    return { body: { intakeId: i.id, supporterId: s.id, start: london(3 + n, '10:00').toISO()! }, intakeId: i.id };
  }

  /** What a booking writes, for one intake: all of it or none. */
  async function written(intakeId: string) {
    const [row] = await t.ds.query(
      `SELECT (SELECT count(*)::int FROM bookings WHERE intake_id = $1) AS bookings,
              (SELECT count(*)::int FROM booking_events e JOIN bookings b ON b.id = e.booking_id WHERE b.intake_id = $1) AS events,
              (SELECT count(*)::int FROM outbox_messages WHERE intake_id = $1) AS messages,
              (SELECT status FROM intakes WHERE id = $1) AS status`,
      [intakeId],
    );
    return row as { bookings: number; events: number; messages: number; status: string };
  }

  /** The statements of one booking's transaction, BEGIN to COMMIT, on the connection that ran it. */
  function transactionOf(exchanges: { connection: number; sql: string }[]): string[] {
    const begin = exchanges.findIndex((e) => /^START TRANSACTION|^BEGIN/i.test(e.sql));
    expect(begin).toBeGreaterThanOrEqual(0);
    const conn = exchanges[begin].connection;
    const mine = exchanges
      .slice(begin)
      .filter((e) => e.connection === conn)
      .map((e) => e.sql);
    return mine.slice(0, mine.findIndex((s) => /^(COMMIT|ROLLBACK)/i.test(s)) + 1);
  }

  it('a booking is one transaction of four round trips; each library reads and writes its own tables', async () => {
    // a first booking opens the pool's connections and parses the named statements
    const warm = await scene(0);
    expect((await postBooking(t, intake, warm.body)).status).toBe(201);

    const { body, intakeId } = await scene(1);
    const mark = proxy.mark();
    const res = await postBooking(t, intake, body);
    expect(res.status).toBe(201);
    const tx = transactionOf(mark.exchanges());
    const expected = [
      /^START TRANSACTION/,
      /FROM intakes i JOIN callers c .* FOR UPDATE OF i$/s, // intake: locks the intake, reads its caller
      /FROM supporters s WHERE s.id = \$1\s+FOR UPDATE OF s$/s, // supporters: locks the supporter, reads its schedule
      /^SELECT count\(\*\)::int AS n FROM intakes/, // intake: the supporter's active cases, counted under that lock
      /^WITH b AS \(\s+INSERT INTO bookings/, // booking: the booking and its history entry
      /^UPDATE intakes SET supporter_id/, // intake: its status
      /^INSERT INTO outbox_messages/, // notifications: confirmation and reminder
      /^COMMIT$/,
    ];
    expect(tx).toHaveLength(expected.length);
    tx.forEach((sql, n) => expect({ n, sql }).toEqual({ n, sql: expect.stringMatching(expected[n]) }));
    // nothing else reaches the database for this request (policies and the signed-in user are cached)
    expect(mark.answered()).toBe(expected.length);
    // pg's pipeline mode: the three reads go together, and so do the three writes (`together`): BEGIN, reads, writes, COMMIT
    expect(mark.roundTrips()).toBe(4);
    expect(await written(intakeId)).toEqual({ bookings: 1, events: 1, messages: expect.any(Number), status: 'booked' });
    expect((await written(intakeId)).messages).toBeGreaterThan(0);
  });

  it('the connection lost before a round trip: before COMMIT the transaction runs again on a fresh connection (booked once); before COMMIT itself nothing is written, the answer is 503 and the same booking then succeeds', async () => {
    const warm = await scene(2);
    expect((await postBooking(t, intake, warm.body)).status).toBe(201);
    // learn the transaction's statements once, then cut before each in turn
    const probe = await scene(3);
    const mark = proxy.mark();
    expect((await postBooking(t, intake, probe.body)).status).toBe(201);
    const statements = transactionOf(mark.exchanges());
    expect(statements.length).toBeGreaterThanOrEqual(8);

    let commitsCut = 0;
    for (let k = 0; k < statements.length; k++) {
      const { body, intakeId } = await scene(10 + k);
      let seen = -1;
      let conn = -1;
      let cut: string | null = null;
      // the k-th statement, or COMMIT at the latest; the probe's last statement is its COMMIT, and that turn cuts at
      // COMMIT whatever its position (a read served from a cache, such as the one-second policy cache, can make a
      // transaction one statement longer or shorter than the probe's)
      const atCommit = k === statements.length - 1;
      proxy.cutBefore = (e) => {
        if (cut !== null || (seen < 0 && !/^START TRANSACTION/.test(e.sql))) return false;
        if (seen < 0) conn = e.connection;
        if (e.connection !== conn) return false;
        seen++;
        if (/^COMMIT/i.test(e.sql) || (!atCommit && seen === k)) cut = e.sql;
        return cut !== null;
      };
      const res = await postBooking(t, intake, body);
      proxy.cutBefore = null;
      expect({ k, cut: cut !== null }).toEqual({ k, cut: true });
      if (!/^COMMIT/i.test(cut!)) {
        // the server rolled the lost transaction back; the work ran again, once, on another connection
        expect({ k, status: res.status }).toEqual({ k, status: 201 });
        expect({ k, ...(await written(intakeId)) }).toMatchObject({ k, bookings: 1, events: 1, status: 'booked' });
        continue;
      }
      // lost while committing: the outcome is unknown to the API, so it is not retried (the client may, with its key)
      commitsCut++;
      expect({ k, status: res.status }).toEqual({ k, status: 503 });
      expect(JSON.stringify(res.body)).not.toMatch(/INSERT|SELECT|ECONNRESET|terminated/i);
      expect({ k, ...(await written(intakeId)) }).toEqual({ k, bookings: 0, events: 0, messages: 0, status: 'open' });
      // the broken connection is gone from the pool: the same booking now succeeds
      expect((await postBooking(t, intake, body)).status).toBe(201);
      expect(await written(intakeId)).toMatchObject({ bookings: 1, events: 1, status: 'booked' });
    }
    expect(commitsCut).toBeGreaterThan(0);
  });

  it('a statement failing at each point of the transaction (a trigger refuses it): nothing is written, and the connection serves the next booking', async () => {
    await t.ds.query(`CREATE TABLE fail_at (what text PRIMARY KEY)`);
    await t.ds.query(`CREATE FUNCTION fail_if() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM fail_at f WHERE f.what = TG_ARGV[0]) THEN RAISE EXCEPTION 'refused at %', TG_ARGV[0]; END IF;
        RETURN NEW;
      END $$`);
    await t.ds.query(
      `CREATE TRIGGER fail_bookings BEFORE INSERT ON bookings FOR EACH ROW EXECUTE FUNCTION fail_if('bookings')`,
    );
    await t.ds.query(
      `CREATE TRIGGER fail_intakes BEFORE UPDATE ON intakes FOR EACH ROW EXECUTE FUNCTION fail_if('intakes')`,
    );
    await t.ds.query(
      `CREATE TRIGGER fail_outbox BEFORE INSERT ON outbox_messages FOR EACH ROW EXECUTE FUNCTION fail_if('outbox')`,
    );
    // at COMMIT: a deferred constraint trigger runs when the transaction commits
    await t.ds.query(`CREATE CONSTRAINT TRIGGER fail_commit AFTER INSERT ON booking_events DEFERRABLE INITIALLY DEFERRED
      FOR EACH ROW EXECUTE FUNCTION fail_if('commit')`);
    try {
      for (const [n, what] of ['bookings', 'intakes', 'outbox', 'commit'].entries()) {
        const { body, intakeId } = await scene(30 + n);
        await t.ds.query(`INSERT INTO fail_at VALUES ($1)`, [what]);
        // more attempts than the pool has connections: each one is clean after its failure
        for (let attempt = 0; attempt < 3; attempt++) {
          const res = await postBooking(t, intake, body);
          expect({ what, status: res.status }).toEqual({ what, status: 500 });
          expect(JSON.stringify(res.body)).not.toMatch(/refused at/);
        }
        expect({ what, ...(await written(intakeId)) }).toEqual({
          what,
          bookings: 0,
          events: 0,
          messages: 0,
          status: 'open',
        });
        await t.ds.query(`DELETE FROM fail_at`);
        expect((await postBooking(t, intake, body)).status).toBe(201);
        expect(await written(intakeId)).toMatchObject({ bookings: 1, events: 1, status: 'booked' });
      }
    } finally {
      await t.ds.query(`DROP TRIGGER fail_bookings ON bookings; DROP TRIGGER fail_intakes ON intakes;
        DROP TRIGGER fail_outbox ON outbox_messages; DROP TRIGGER fail_commit ON booking_events`);
    }
  });

  it('a statement timeout (a rival holds the intake): nothing is written, the connection is clean, and the booking succeeds once the rival is gone', async () => {
    const { body, intakeId } = await scene(40);
    const rival = t.ds.createQueryRunner();
    await rival.connect();
    await rival.startTransaction();
    try {
      await rival.query(`SELECT 1 FROM intakes WHERE id = $1 FOR UPDATE`, [intakeId]);
      // a use case waiting on the intake's lock past its statement timeout
      const outcome = await inTransaction(t.ds, async (m) => {
        await m.query(`SET LOCAL statement_timeout = '300ms'`);
        await m.query(`SELECT 1 FROM intakes WHERE id = $1 FOR UPDATE`, [intakeId]);
        await m.query(`UPDATE intakes SET status = 'closed' WHERE id = $1`, [intakeId]);
      }).then(
        () => 'committed',
        (err: { driverError?: { code?: string } }) => err.driverError?.code,
      );
      expect(outcome).toBe('57014');
    } finally {
      await rival.rollbackTransaction();
      await rival.release();
    }
    expect(await written(intakeId)).toEqual({ bookings: 0, events: 0, messages: 0, status: 'open' });
    expect((await postBooking(t, intake, body)).status).toBe(201);
    expect(await written(intakeId)).toMatchObject({ bookings: 1, status: 'booked' });
  });

  // 1.5 s: long enough that no other statement of the test (sign-in's rate limits included) meets it on a loaded machine
  it("a booking that waits on a lock past the server's statement_timeout answers 5xx and writes nothing", async () => {
    const timed = await startTestApp(
      {},
      { databaseUrl: (url) => `${proxy.through(url)}?options=${encodeURIComponent('-c statement_timeout=1500')}` },
    );
    try {
      const adminToken = (await timed.signIn('admin')).token;
      const intakeToken = (await timed.signIn('intake')).token;
      const s = await makeSupporter(timed, adminToken);
      const i = await makeIntake(timed, intakeToken);
      const body = { intakeId: i.id, supporterId: s.id, start: london(5, '11:00').toISO()! };
      const rival = timed.ds.createQueryRunner();
      await rival.connect();
      await rival.startTransaction();
      let res;
      try {
        await rival.query(`SELECT 1 FROM supporters WHERE id = $1 FOR UPDATE`, [s.id]);
        const t0 = Date.now();
        res = await timed.http().post('/api/v1/bookings').set(auth(intakeToken)).send(body);
        // it waited for the lock until the server's timeout ended the statement
        expect(Date.now() - t0).toBeGreaterThanOrEqual(1450);
      } finally {
        await rival.rollbackTransaction();
        await rival.release();
      }
      expect(res.status).toBeGreaterThanOrEqual(500);
      const [row] = await timed.ds.query(`SELECT count(*)::int AS n FROM bookings WHERE intake_id = $1`, [i.id]);
      expect(row.n).toBe(0);
      expect((await timed.http().post('/api/v1/bookings').set(auth(intakeToken)).send(body)).status).toBe(201);
    } finally {
      await timed.close();
    }
  });
});

describe('together: statements of one transaction in one round trip (pipeline mode)', () => {
  let t: TestApp;
  let proxy: PgProxy;

  beforeAll(async () => {
    proxy = await PgProxy.start(process.env.TEST_ADMIN_URL!);
    t = await startTestApp({}, { databaseUrl: (url) => proxy.through(url) });
    await t.ds.query(`CREATE TABLE together_probe (id int PRIMARY KEY)`);
  });
  afterAll(async () => {
    await t.close();
    await proxy.close();
  });

  const insert = (m: EntityManager, id: number) => () =>
    queryPrepared(m, `INSERT INTO together_probe VALUES ($1) RETURNING id`, [id]);

  it('three statements: one round trip, run in the order given, results in that order', async () => {
    await t.ds.query(`SELECT 1`); // a connection ready in the pool
    const mark = proxy.mark();
    const out = await inTransaction(t.ds, (m) =>
      together(m, insert(m, 1), insert(m, 2), () =>
        queryPrepared(m, `SELECT array_agg(id ORDER BY id) AS ids FROM together_probe`, []),
      ),
    );
    expect(out).toEqual([[{ id: 1 }], [{ id: 2 }], [{ ids: [1, 2] }]]);
    expect(mark.roundTrips()).toBe(3); // BEGIN, the three, COMMIT
  });

  it('the first failure in order is thrown (not the aborted-transaction errors after it), and nothing is written', async () => {
    const err = await inTransaction(t.ds, (m) =>
      together(m, insert(m, 10), () => queryPrepared(m, `SELECT 1 / $1::int AS x`, [0]), insert(m, 11)),
    ).catch((e) => e);
    expect(err).toMatchObject({ code: '22012' });
    expect(await t.ds.query(`SELECT id FROM together_probe WHERE id >= 10`)).toEqual([]);
  });

  it('without pipeline mode, one after another: the same results', async () => {
    const ds = new DataSource(
      dataSourceOptions((t.ds.options as { url: string }).url, { migrations: [], extra: { max: 1, pipeline: false } }),
    );
    await ds.initialize();
    try {
      await ds.query(`SELECT 1`);
      const mark = proxy.mark();
      const out = await inTransaction(ds, (m) => together(m, insert(m, 20), insert(m, 21)));
      expect(out).toEqual([[{ id: 20 }], [{ id: 21 }]]);
      expect(mark.roundTrips()).toBe(4); // BEGIN, each insert, COMMIT
    } finally {
      await ds.destroy();
    }
  });
});

describe('DB_POOL_MAX', () => {
  it('caps the connections of the process: the fourth transaction waits for one of three', async () => {
    const t = await startTestApp({ DB_POOL_MAX: '3' });
    try {
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      const holders = Array.from({ length: 3 }, () =>
        inTransaction(t.ds, async (m) => {
          await m.query('SELECT $1::int', [1]);
          await held;
        }),
      );
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
