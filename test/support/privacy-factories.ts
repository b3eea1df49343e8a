/**
 * Helpers for the privacy and safeguarding e2e tests (test/privacy/*): a desk
 * (admin, intake worker, a counsellor available around the clock with its own
 * supporter login), callers with distinctive personal data (so a scan of the
 * database or the logs can look for every value), bookings, outbox look-ups,
 * a whole-database text scan and a log capture.
 */
import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { DateTime } from 'luxon';
import type { Response } from 'supertest';
import { OutboxWorker } from '../../libs/notifications/src';
import { bearer, putPolicies } from './factories';
import type { TestApp } from './test-app';

import { insertBookingSql } from './booking-factories';

export { bearer } from './factories';
export { insertBookingSql };

export const ALL_DAY = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '00:00', end: '24:00' }));

export interface Desk {
  admin: string;
  adminId: string;
  intake: string;
  intakeId: string;
  supporterId: string;
  supporterName: string;
  /** A supporter login linked to `supporterId`. */
  supporter: string;
  supporterUserId: string;
  worker: OutboxWorker;
}

let seq = 0;
const letters = (n: number) => Array.from(randomBytes(n), (b) => 'abcdefghijklmnopqrstuvwxyz'[b % 26]).join('');

/** A counsellor (around the clock, room for many cases) with a supporter login. */
export async function makeCounsellor(
  t: TestApp,
  adminToken: string,
  displayName = `Dr Counsellor ${++seq}`,
): Promise<{ id: string; displayName: string; token: string; userId: string }> {
  const res = await t
    .http()
    .post('/api/v1/supporters')
    .set(bearer(adminToken))
    .send({
      kind: 'counsellor',
      displayName,
      email: `supporter-${++seq}-${randomBytes(3).toString('hex')}@staff.example`,
      timeZone: 'Europe/London',
      maxActiveCases: 200,
      modalities: ['phone', 'video'],
    });
  if (res.status !== 201) throw new Error(`makeCounsellor: ${res.status} ${res.text}`);
  const av = await t
    .http()
    .put(`/api/v1/supporters/${res.body.id}/availability`)
    .set(bearer(adminToken))
    .send({ weekly: ALL_DAY });
  if (av.status !== 200) throw new Error(`makeCounsellor availability: ${av.status} ${av.text}`);
  const login = await t.signIn('supporter', res.body.id);
  return { id: res.body.id, displayName, token: login.token, userId: login.userId };
}

export async function openDesk(t: TestApp): Promise<Desk> {
  const admin = await t.signIn('admin');
  const intake = await t.signIn('intake');
  await putPolicies(t, admin.token);
  const s = await makeCounsellor(t, admin.token, `Dr Imogen Fairweather ${++seq}`);
  return {
    admin: admin.token,
    adminId: admin.userId,
    intake: intake.token,
    intakeId: intake.userId,
    supporterId: s.id,
    supporterName: s.displayName,
    supporter: s.token,
    supporterUserId: s.userId,
    worker: t.app.get(OutboxWorker),
  };
}

export interface Person {
  name: string;
  first: string;
  last: string;
  /** as typed by intake staff: "07700 900123" */
  phone: string;
  e164: string;
  /** "07700900123" */
  digits: string;
  /** "7700900123": inside every spelling without spaces */
  national: string;
  email: string;
  specialty: string;
  workplace: string;
  ethnicity: string;
  gender: string;
  age: number;
  preferredTimes: string;
  message: string;
}

let phoneSeq = 0;
/** A caller with distinctive values in every personal field; a fresh drama-range number (unique within a test file). */
export function person(): Person {
  const n = ++phoneSeq;
  if (n > 999) throw new Error('person: out of drama-range numbers');
  const last3 = String(n).padStart(3, '0');
  const first = `Ysolde${letters(5)}`;
  const last = `Quarshie${letters(5)}`;
  const tag = letters(6);
  return {
    name: `${first} ${last}`,
    first,
    last,
    phone: `07700 900${last3}`,
    e164: `+447700900${last3}`,
    digits: `07700900${last3}`,
    national: `7700900${last3}`,
    email: `${first.toLowerCase()}.${last.toLowerCase()}@caller-mail.example`,
    specialty: `Otoneurology${tag}`,
    workplace: `Infirmary of St ${tag}`,
    ethnicity: `Ethnicity${tag}marker`,
    gender: `Gender${tag}`,
    age: 47,
    preferredTimes: `Weekday evenings ${tag} please`,
    message: `I have been struggling ${tag} since the inquest`,
  };
}

/** Every spelling of the person's identifying values, for a scan. */
export function needlesOf(p: Person, opts: { sensitive?: boolean } = {}): string[] {
  const out = [p.name, p.first, p.last, p.phone, p.e164, p.digits, p.national, p.email];
  if (opts.sensitive) out.push(p.specialty, p.workplace, p.ethnicity, p.gender, p.preferredTimes, p.message);
  return out;
}

export function intakeBodyFor(p: Person, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    service: 'counselling',
    caller: {
      name: p.name,
      phone: p.phone,
      email: p.email,
      role: 'doctor',
      specialty: p.specialty,
      workplace: p.workplace,
      gender: p.gender,
      ethnicity: p.ethnicity,
      age: p.age,
      timeZone: 'Europe/London',
    },
    preferences: { supporterGender: 'female', languages: ['en'], modality: 'phone', sameSpecialty: 'avoid' },
    risk: { immediateDanger: false },
    consent: { privacyNotice: true },
    ...extra,
  };
}

export interface NewIntake {
  id: string;
  callerId: string;
  status: string;
}

/** POST /intakes for this person; fails unless 201. */
export async function intakeFor(
  t: TestApp,
  token: string,
  p: Person,
  headers: Record<string, string> = {},
): Promise<NewIntake> {
  const res = await t.http().post('/api/v1/intakes').set(bearer(token)).set(headers).send(intakeBodyFor(p));
  if (res.status !== 201) throw new Error(`intakeFor: ${res.status} ${res.text}`);
  return res.body as NewIntake;
}

/** POST /requests (the public web form) for this person, with preferred times and a message; fails unless 201. */
export async function webRequestFor(t: TestApp, p: Person): Promise<{ reference: string; status: string }> {
  const res = await t
    .http()
    .post('/api/v1/requests')
    .send({
      service: 'counselling',
      caller: { name: p.name, phone: p.phone, email: p.email, role: 'doctor', timeZone: 'Europe/London' },
      preferredTimes: p.preferredTimes,
      message: p.message,
      risk: { immediateDanger: false },
      consent: { privacyNotice: true },
    });
  if (res.status !== 201) throw new Error(`webRequestFor: ${res.status} ${res.text}`);
  return res.body;
}

let slot = 0;
/** A distinct future hour (at least 3 days ahead) for each booking of this test file. */
export function nextStart(daysAhead = 3): string {
  slot += 1;
  return DateTime.utc()
    .startOf('hour')
    .plus({ days: daysAhead, hours: slot * 2 })
    .toISO();
}

export interface BookingBody {
  id: string;
  reference: string;
  start: string;
  end: string;
  status: string;
  supporterId: string;
  callerId: string;
  intakeId: string;
  caller?: Record<string, unknown>;
}

export async function bookFor(
  t: TestApp,
  token: string,
  intakeId: string,
  supporterId: string,
  start = nextStart(),
): Promise<BookingBody> {
  const res = await t.http().post('/api/v1/bookings').set(bearer(token)).send({ intakeId, supporterId, start });
  if (res.status !== 201) throw new Error(`bookFor: ${res.status} ${res.text}`);
  return res.body as BookingBody;
}

/** A past confirmed booking (SQL: the API refuses starts in the past), then POST /bookings/:id/complete as `token`. */
export async function completedSession(
  t: TestApp,
  token: string,
  b: { intakeId: string; supporterId: string; callerId: string },
  hoursAgo = 26,
): Promise<string> {
  const id = await insertBookingSql(t, { ...b, start: new Date(Date.now() - hoursAgo * 3_600_000) });
  const res = await t.http().post(`/api/v1/bookings/${id}/complete`).set(bearer(token)).send({});
  if (res.status !== 200) throw new Error(`complete: ${res.status} ${res.text}`);
  return id;
}

export interface OutboxRow {
  id: string;
  booking_id: string | null;
  intake_id: string | null;
  caller_id: string | null;
  channel: 'email' | 'sms';
  kind: string;
  status: string;
  recipient: string;
  body_text: string;
}

export async function outboxCount(t: TestApp): Promise<number> {
  const [r] = await t.ds.query(`SELECT count(*)::int AS n FROM outbox_messages`);
  return r.n as number;
}

export async function outboxOfCaller(t: TestApp, callerId: string): Promise<OutboxRow[]> {
  return t.ds.query(`SELECT * FROM outbox_messages WHERE caller_id = $1 ORDER BY created_at, channel`, [callerId]);
}

/** The manage token from a booking's newest SMS of that kind, as the caller reads it. */
export async function manageTokenOf(t: TestApp, bookingId: string, kind = 'confirmation'): Promise<string> {
  const rows: { body_text: string }[] = await t.ds.query(
    `SELECT body_text FROM outbox_messages WHERE booking_id = $1 AND kind = $2 AND channel = 'sms' ORDER BY created_at DESC LIMIT 1`,
    [bookingId, kind],
  );
  const m = /\/manage\/([A-Za-z0-9_-]{43})/.exec(rows[0]?.body_text ?? '');
  if (!m) throw new Error('no manage link in the message');
  return m[1];
}

/** The feedback token from the feedback message of a booking (URL `${publicUrl}/feedback/<token>`). */
export async function feedbackTokenOf(
  t: TestApp,
  bookingId: string,
  publicUrl: string,
  channel: 'email' | 'sms' = 'sms',
): Promise<string> {
  const rows: { body_text: string }[] = await t.ds.query(
    `SELECT body_text FROM outbox_messages WHERE booking_id = $1 AND kind = 'feedback' AND channel = $2 ORDER BY created_at DESC LIMIT 1`,
    [bookingId, channel],
  );
  const escaped = publicUrl.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const m = new RegExp(`${escaped}/feedback/([A-Za-z0-9_-]+)`).exec(rows[0]?.body_text ?? '');
  if (!m) throw new Error(`no feedback link in the message: ${rows[0]?.body_text}`);
  return m[1];
}

export interface AuditRow {
  id: string;
  at: Date;
  user_id: string | null;
  role: string | null;
  action: string;
  caller_id: string | null;
  request_id: string | null;
  details: Record<string, unknown>;
}

export async function auditByRequest(t: TestApp, requestId: string): Promise<AuditRow[]> {
  return t.ds.query(`SELECT * FROM audit_events WHERE request_id = $1 ORDER BY id`, [requestId]);
}

export async function auditOfCaller(t: TestApp, callerId: string): Promise<AuditRow[]> {
  return t.ds.query(`SELECT * FROM audit_events WHERE caller_id = $1 ORDER BY id`, [callerId]);
}

/** A fresh request id that passes the "looks safe" rule ([A-Za-z0-9._-]{8,64}). */
export function requestId(label: string): string {
  return `rq-${label}-${randomBytes(6).toString('hex')}`;
}

// ---- database scan ---------------------------------------------------------------------------

export interface ScanHit {
  table: string;
  column: string;
  needle: string;
  rows: number;
}

/**
 * Every text, varchar, char, json and jsonb column (and arrays of text) of
 * every table in the public schema, searched (case-insensitively, as text)
 * for every needle.
 */
export async function scanDatabase(
  t: TestApp,
  needles: string[],
): Promise<{ columns: number; tables: number; hits: ScanHit[] }> {
  const cols: { table_name: string; column_name: string }[] = await t.ds.query(`
    SELECT c.table_name, c.column_name
      FROM information_schema.columns c
      JOIN information_schema.tables tb ON tb.table_schema = c.table_schema AND tb.table_name = c.table_name
     WHERE c.table_schema = 'public' AND tb.table_type = 'BASE TABLE'
       AND (c.data_type IN ('text', 'character varying', 'character', 'json', 'jsonb')
            OR (c.data_type = 'ARRAY' AND c.udt_name IN ('_text', '_varchar', '_bpchar', '_json', '_jsonb')))
     ORDER BY c.table_name, c.ordinal_position`);
  const patterns = needles.map((n) => `%${n.replace(/[\\%_]/g, '\\$&')}%`);
  const hits: ScanHit[] = [];
  for (const { table_name, column_name } of cols) {
    const counts = patterns
      .map((_, i) => `count(*) FILTER (WHERE "${column_name}"::text ILIKE $${i + 1})::int AS n${i}`)
      .join(', ');
    const [row] = await t.ds.query(`SELECT ${counts} FROM "${table_name}"`, patterns);
    needles.forEach((needle, i) => {
      if (row[`n${i}`] > 0) hits.push({ table: table_name, column: column_name, needle, rows: row[`n${i}`] });
    });
  }
  return { columns: cols.length, tables: new Set(cols.map((c) => c.table_name)).size, hits };
}

// ---- logs ------------------------------------------------------------------------------------

/** A Writable that keeps every chunk the app logs. */
export function captureLogs(): { stream: PassThrough; text: () => string; lines: () => string[] } {
  const chunks: Buffer[] = [];
  const stream = new PassThrough();
  stream.on('data', (c: Buffer) => chunks.push(Buffer.from(c)));
  const text = () => Buffer.concat(chunks).toString('utf8');
  return {
    stream,
    text,
    lines: () =>
      text()
        .split('\n')
        .filter((l) => l.trim().length > 0),
  };
}

// ---- responses -------------------------------------------------------------------------------

/** The response is a problem document with this status (and code when given). */
export function expectStatus(res: Response, status: number, code?: string): void {
  if (res.status !== status || (code !== undefined && res.body?.code !== code)) {
    throw new Error(`expected ${status}${code ? ` ${code}` : ''}, got ${res.status}: ${res.text}`);
  }
  if (status >= 400) expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
}
