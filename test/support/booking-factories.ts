/**
 * Helpers for the booking e2e tests (test/booking/*): supporters with
 * availability, intakes, bookings and series, all made over HTTP as a real
 * client would, plus direct SQL where the API cannot make the state (a
 * booking that has already started).
 *
 * Times are chosen in Europe/London with luxon and sent with an offset.
 */
import { randomBytes } from 'node:crypto';
import { DateTime } from 'luxon';
import type { Response } from 'supertest';
import { expectProblem } from './factories';
import type { TestApp } from './test-app';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
export const LONDON = 'Europe/London';

/** The contract's default booking policy. */
export const DEFAULT_POLICIES = {
  sociableHours: { start: '08:00', end: '20:00', weekdays: [1, 2, 3, 4, 5, 6, 7] },
  defaultDurationMinutes: 50,
  bufferMinutes: 10,
  minimumNoticeMinutes: 120,
  bookingHorizonDays: 92,
};

/** The stable reference format of the contract. */
export const REFERENCE = /^PS-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{2}$/;

export type Weekly = { weekday: number; start: string; end: string }[];
const EVERY_DAY = [1, 2, 3, 4, 5, 6, 7];
/** Peers: every day 08:00–20:00 (inside the default sociable hours). */
export const PEER_WEEK: Weekly = EVERY_DAY.map((weekday) => ({ weekday, start: '08:00', end: '20:00' }));
/** Counsellors: around the clock. */
export const ALL_DAY_WEEK: Weekly = EVERY_DAY.map((weekday) => ({ weekday, start: '00:00', end: '24:00' }));

let seq = 0;

export function auth(token: string): { Authorization: string } {
  return { Authorization: `Bearer ${token}` };
}

export function uniqueEmail(prefix = 'b'): string {
  return `${prefix}-${++seq}-${randomBytes(4).toString('hex')}@test.local`;
}

/**
 * Fictional numbers only (Ofcom's drama ranges): 07700 900xxx, then
 * 020 7946 0xxx, then 0161 496 0xxx. Unique within one test file (each file
 * has its own database).
 */
const DRAMA_PREFIXES = ['07700 900', '020 7946 0', '0161 496 0', '0113 496 0'];
let phoneSeq = 0;
export function dramaPhone(): string {
  const n = phoneSeq++;
  const prefix = DRAMA_PREFIXES[Math.floor(n / 1000)];
  if (!prefix) throw new Error('dramaPhone: out of drama-range numbers in this file');
  return `${prefix}${String(n % 1000).padStart(3, '0')}`;
}

// ---- supporters --------------------------------------------------------------------------------

export interface SupporterInput {
  kind?: 'peer' | 'counsellor';
  displayName?: string;
  timeZone?: string;
  workplaces?: string[];
  maxActiveCases?: number;
  modalities?: ('phone' | 'video')[];
  active?: boolean;
  specialty?: string;
}

export interface Supporter {
  id: string;
  kind: 'peer' | 'counsellor';
  timeZone: string;
  maxActiveCases: number;
}

/**
 * POST /supporters and PUT its availability (as admin). A counsellor by
 * default, available around the clock; a peer gets 08:00–20:00 every day.
 */
export async function makeSupporter(
  t: TestApp,
  adminToken: string,
  input: SupporterInput = {},
  weekly?: Weekly,
): Promise<Supporter> {
  const kind = input.kind ?? 'counsellor';
  const body = {
    kind,
    displayName: `Dr Booking Supporter ${++seq}`,
    email: uniqueEmail('supporter'),
    timeZone: LONDON,
    maxActiveCases: 20,
    modalities: ['phone', 'video'],
    ...input,
  };
  const res = await t.http().post('/api/v1/supporters').set(auth(adminToken)).send(body);
  if (res.status !== 201) throw new Error(`makeSupporter: ${res.status} ${res.text}`);
  const rules = weekly ?? (kind === 'peer' ? PEER_WEEK : ALL_DAY_WEEK);
  if (rules.length) {
    const av = await t
      .http()
      .put(`/api/v1/supporters/${res.body.id}/availability`)
      .set(auth(adminToken))
      .send({ weekly: rules });
    if (av.status !== 200) throw new Error(`makeSupporter availability: ${av.status} ${av.text}`);
  }
  return res.body as Supporter;
}

export async function addTimeOff(
  t: TestApp,
  adminToken: string,
  supporterId: string,
  start: DateTime | string,
  end: DateTime | string,
): Promise<string> {
  const iso = (v: DateTime | string) => (typeof v === 'string' ? v : v.toISO()!);
  const res = await t
    .http()
    .post(`/api/v1/supporters/${supporterId}/time-off`)
    .set(auth(adminToken))
    .send({ start: iso(start), end: iso(end), reason: 'Annual leave' });
  if (res.status !== 201) throw new Error(`addTimeOff: ${res.status} ${res.text}`);
  return res.body.id as string;
}

/** PUT /policies: the defaults changed by `overrides`. */
export async function putPolicies(
  t: TestApp,
  adminToken: string,
  overrides: Partial<typeof DEFAULT_POLICIES> = {},
): Promise<void> {
  const res = await t
    .http()
    .put('/api/v1/policies')
    .set(auth(adminToken))
    .send({ ...DEFAULT_POLICIES, ...overrides });
  if (res.status !== 200) throw new Error(`putPolicies: ${res.status} ${res.text}`);
}

// ---- intakes -------------------------------------------------------------------------------------

export interface IntakeInput {
  service?: 'peer_support' | 'counselling';
  caller?: Record<string, unknown>;
  preferences?: Record<string, unknown>;
  risk?: { immediateDanger: boolean };
}

export interface Intake {
  id: string;
  callerId: string;
  status: string;
}

/** A POST /intakes body for a new caller (fresh drama-range number) unless `caller.phone` is given. */
export function intakeBody(input: IntakeInput = {}): Record<string, unknown> {
  const { caller, ...rest } = input;
  return {
    service: 'counselling',
    risk: { immediateDanger: false },
    consent: { privacyNotice: true },
    ...rest,
    caller: { name: `Dr Caller ${++seq}`, phone: dramaPhone(), role: 'doctor', ...(caller ?? {}) },
  };
}

/** POST /intakes; fails unless 201. */
export async function makeIntake(t: TestApp, token: string, input: IntakeInput = {}): Promise<Intake> {
  const res = await t.http().post('/api/v1/intakes').set(auth(token)).send(intakeBody(input));
  if (res.status !== 201) throw new Error(`makeIntake: ${res.status} ${res.text}`);
  return res.body as Intake;
}

export async function getIntake(
  t: TestApp,
  token: string,
  id: string,
): Promise<{ status: string; supporterId: string | null }> {
  const res = await t.http().get(`/api/v1/intakes/${id}`).set(auth(token));
  if (res.status !== 200) throw new Error(`getIntake: ${res.status} ${res.text}`);
  return res.body;
}

// ---- bookings ------------------------------------------------------------------------------------

export interface BookingView {
  id: string;
  reference: string;
  status: string;
  start: string;
  end: string;
  supporterId: string;
  callerId: string;
  intakeId: string;
  modality: string;
  sequence: number;
  caller?: { name: string | null; phone: string | null; email: string | null };
}

export function postBooking(
  t: TestApp,
  token: string,
  body: Record<string, unknown>,
  idempotencyKey?: string,
): Promise<Response> {
  const req = t.http().post('/api/v1/bookings').set(auth(token));
  if (idempotencyKey !== undefined) req.set('Idempotency-Key', idempotencyKey);
  return req.send(body);
}

export function postSeries(t: TestApp, token: string, body: Record<string, unknown>): Promise<Response> {
  return t.http().post('/api/v1/bookings/series').set(auth(token)).send(body);
}

/** POST /bookings; fails unless 201. */
export async function book(
  t: TestApp,
  token: string,
  intakeId: string,
  supporterId: string,
  start: DateTime | string,
  extra: Record<string, unknown> = {},
): Promise<BookingView> {
  const res = await postBooking(t, token, {
    intakeId,
    supporterId,
    start: typeof start === 'string' ? start : start.toISO()!,
    ...extra,
  });
  if (res.status !== 201) throw new Error(`book: ${res.status} ${res.text}`);
  return res.body as BookingView;
}

export async function getBooking(t: TestApp, token: string, id: string): Promise<BookingView> {
  const res = await t.http().get(`/api/v1/bookings/${id}`).set(auth(token));
  if (res.status !== 200) throw new Error(`getBooking: ${res.status} ${res.text}`);
  return res.body as BookingView;
}

export function action(
  t: TestApp,
  token: string,
  id: string,
  verb: 'cancel' | 'reschedule' | 'complete' | 'no-show',
  body: Record<string, unknown> = {},
): Promise<Response> {
  return t.http().post(`/api/v1/bookings/${id}/${verb}`).set(auth(token)).send(body);
}

const REF_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
function randomReference(): string {
  const pick = (n: number) => Array.from(randomBytes(n), (b) => REF_ALPHABET[b % REF_ALPHABET.length]).join('');
  return `PS-${pick(4)}-${pick(2)}`;
}

/** A confirmed booking straight into the table (the API refuses starts in the past). */
export async function insertBookingSql(
  t: TestApp,
  b: { intakeId: string; supporterId: string; callerId: string; start: Date; minutes?: number },
): Promise<string> {
  const end = new Date(b.start.getTime() + (b.minutes ?? 50) * MINUTE);
  const rows: { id: string }[] = await t.ds.query(
    `INSERT INTO bookings (reference, intake_id, supporter_id, caller_id, starts_at, ends_at, blocked_until, modality, status)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 'phone', 'confirmed') RETURNING id`,
    [randomReference(), b.intakeId, b.supporterId, b.callerId, b.start, end, new Date(end.getTime() + 10 * MINUTE)],
  );
  return rows[0].id;
}

export async function countRows(t: TestApp, where: string, params: unknown[]): Promise<number> {
  const [row] = await t.ds.query(`SELECT count(*)::int AS n FROM bookings WHERE ${where}`, params);
  return row.n as number;
}

// ---- time ----------------------------------------------------------------------------------------

/** `days` days from today at a London wall-clock time. */
export function london(days: number, hhmm: string): DateTime {
  const [hour, minute] = hhmm.split(':').map(Number);
  return DateTime.now().setZone(LONDON).plus({ days }).set({ hour, minute, second: 0, millisecond: 0 });
}

/** The UTC ISO form the API answers with. */
export function utc(d: DateTime): string {
  return d.toUTC().toISO()!;
}

/** Last Sunday of `month` (3 or 10) of `year`, as a London date. */
function lastSunday(year: number, month: number): DateTime {
  let d = DateTime.fromObject({ year, month, day: 1 }, { zone: LONDON }).endOf('month').startOf('day');
  while (d.weekday !== 7) d = d.minus({ days: 1 });
  return d;
}

/** The next real London daylight-saving change ('spring' = last Sunday of March, 'autumn' = October) after now. */
export function nextDstChange(which: 'spring' | 'autumn'): DateTime {
  const now = DateTime.now().setZone(LONDON);
  const month = which === 'spring' ? 3 : 10;
  for (let year = now.year; ; year++) {
    const d = lastSunday(year, month);
    if (d > now) return d;
  }
}

/**
 * A weekly series of `count` around `change` at `hhmm` London: the first
 * occurrence `before` weeks ahead of the change, chosen so that all lie
 * between tomorrow and 360 days from now (the tests raise the horizon to 366).
 */
export function seriesAround(change: DateTime, hhmm: string, count = 6): { first: DateTime; before: number } {
  const [hour, minute] = hhmm.split(':').map(Number);
  const earliest = DateTime.now().plus({ days: 1 });
  const latest = DateTime.now().plus({ days: 360 });
  for (const before of [2, 3, 1, 4, 5].filter((b) => b >= 1 && b < count)) {
    const first = change.minus({ weeks: before }).set({ hour, minute, second: 0, millisecond: 0 });
    const last = first.plus({ weeks: count - 1 });
    if (first > earliest && last < latest) return { first, before };
  }
  throw new Error(`no ${count}-week series around ${change.toISODate()} fits between tomorrow and 360 days ahead`);
}

// ---- assertions ----------------------------------------------------------------------------------

/** The one problem-document assertion (test/support/factories.ts), for the files that import this one. */
export { expectProblem };

/** A 400 validation_failed naming these fields in `errors`. */
export function expectValidation(res: Response, fields: string[]): void {
  expectProblem(res, 400, 'validation_failed');
  const errors = res.body.errors as { field: string; message: string }[];
  expect(Array.isArray(errors)).toBe(true);
  expect(errors.map((e) => e.field).sort()).toEqual([...fields].sort());
}
