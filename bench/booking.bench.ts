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
 *   (c) the same inserts straight through `pg` (a Pool, same concurrency) into
 *       a fresh copy of the seeded state, with no framework and no checks: for
 *       each booking the rows the API writes, in one transaction — INSERT the
 *       booking, INSERT its history entry, UPDATE the intake, INSERT the outbox
 *       messages (confirmation and reminder SMS); throughput, and the ratio
 *       HTTP / raw that the goal is about.
 *   (d) for scale, a lone INSERT INTO bookings per booking via `pg`, and the
 *       ratio HTTP / that. No booking that keeps the contract's promises
 *       (history, intake status, confirmations, all or nothing) is one INSERT:
 *       (d) is ~2.5× (c) on its own. Until 2026-11-30 this was printed as (c)
 *       and the same inserts as (d).
 *   (e) the other floor: as many authenticated GET /policies (framework,
 *       request log, auth guard, no database) through the same API, to show
 *       what of (b) is the HTTP stack and what is the booking.
 * Goal: ratio >= 0.5. The figures are printed whatever they are.
 *
 * (b), (c) and (d) take turns: BENCH_ROUNDS (5) rounds, each over a fifth of
 * the jobs, each phase going first in some round. The machines this runs on
 * share their cores with others and their speed drifts by tens of per cent
 * within minutes; run one after the other, (b) and (c) met different
 * machines. Each ratio is printed over the whole run and as the spread of
 * its per-round values (min – median – max).
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
import { bump, httpClient, LoadJob, LoadResult, runPool, threadCpuSeconds } from './http-load';

const RACE_REQUESTS = 200;
const SUPPORTERS = 200;
/** BENCH_BOOKINGS overrides the size of (b), (c), (d) and (e), for a quicker look. */
const BOOKINGS = Number(process.env.BENCH_BOOKINGS ?? 10_000);
const CLIENTS = 32;
/** BENCH_ROUNDS: how many turns (b), (c) and (d) take. */
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 5));
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

/** CPU seconds spent between two readings; PostgreSQL's per process, so that connections closed meanwhile do not count against it. */
interface CpuSpent {
  user: number;
  system: number;
  /** null when /proc could not be read */
  postgres: number | null;
}

function cpuSince(before: ReturnType<typeof cpuSeconds>): CpuSpent {
  const after = cpuSeconds();
  let postgres: number | null = null;
  if (before.postgres && after.postgres) {
    postgres = 0;
    for (const [pid, s] of after.postgres) postgres += s - (before.postgres.get(pid) ?? 0);
  }
  return { user: after.user - before.user, system: after.system - before.system, postgres };
}

function addCpu(a: CpuSpent, b: CpuSpent): CpuSpent {
  return { user: a.user + b.user, system: a.system + b.system, postgres: a.postgres === null || b.postgres === null ? null : a.postgres + b.postgres };
}

const NO_CPU: CpuSpent = { user: 0, system: 0, postgres: 0 };

/** Per booking (or request: `per`). */
function cpuText(spent: CpuSpent, n: number, per = 'booking'): string {
  const ms = (s: number) => ((s * 1000) / n).toFixed(2);
  return `CPU per ${per}: this process ${ms(spent.user + spent.system)} ms (user ${ms(spent.user)}, system ${ms(spent.system)}), PostgreSQL ${spent.postgres === null ? 'unknown' : `${ms(spent.postgres)} ms`}`;
}

/** A log stream that throws the lines away (after they have been built and written). */
function discard(): Writable {
  return new Writable({ write: (_chunk, _enc, done) => done() });
}

interface LoadOutcome {
  counts: Map<string, number>;
  seconds: number;
  cpu: CpuSpent;
  /** CPU seconds of the API's main thread, when known: the event loop is busy longer when it waits for a core */
  mainThread: number | null;
  /** the API's event loop over the run: ms busy */
  busyMs: number;
  /** CPU seconds of the load generator's thread, when known */
  loadThread: number | null;
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
  const outcome = await new Promise<LoadResult>((resolve, reject) => {
    const worker = new Worker(join(__dirname, 'http-load.js'), { workerData: job });
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`load worker exited with ${code}`))));
  });
  const seconds = (performance.now() - t) / 1000;
  const threadNow = threadCpuSeconds();
  const mainThread = thread !== null && threadNow !== null ? threadNow - thread : null;
  return { counts: new Map(outcome.counts), seconds, cpu: cpuSince(cpu), busyMs: performance.eventLoopUtilization(elu).active, mainThread, loadThread: outcome.cpu };
}

/** Several runs of one phase, added up. */
class Tally {
  seconds = 0;
  n = 0;
  cpu: CpuSpent = NO_CPU;
  counts = new Map<string, number>();
  /** (b): the API's main thread and event loop */
  mainThread: number | null = 0;
  loadThread: number | null = 0;
  busyMs = 0;

  add(o: { seconds: number; n: number; cpu: CpuSpent; counts: Map<string, number>; mainThread?: number | null; loadThread?: number | null; busyMs?: number }): number {
    this.seconds += o.seconds;
    this.n += o.n;
    this.cpu = addCpu(this.cpu, o.cpu);
    for (const [k, v] of o.counts) this.counts.set(k, (this.counts.get(k) ?? 0) + v);
    this.mainThread = this.mainThread === null || o.mainThread === null || o.mainThread === undefined ? null : this.mainThread + o.mainThread;
    this.loadThread = this.loadThread === null || o.loadThread === null || o.loadThread === undefined ? null : this.loadThread + o.loadThread;
    this.busyMs += o.busyMs ?? 0;
    return o.n / o.seconds;
  }

  get rate(): number {
    return this.n / this.seconds;
  }
}

/** (c) and (d): every job through `work` on `pool` (max 20) at CLIENTS concurrency. */
async function pgRun<J>(jobs: J[], pool: Pool, work: (pool: Pool, job: J, counts: Map<string, number>) => Promise<void>, into: Tally): Promise<number> {
  const counts = new Map<string, number>();
  const before = cpuSeconds();
  const t = performance.now();
  await runPool(jobs, CLIENTS, (job) => work(pool, job, counts));
  const seconds = (performance.now() - t) / 1000;
  return into.add({ seconds, n: jobs.length, cpu: cpuSince(before), counts });
}

/** min – median – max of per-round figures */
function spread(xs: number[], digits: number): string {
  const s = [...xs].sort((a, b) => a - b);
  const median = s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  return `${s[0].toFixed(digits)} – ${median.toFixed(digits)} – ${s[s.length - 1].toFixed(digits)}`;
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

    // (b), (c) and (d) take turns, ROUNDS times over a share of the jobs each: this machine's speed drifts
    // from minute to minute (it shares its cores), and each round's ratios compare runs made together.
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
    const bodies = p.jobs.map((j) => ({ intakeId: j.intakeId, supporterId: j.supporterId, start: new Date(j.start).toISOString() }));
    const http = new Tally();
    const raw = new Tally();
    const same = new Tally();
    const ratios = { raw: [] as number[], same: [] as number[] };
    const rawPool = new Pool({ connectionString: withDatabase(adminUrl, rawDb), max: 20 });
    const samePool = new Pool({ connectionString: withDatabase(adminUrl, sameDb), max: 20 });
    try {
      for (let r = 0; r < ROUNDS; r++) {
        const from = Math.floor((p.jobs.length * r) / ROUNDS);
        const to = Math.floor((p.jobs.length * (r + 1)) / ROUNDS);
        const rates: Record<'http' | 'raw' | 'same', number> = { http: 0, raw: 0, same: 0 };
        const phases: Record<'http' | 'raw' | 'same', () => Promise<void>> = {
          http: async () => {
            const o = await loadFromWorker({ url: `${base}/bookings`, headers, clients: CLIENTS, bodies: bodies.slice(from, to) });
            rates.http = http.add({ ...o, n: to - from });
          },
          raw: async () => {
            rates.raw = await pgRun(p.jobs.slice(from, to), rawPool, insert, raw);
          },
          same: async () => {
            rates.same = await pgRun(p.jobs.slice(from, to), samePool, book, same);
          },
        };
        // each phase goes first in some round
        const order = (['http', 'raw', 'same'] as const).map((_, i, all) => all[(i + r) % all.length]);
        for (const phase of order) await phases[phase]();
        ratios.raw.push(rates.http / rates.raw);
        ratios.same.push(rates.http / rates.same);
      }
    } finally {
      await rawPool.end().catch(() => undefined);
      await samePool.end().catch(() => undefined);
    }

    {
      const o = await overlaps(withDatabase(adminUrl, httpDb));
      say(`(b) ${BOOKINGS} POST /bookings from ${CLIENTS} clients over ${SUPPORTERS} supporters: ${http.seconds.toFixed(1)} s, ${http.rate.toFixed(0)} bookings/s`);
      say(`(b) by status: ${countsText(http.counts)}`);
      say(`(b) ${cpuText(http.cpu, BOOKINGS)}, of which the load generator's thread ${http.loadThread === null ? 'unknown' : `${((http.loadThread * 1000) / BOOKINGS).toFixed(2)} ms`}`);
      say(
        `(b) the API's event loop: busy ${((http.busyMs / (http.seconds * 1000)) * 100).toFixed(0)}% of the time, ${(http.busyMs / BOOKINGS).toFixed(2)} ms per booking, ` +
          `of which on a CPU ${http.mainThread === null ? 'unknown' : `${((http.mainThread * 1000) / BOOKINGS).toFixed(2)} ms`}`,
      );
      say(`(b) overlapping confirmed bookings afterwards: supporter ${o.supporter}, caller ${o.caller} (must be 0): ${o.supporter + o.caller === 0 ? 'ok' : 'FAILED'}`);
    }
    {
      const o = await overlaps(withDatabase(adminUrl, sameDb));
      say(`(c) ${BOOKINGS} bookings as the same inserts via pg (the API's rows, 4 writes in one transaction each, Pool max 20, ${CLIENTS} clients): ${same.seconds.toFixed(1)} s, ${same.rate.toFixed(0)} bookings/s (${countsText(same.counts)}; overlaps ${o.supporter + o.caller})`);
      say(`(c) ${cpuText(same.cpu, BOOKINGS)}`);
      say(`${ratioLine('HTTP/raw', http.rate / same.rate)}; by round (min – median – max of ${ROUNDS}): ${spread(ratios.same, 3)}`);
    }
    {
      const o = await overlaps(withDatabase(adminUrl, rawDb));
      say(`(d) for scale, ${BOOKINGS} lone INSERT INTO bookings via pg (Pool max 20, ${CLIENTS} clients): ${raw.seconds.toFixed(1)} s, ${raw.rate.toFixed(0)} inserts/s (${countsText(raw.counts)}; overlaps ${o.supporter + o.caller})`);
      say(`(d) ${cpuText(raw.cpu, BOOKINGS)}`);
      say(`ratio HTTP/lone INSERT: ${(http.rate / raw.rate).toFixed(3)} (not a booking: no history, intake status or confirmations); by round: ${spread(ratios.raw, 3)}`);
    }

    // (e) the floor under (b): as many requests that only pass the framework, the log line and the auth guard
    {
      const o = await loadFromWorker({ url: `${base}/policies`, headers, clients: CLIENTS, bodies: p.jobs.map(() => null) });
      say(`(e) ${BOOKINGS} GET /policies (authenticated, no database) from ${CLIENTS} clients: ${o.seconds.toFixed(1)} s, ${(BOOKINGS / o.seconds).toFixed(0)} requests/s (${countsText(o.counts)})`);
      say(
        `(e) ${cpuText(o.cpu, BOOKINGS, 'request')}, of which the load generator's thread ${o.loadThread === null ? 'unknown' : `${((o.loadThread * 1000) / BOOKINGS).toFixed(2)} ms`}; the API's event loop ${(o.busyMs / BOOKINGS).toFixed(2)} ms per request, ` +
          `of which on a CPU ${o.mainThread === null ? 'unknown' : `${((o.mainThread * 1000) / BOOKINGS).toFixed(2)} ms`}`,
      );
    }
    closeClient();
    await app.close();
    app = undefined;
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
