/**
 * Helpers for the intake and matching e2e tests (test/intake/*): supporters
 * with availability, intakes and bookings, all made over HTTP as a real client
 * would, plus a few direct SQL inserts where the API cannot make the state
 * (a booking in the past).
 */
import { randomBytes } from 'node:crypto';
import { DateTime } from 'luxon';
import type { Response } from 'supertest';
import type { TestApp } from './test-app';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

let seq = 0;

export function auth(token: string): { Authorization: string } {
  return { Authorization: `Bearer ${token}` };
}

export function uniqueEmail(prefix = 'x'): string {
  return `${prefix}-${++seq}-${randomBytes(4).toString('hex')}@test.local`;
}

let phoneSeq = 0;
/**
 * A fresh number in Ofcom's drama range (07700 900000–900999), unique within
 * one test file (each file has its own database). Returned in national form.
 */
export function dramaPhone(): { national: string; e164: string; digits: string } {
  const n = phoneSeq++;
  if (n > 999) throw new Error('dramaPhone: out of drama-range numbers in this file');
  const last = String(n).padStart(3, '0');
  return { national: `07700 900${last}`, e164: `+447700900${last}`, digits: `07700900${last}` };
}

/** Every day, 08:00–20:00: always inside the default sociable hours, so a London peer always has a mutual slot. */
export const ALL_WEEK_SOCIABLE = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '08:00', end: '20:00' }));

export interface SupporterInput {
  kind?: 'peer' | 'counsellor';
  displayName?: string;
  email?: string;
  specialty?: string;
  gender?: string;
  languages?: string[];
  timeZone?: string;
  workplaces?: string[];
  maxActiveCases?: number;
  modalities?: ('phone' | 'video')[];
  active?: boolean;
}

export interface Supporter {
  id: string;
  kind: 'peer' | 'counsellor';
  displayName: string;
  timeZone: string;
  maxActiveCases: number;
  active: boolean;
}

/**
 * POST /supporters then PUT its availability (as admin). `weekly` defaults to
 * every day 08:00–20:00; pass [] for a supporter with no availability at all.
 */
export async function makeSupporter(
  t: TestApp,
  adminToken: string,
  input: SupporterInput = {},
  weekly: { weekday: number; start: string; end: string }[] = ALL_WEEK_SOCIABLE,
): Promise<Supporter> {
  const body = {
    kind: 'peer',
    displayName: `Dr Supporter ${++seq}`,
    email: uniqueEmail('supporter'),
    timeZone: 'Europe/London',
    maxActiveCases: 5,
    languages: ['en'],
    modalities: ['phone'],
    ...input,
  };
  const res = await t.http().post('/api/v1/supporters').set(auth(adminToken)).send(body);
  if (res.status !== 201) throw new Error(`makeSupporter: ${res.status} ${res.text}`);
  if (weekly.length) {
    const av = await t
      .http()
      .put(`/api/v1/supporters/${res.body.id}/availability`)
      .set(auth(adminToken))
      .send({ weekly });
    if (av.status !== 200) throw new Error(`makeSupporter availability: ${av.status} ${av.text}`);
  }
  return res.body as Supporter;
}

export async function patchSupporter(
  t: TestApp,
  adminToken: string,
  id: string,
  patch: Partial<SupporterInput>,
): Promise<void> {
  const res = await t.http().patch(`/api/v1/supporters/${id}`).set(auth(adminToken)).send(patch);
  if (res.status !== 200) throw new Error(`patchSupporter: ${res.status} ${res.text}`);
}

export interface IntakeInput {
  service?: 'peer_support' | 'counselling';
  caller?: Record<string, unknown>;
  preferences?: Record<string, unknown>;
  risk?: { immediateDanger: boolean };
  gmcInvestigation?: boolean;
  consent?: Record<string, unknown>;
}

/** A valid POST /intakes body; `caller` fields are merged over a fresh caller with a new drama-range number. */
export function intakeBody(input: IntakeInput = {}): Record<string, unknown> {
  const { caller, ...rest } = input;
  return {
    service: 'peer_support',
    risk: { immediateDanger: false },
    consent: { privacyNotice: true },
    ...rest,
    caller: { name: 'Dr Test Caller', phone: dramaPhone().national, role: 'doctor', ...(caller ?? {}) },
  };
}

export function postIntake(t: TestApp, token: string, body: Record<string, unknown>): Promise<Response> {
  return t.http().post('/api/v1/intakes').set(auth(token)).send(body);
}

export interface CreatedIntake {
  id: string;
  callerId: string;
  status: string;
  signposting?: { text: string; immediateDanger?: string; gmcInvestigation?: string };
}

/** POST /intakes; fails unless 201. */
export async function makeIntake(t: TestApp, token: string, input: IntakeInput = {}): Promise<CreatedIntake> {
  const res = await postIntake(t, token, intakeBody(input));
  if (res.status !== 201) throw new Error(`makeIntake: ${res.status} ${res.text}`);
  return res.body as CreatedIntake;
}

export function getMatches(t: TestApp, token: string, intakeId: string, limit = 50): Promise<Response> {
  return t.http().get(`/api/v1/intakes/${intakeId}/matches`).query({ limit }).set(auth(token));
}

export interface MatchesBody {
  candidates: {
    supporterId: string;
    displayName: string;
    score: number;
    continuity: boolean;
    reasons: { code: string; text: string }[];
    nextSlots: { start: string; end: string }[];
  }[];
  excluded: {
    supporterId: string;
    displayName: string;
    continuity?: boolean;
    reasons: { code: string; text: string }[];
  }[];
}

/** GET /intakes/:id/matches?limit=50; fails unless 200. */
export async function matches(t: TestApp, token: string, intakeId: string): Promise<MatchesBody> {
  const res = await getMatches(t, token, intakeId);
  if (res.status !== 200) throw new Error(`matches: ${res.status} ${res.text}`);
  return res.body as MatchesBody;
}

export function assign(t: TestApp, token: string, intakeId: string, supporterId: string): Promise<Response> {
  return t.http().post(`/api/v1/intakes/${intakeId}/assign`).set(auth(token)).send({ supporterId });
}

/** The supporter's first free slot from now on (GET /supporters/:id/slots over the next 14 days). */
export async function firstSlot(
  t: TestApp,
  token: string,
  supporterId: string,
): Promise<{ start: string; end: string }> {
  const from = DateTime.utc().toISO();
  const to = DateTime.utc().plus({ days: 14 }).toISO();
  const res = await t
    .http()
    .get(`/api/v1/supporters/${supporterId}/slots`)
    .query({ from, to, durationMinutes: 50 })
    .set(auth(token));
  if (res.status !== 200 || !res.body.slots?.length) throw new Error(`firstSlot: ${res.status} ${res.text}`);
  return res.body.slots[0];
}

export function postBooking(t: TestApp, token: string, body: Record<string, unknown>): Promise<Response> {
  return t.http().post('/api/v1/bookings').set(auth(token)).send(body);
}

const REF_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
function randomReference(): string {
  const pick = (n: number) => Array.from(randomBytes(n), (b) => REF_ALPHABET[b % REF_ALPHABET.length]).join('');
  return `PS-${pick(4)}-${pick(2)}`;
}

/**
 * Inserts a booking straight into the table (the API refuses starts in the
 * past): used for completed / cancelled / no-show history.
 */
export async function insertBooking(
  t: TestApp,
  b: {
    intakeId: string;
    supporterId: string;
    callerId: string;
    start: Date;
    minutes?: number;
    status: 'confirmed' | 'cancelled' | 'completed' | 'no_show';
  },
): Promise<string> {
  const end = new Date(b.start.getTime() + (b.minutes ?? 50) * MINUTE);
  const rows: { id: string }[] = await t.ds.query(
    `INSERT INTO bookings (reference, intake_id, supporter_id, caller_id, starts_at, ends_at, blocked_until, modality, status)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 'phone', $8) RETURNING id`,
    [
      randomReference(),
      b.intakeId,
      b.supporterId,
      b.callerId,
      b.start,
      end,
      new Date(end.getTime() + 10 * MINUTE),
      b.status,
    ],
  );
  return rows[0].id;
}

/** Every reason of every candidate and exclusion is a non-empty {code, text}. */
export function expectReasonsNeverEmpty(body: MatchesBody): void {
  for (const entry of [...body.candidates, ...body.excluded]) {
    expect(Array.isArray(entry.reasons)).toBe(true);
    expect(entry.reasons.length).toBeGreaterThan(0);
    for (const r of entry.reasons) {
      expect(typeof r.code).toBe('string');
      expect(r.code.length).toBeGreaterThan(0);
      expect(typeof r.text).toBe('string');
      expect(r.text.length).toBeGreaterThan(0);
    }
  }
}

export function codesOf(entry: { reasons: { code: string }[] } | undefined): string[] {
  return entry ? entry.reasons.map((r) => r.code) : [];
}

/** The one problem-document assertion (test/support/factories.ts), for the files that import this one. */
export { expectProblem } from './factories';
