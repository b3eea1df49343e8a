/*
 * Booking benchmark, end to end over HTTP: the whole API in-process against a
 * real PostgreSQL.
 *   npm run bench:booking   (compiles to dist/bench/booking.bench.js)
 * Uses DATABASE_URL when set (fresh databases are created in that server and
 * dropped at the end), else the embedded PostgreSQL under .data/bench.
 *
 *   (a) 200 concurrent POST /bookings for one slot of one supporter (200 intakes):
 *       exactly one may win; counts by outcome and total time.
 *   (b) 10,000 bookings from 32 concurrent clients over 200 counsellors (available
 *       24/7), each for its own pre-created intake and caller, at a random start
 *       on a 5-minute grid within the horizon: throughput, counts by status, and
 *       a SQL self-join check that no two confirmed bookings of a supporter (with
 *       buffer) or of a caller overlap (must be 0).
 *   (c) the same 10,000 inserts straight through `pg` (a Pool, INSERT INTO
 *       bookings …, same concurrency) into a fresh copy of the seeded state:
 *       throughput, and the ratio HTTP / raw.
 *   (d) the same 10,000 bookings as the rows the API writes for each, straight
 *       through `pg` with no framework and no checks: per booking one
 *       transaction of INSERT booking, INSERT its history entry, UPDATE the
 *       intake, INSERT the outbox messages (confirmation and reminder SMS);
 *       throughput, and the ratio HTTP / that. (c) is a lone INSERT; a booking
 *       that keeps its promises (history, intake status, confirmations in the
 *       same transaction) cannot be one, so (d) is the floor any
 *       implementation of the contract stands on.
 *   (e) the other floor: as many authenticated GET /policies (framework,
 *       request log, auth guard, no database) through the same API, to show
 *       what of (b) is the HTTP stack and what is the booking.
 * Goal: ratio >= 0.5. The figures are printed whatever they are.
 *
 * The HTTP load of (b) and (e) comes from a minimal keep-alive HTTP/1.1 client
 * (one socket per client, bench/http-load.ts) in a worker thread, as it would come from elsewhere: the
 * API keeps its event loop to itself, while the pg Pools of (c) and (d) run
 * on the main thread, with nothing else to do.
 */
import 'reflect-metadata';
import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DateTime } from 'luxon';
import { Client, Pool } from 'pg';
import { AppModule } from '../apps/api/src/app.module';
import { configureApp } from '../apps/api/src/configure-app';
import { UsersService } from '../libs/auth/src';
import { loadConfig } from '../libs/common/src';
import { runMigrations } from '../libs/database/src/data-source';
import { startEmbeddedPostgres } from '../libs/database/src/embedded-postgres';
import { bump, httpClient, LoadJob, runPool } from './http-load';

const RACE_REQUESTS = 200;
const SUPPORTERS = 200;
/** BENCH_BOOKINGS overrides the size of (b) and (c), for a quicker look. */
const BOOKINGS = Number(process.env.BENCH_BOOKINGS ?? 10_000);
const CLIENTS = 32;
const DURATION_MIN = 50;
const BUFFER_MIN = 10;
const HORIZON_DAYS = 92;
const GOAL_RATIO = 0.5;
const PASSWORD = 'bench-password-not-secret';
const MINUTE = 60_000;

const say = (line: string) => process.stdout.write(`${line}\n`);

/** Small deterministic PRNG so that every run books the same pattern. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function admin(adminUrl: string, sql: string): Promise<void> {
  const c = new Client({ connectionString: adminUrl });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

/** Multi-row INSERT in batches. */
async function insertRows(db: Client, table: string, columns: string[], rows: unknown[][], batch = 1000): Promise<void> {
  for (let i = 0; i < rows.length; i += batch) {
    const chunk = rows.slice(i, i + batch);
    const params: unknown[] = [];
    const tuples = chunk.map((row) => `(${row.map((v) => (params.push(v), `$${params.length}`)).join(', ')})`);
    await db.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${tuples.join(', ')}`, params);
  }
}

/**
 * Fictional numbers only: Ofcom's drama ranges (07700 900xxx and the 1,000-number
 * blocks of the geographic areas), never a real person's.
 */
const DRAMA_BLOCKS = [
  '+447700900', '+442079460', '+441214960', '+441134960', '+441144960', '+441154960', '+441164960', '+441174960',
  '+441184960', '+441314960', '+441414960', '+441514960', '+441614960', '+442920180', '+442890180', '+441632960',
];
function dramaPhone(n: number): string {
  const block = DRAMA_BLOCKS[Math.floor(n / 1000)];
  if (!block) throw new Error(`only ${DRAMA_BLOCKS.length * 1000} drama numbers`);
  return `${block}${String(n % 1000).padStart(3, '0')}`;
}

const REF_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
function randomReference(): string {
  let s = '';
  for (let i = 0; i < 6; i++) s += REF_ALPHABET[randomInt(32)];
  return `PS-${s.slice(0, 4)}-${s.slice(4)}`;
}

/** The seeded state, with ids chosen here so that two databases can hold the same one. */
interface Plan {
  raceSupporter: string;
  supporters: string[];
  callers: { id: string; phone: string }[];
  intakes: { id: string; callerId: string }[];
  /** (a): intakes[0 .. RACE_REQUESTS) ; (b)/(c): intakes[RACE_REQUESTS ..) with their supporter and start. */
  jobs: { intakeId: string; callerId: string; supporterId: string; start: number }[];
  raceStart: number;
}

function plan(now: number): Plan {
  const rand = rng(20261126);
  const raceSupporter = randomUUID();
  const supporters = Array.from({ length: SUPPORTERS }, () => randomUUID());
  const callers = Array.from({ length: RACE_REQUESTS + BOOKINGS }, (_, n) => ({ id: randomUUID(), phone: dramaPhone(n) }));
  const intakes = callers.map((c) => ({ id: randomUUID(), callerId: c.id }));
  // Starts on a 5-minute grid from 3 h ahead (past the 120-minute notice) to a day short of the horizon.
  const grid = 5 * MINUTE;
  const first = Math.ceil((now + 3 * 60 * MINUTE) / grid) * grid;
  const steps = Math.floor(((HORIZON_DAYS - 1) * 24 * 60 * MINUTE - 3 * 60 * MINUTE) / grid);
  const jobs = intakes.slice(RACE_REQUESTS).map((i) => ({
    intakeId: i.id,
    callerId: i.callerId,
    supporterId: supporters[Math.floor(rand() * SUPPORTERS)],
    start: first + Math.floor(rand() * steps) * grid,
  }));
  const raceStart = DateTime.fromMillis(now).setZone('Europe/London').plus({ days: 1 }).set({ hour: 12, minute: 0, second: 0, millisecond: 0 }).toMillis();
  return { raceSupporter, supporters, callers, intakes, jobs, raceStart };
}

async function seed(url: string, p: Plan): Promise<void> {
  const db = new Client({ connectionString: url });
  await db.connect();
  try {
    const all = [p.raceSupporter, ...p.supporters];
    await insertRows(
      db,
      'supporters',
      ['id', 'kind', 'display_name', 'email', 'time_zone', 'max_active_cases', 'modalities'],
      all.map((id, n) => [id, 'counsellor', `Dr Bench ${n}`, `bench-counsellor-${n}@bench.local`, 'Europe/London', 100_000, ['phone', 'video']]),
    );
    // around the clock, every day
    const rules: unknown[][] = [];
    for (const id of all) for (let weekday = 1; weekday <= 7; weekday++) rules.push([id, weekday, 0, 1440]);
    await insertRows(db, 'availability_rules', ['supporter_id', 'weekday', 'start_minute', 'end_minute'], rules, 2000);
    await insertRows(db, 'callers', ['id', 'name', 'phone', 'role', 'time_zone'], p.callers.map((c, n) => [c.id, `Bench Caller ${n}`, c.phone, 'doctor', 'Europe/London']), 2000);
    const consented = new Date();
    await insertRows(
      db,
      'intakes',
      ['id', 'caller_id', 'service', 'status', 'immediate_danger', 'consented_at'],
      p.intakes.map((i) => [i.id, i.callerId, 'counselling', 'open', false, consented]),
      2000,
    );
    await db.query('ANALYZE');
  } finally {
    await db.end();
  }
}

/**
 * CPU seconds used so far by this process and by every PostgreSQL process on the machine
 * (from /proc; the database server is local, as on the machines this runs on). Where /proc
 * cannot be read, PostgreSQL's share is reported as unknown.
 */
function cpuSeconds(): { user: number; system: number; postgres: Map<string, number> | null } {
  const u = process.cpuUsage();
  let postgres: Map<string, number> | null = new Map();
  try {
    const tick = 100; // USER_HZ on Linux
    for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
      let stat: string;
      try {
        stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      } catch {
        continue;
      }
      const open = stat.indexOf('(');
      const close = stat.lastIndexOf(')');
      if (stat.slice(open + 1, close) !== 'postgres') continue;
      const fields = stat.slice(close + 2).split(' ');
      // utime and stime are fields 14 and 15 of /proc/PID/stat; fields[0] here is field 3
      postgres.set(pid, (Number(fields[11]) + Number(fields[12])) / tick);
    }
  } catch {
    postgres = null;
  }
  return { user: u.user / 1e6, system: u.system / 1e6, postgres };
}

/** Per booking, from `before` to now; PostgreSQL's per process, so that connections closed meanwhile do not count against it. */
function cpuText(before: ReturnType<typeof cpuSeconds>, n: number): string {
  const after = cpuSeconds();
  const ms = (s: number) => ((s * 1000) / n).toFixed(2);
  let pg = 'unknown';
  if (before.postgres && after.postgres) {
    let total = 0;
    for (const [pid, s] of after.postgres) total += s - (before.postgres.get(pid) ?? 0);
    pg = `${ms(total)} ms`;
  }
  return `CPU per booking: this process ${ms(after.user - before.user + after.system - before.system)} ms (user ${ms(after.user - before.user)}, system ${ms(after.system - before.system)}), PostgreSQL ${pg}`;
}

/** A log stream that throws the lines away (after they have been built and written). */
function discard(): Writable {
  return new Writable({ write: (_chunk, _enc, done) => done() });
}

/** CPU seconds of the calling thread (the API's event loop, when called from the main thread), or null off Linux. */
function threadCpuSeconds(): number | null {
  try {
    const stat = readFileSync('/proc/thread-self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

interface LoadOutcome {
  counts: Map<string, number>;
  seconds: number;
  cpu: string;
  /** CPU time of the API's main thread per request (ms), when known: the event loop is busy longer when it waits for a core */
  mainThreadMs: number | null;
  /** the API's event loop over the run */
  busy: { utilization: number; active: number };
}

/**
 * Runs `job` from a worker thread, as the load would come from other machines
 * (the API's event loop is its own), measuring time, CPU and the event loop.
 */
async function loadFromWorker(job: LoadJob): Promise<LoadOutcome> {
  const cpu = cpuSeconds();
  const thread = threadCpuSeconds();
  const elu = performance.eventLoopUtilization();
  const t = performance.now();
  const outcome = await new Promise<[string, number][]>((resolve, reject) => {
    const worker = new Worker(join(__dirname, 'http-load.js'), { workerData: job });
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`load worker exited with ${code}`))));
  });
  const seconds = (performance.now() - t) / 1000;
  const threadNow = threadCpuSeconds();
  const mainThreadMs = thread !== null && threadNow !== null ? ((threadNow - thread) * 1000) / job.bodies.length : null;
  return { counts: new Map(outcome), seconds, cpu: cpuText(cpu, job.bodies.length), busy: performance.eventLoopUtilization(elu), mainThreadMs };
}

interface PgPhaseOutcome {
  seconds: number;
  rate: number;
  counts: string;
  cpu: string;
  overlaps: number;
}

/** (c) and (d): every job through `work` on a fresh Pool (max 20) at CLIENTS concurrency, then the overlap check. */
async function pgPhase<J>(
  jobs: J[],
  url: string,
  work: (pool: Pool, job: J, counts: Map<string, number>) => Promise<void>,
  report: (o: PgPhaseOutcome) => void,
): Promise<void> {
  const pool = new Pool({ connectionString: url, max: 20 });
  const counts = new Map<string, number>();
  let seconds: number;
  let cpu: string;
  try {
    const before = cpuSeconds();
    const t = performance.now();
    await runPool(jobs, CLIENTS, (job) => work(pool, job, counts));
    seconds = (performance.now() - t) / 1000;
    cpu = cpuText(before, jobs.length);
  } finally {
    await pool.end().catch(() => undefined);
  }
  const o = await overlaps(url);
  report({ seconds, rate: jobs.length / seconds, counts: countsText(counts), cpu, overlaps: o.supporter + o.caller });
}

function ratioLine(what: string, ratio: number): string {
  return `ratio ${what}: ${ratio.toFixed(3)} (goal >= ${GOAL_RATIO}: ${ratio >= GOAL_RATIO ? 'met' : 'NOT met'})`;
}

function countsText(counts: Map<string, number>): string {
  return [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k}: ${v}`).join(', ');
}

async function overlaps(url: string): Promise<{ supporter: number; caller: number }> {
  const db = new Client({ connectionString: url });
  await db.connect();
  try {
    const [s] = (
      await db.query(
        `SELECT count(*)::int AS n FROM bookings a JOIN bookings b
           ON a.supporter_id = b.supporter_id AND a.id < b.id
          AND tstzrange(a.starts_at, a.blocked_until) && tstzrange(b.starts_at, b.blocked_until)
        WHERE a.status = 'confirmed' AND b.status = 'confirmed'`,
      )
    ).rows;
    const [c] = (
      await db.query(
        `SELECT count(*)::int AS n FROM bookings a JOIN bookings b
           ON a.caller_id = b.caller_id AND a.id < b.id
          AND tstzrange(a.starts_at, a.ends_at) && tstzrange(b.starts_at, b.ends_at)
        WHERE a.status = 'confirmed' AND b.status = 'confirmed'`,
      )
    ).rows;
    return { supporter: s.n, caller: c.n };
  } finally {
    await db.end();
  }
}

async function main(): Promise<void> {
  let stopEmbedded: (() => Promise<void>) | undefined;
  let adminUrl: string;
  if (process.env.DATABASE_URL) {
    adminUrl = process.env.DATABASE_URL;
  } else {
    const pg = await startEmbeddedPostgres({ dataDir: '.data/bench', log: () => undefined });
    adminUrl = pg.adminUrl;
    stopEmbedded = pg.stop;
  }
  const suffix = `${process.pid}_${randomBytes(3).toString('hex')}`;
  const httpDb = `bench_booking_${suffix}`;
  const rawDb = `bench_booking_raw_${suffix}`;
  const sameDb = `bench_booking_same_${suffix}`;
  const created: string[] = [];
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-booking-'));
  let app: INestApplication | undefined;
  try {
    const p = plan(Date.now());
    const t0 = performance.now();
    for (const name of [httpDb, rawDb, sameDb]) {
      await admin(adminUrl, `CREATE DATABASE "${name}"`);
      created.push(name);
      await runMigrations(withDatabase(adminUrl, name));
      await seed(withDatabase(adminUrl, name), p);
    }
    say(
      `seeded (three times: for HTTP, raw pg and the same writes via pg) ${SUPPORTERS + 1} counsellors available 24/7, ${p.callers.length} callers and open intakes ` +
        `in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );

    const config = loadConfig({
      // the outbox worker would compete for the CPU; deliveries are not what is measured here
      WORKER: 'off',
      ...process.env,
      DATA_DIR: dataDir,
      JWT_SECRET: randomBytes(20).toString('hex'),
      // request lines are built and written as in production; the stream throws them away
      LOG_LEVEL: 'info',
      DEMO_SEED: 'false',
    });
    app = await NestFactory.create(AppModule.forRoot({ config, databaseUrl: withDatabase(adminUrl, httpDb), logStream: discard() }), {
      logger: false,
      bodyParser: false,
      abortOnError: false,
    });
    configureApp(app);
    await app.listen(0, '127.0.0.1');
    const port = (app.getHttpServer().address() as AddressInfo).port;
    const base = `http://127.0.0.1:${port}/api/v1`;

    const email = `bench-intake-${randomBytes(3).toString('hex')}@bench.local`;
    await app.get(UsersService).create({ email, password: PASSWORD, role: 'intake' });
    const login = await fetch(`${base}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: PASSWORD }) });
    if (login.status !== 200) throw new Error(`login: ${login.status} ${await login.text()}`);
    const token = ((await login.json()) as { accessToken: string }).accessToken;
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };

    const { post, close: closeClient } = httpClient(`${base}/bookings`, headers, RACE_REQUESTS);

    // (a) one slot, 200 at once
    {
      const start = new Date(p.raceStart).toISOString();
      const t = performance.now();
      const results = await Promise.all(
        p.intakes.slice(0, RACE_REQUESTS).map((i) => post({ intakeId: i.id, supporterId: p.raceSupporter, start })),
      );
      const ms = performance.now() - t;
      const created201 = results.filter((r) => r.status === 201).length;
      const taken = results.filter((r) => r.status === 409).length;
      const other = new Map<string, number>();
      for (const r of results) if (r.status !== 201 && r.status !== 409) bump(other, `${r.status} ${r.code ?? ''}`.trim());
      const codes409 = new Map<string, number>();
      for (const r of results) if (r.status === 409) bump(codes409, r.code ?? '?');
      say(`(a) ${RACE_REQUESTS} concurrent POST /bookings for one slot: created ${created201}, 409 ${taken} (${countsText(codes409)}), other ${RACE_REQUESTS - created201 - taken}${other.size ? ` (${countsText(other)})` : ''}; total ${ms.toFixed(0)} ms`);
      say(`(a) exactly one winner: ${created201 === 1 ? 'yes' : 'NO'}`);
    }

    // (b) 10,000 random bookings over HTTP, 32 clients
    let httpRate = 0;
    {
      const { counts, seconds: s, cpu, busy, mainThreadMs } = await loadFromWorker({
        url: `${base}/bookings`,
        headers,
        clients: CLIENTS,
        bodies: p.jobs.map((j) => ({ intakeId: j.intakeId, supporterId: j.supporterId, start: new Date(j.start).toISOString() })),
      });
      httpRate = BOOKINGS / s;
      const o = await overlaps(withDatabase(adminUrl, httpDb));
      say(`(b) ${BOOKINGS} POST /bookings from ${CLIENTS} clients over ${SUPPORTERS} supporters: ${s.toFixed(1)} s, ${httpRate.toFixed(0)} bookings/s`);
      say(`(b) by status: ${countsText(counts)}`);
      say(`(b) ${cpu} (the load generator's thread included)`);
      say(`(b) the API's event loop: busy ${(busy.utilization * 100).toFixed(0)}% of the time, ${((busy.active / BOOKINGS)).toFixed(2)} ms per booking, of which on a CPU ${mainThreadMs === null ? 'unknown' : `${mainThreadMs.toFixed(2)} ms`}`);
      say(`(b) overlapping confirmed bookings afterwards: supporter ${o.supporter}, caller ${o.caller} (must be 0): ${o.supporter + o.caller === 0 ? 'ok' : 'FAILED'}`);
    }

    // (e) the floor under (b): as many requests that only pass the framework, the log line and the auth guard
    {
      const { counts, seconds: s, cpu, busy, mainThreadMs } = await loadFromWorker({ url: `${base}/policies`, headers, clients: CLIENTS, bodies: p.jobs.map(() => null) });
      say(`(e) ${BOOKINGS} GET /policies (authenticated, no database) from ${CLIENTS} clients: ${s.toFixed(1)} s, ${(BOOKINGS / s).toFixed(0)} requests/s (${countsText(counts)})`);
      say(`(e) ${cpu.replace('per booking', 'per request')}; the API's event loop ${(busy.active / BOOKINGS).toFixed(2)} ms per request, of which on a CPU ${mainThreadMs === null ? 'unknown' : `${mainThreadMs.toFixed(2)} ms`}`);
    }
    closeClient();
    await app.close();
    app = undefined;

    // (c) the same inserts straight through pg
    {
      const insert = async (pool: Pool, j: Plan['jobs'][number], counts: Map<string, number>): Promise<void> => {
        const end = j.start + DURATION_MIN * MINUTE;
        for (let attempt = 0; ; attempt++) {
          try {
            await pool.query(
              `INSERT INTO bookings (reference, intake_id, supporter_id, caller_id, starts_at, ends_at, blocked_until, modality, status, created_by)
               VALUES ($1, $2, $3, $4, $5, $6, $7, 'phone', 'confirmed', NULL)`,
              [randomReference(), j.intakeId, j.supporterId, j.callerId, new Date(j.start), new Date(end), new Date(end + BUFFER_MIN * MINUTE)],
            );
            bump(counts, 'inserted');
            return;
          } catch (err) {
            const e = err as { code?: string; constraint?: string };
            if (e.code === '23505' && e.constraint === 'uq_bookings_reference' && attempt < 5) continue;
            bump(counts, e.constraint ?? e.code ?? 'error');
            return;
          }
        }
      };
      await pgPhase(p.jobs, withDatabase(adminUrl, rawDb), insert, (o) => {
        say(`(c) ${BOOKINGS} raw INSERT INTO bookings via pg (Pool max 20, ${CLIENTS} clients): ${o.seconds.toFixed(1)} s, ${o.rate.toFixed(0)} inserts/s (${o.counts}; overlaps ${o.overlaps})`);
        say(`(c) ${o.cpu}`);
        say(ratioLine('HTTP/raw', httpRate / o.rate));
      });
    }

    // (d) the rows the API writes for each booking, straight through pg
    {
      const book = async (pool: Pool, j: Plan['jobs'][number], counts: Map<string, number>): Promise<void> => {
        const end = j.start + DURATION_MIN * MINUTE;
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          const [{ id }] = (
            await client.query(
              `INSERT INTO bookings (reference, intake_id, supporter_id, caller_id, starts_at, ends_at, blocked_until, modality, status, manage_token_hash)
               VALUES ($1, $2, $3, $4, $5, $6, $7, 'phone', 'confirmed', $8) RETURNING id`,
              [randomReference(), j.intakeId, j.supporterId, j.callerId, new Date(j.start), new Date(end), new Date(end + BUFFER_MIN * MINUTE), randomBytes(32).toString('hex')],
            )
          ).rows;
          await client.query(`INSERT INTO booking_events (booking_id, kind, actor_role) VALUES ($1, 'created', 'intake')`, [id]);
          await client.query(`UPDATE intakes SET supporter_id = $2, status = 'booked', updated_at = now() WHERE id = $1`, [j.intakeId, j.supporterId]);
          const sms = (kind: string, due: Date) => [id, j.intakeId, j.callerId, 'sms', kind, '+447700900123', `Your session ${kind} text`, due, `<${randomUUID()}@support-line>`];
          await client.query(
            `INSERT INTO outbox_messages (booking_id, intake_id, caller_id, channel, kind, recipient, body_text, due_at, message_id)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9), ($10, $11, $12, $13, $14, $15, $16, $17, $18)`,
            [...sms('confirmation', new Date()), ...sms('reminder', new Date(j.start - 24 * 60 * MINUTE))],
          );
          await client.query('COMMIT');
          bump(counts, 'booked');
        } catch (err) {
          await client.query('ROLLBACK');
          const e = err as { code?: string; constraint?: string };
          bump(counts, e.constraint ?? e.code ?? 'error');
        } finally {
          client.release();
        }
      };
      await pgPhase(p.jobs, withDatabase(adminUrl, sameDb), book, (o) => {
        say(`(d) ${BOOKINGS} bookings as the API's rows via pg (4 writes in one transaction each, Pool max 20, ${CLIENTS} clients): ${o.seconds.toFixed(1)} s, ${o.rate.toFixed(0)} bookings/s (${o.counts}; overlaps ${o.overlaps})`);
        say(`(d) ${o.cpu}`);
        say(ratioLine('HTTP/same writes via pg', httpRate / o.rate));
      });
    }
  } finally {
    if (app) await app.close().catch(() => undefined);
    for (const name of created) {
      if (process.env.BENCH_KEEP_DB) {
        say(`kept database ${name} (BENCH_KEEP_DB)`);
        continue;
      }
      await admin(adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch((err) => say(`could not drop ${name}: ${err}`));
    }
    rmSync(dataDir, { recursive: true, force: true });
    if (stopEmbedded) await stopEmbedded().catch(() => undefined);
  }
}

main().catch((err) => {
  process.stderr.write(`booking bench failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
