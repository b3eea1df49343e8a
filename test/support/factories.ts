import { randomBytes } from 'node:crypto';
import { DateTime } from 'luxon';
import type { Response } from 'supertest';
import type { TestApp } from './test-app';

/** The contract's default booking policy. */
export const DEFAULT_POLICIES = {
  sociableHours: { start: '08:00', end: '20:00', weekdays: [1, 2, 3, 4, 5, 6, 7] },
  defaultDurationMinutes: 50,
  bufferMinutes: 10,
  minimumNoticeMinutes: 120,
  bookingHorizonDays: 92,
  // an extension of the contract: web self-referrals are promised a call within this many working hours
  callbackWorkingHours: 24,
  // extensions: the line's own number (unset) and the emergency numbers shown to callers
  supportLinePhone: null as string | null,
  emergencyNumbers: [
    { label: 'Emergency services', number: '999' },
    { label: 'NHS 111 (urgent medical help)', number: '111' },
  ],
  // an extension: the week in which call-back promises are counted
  workingHours: { timeZone: 'Europe/London', weekdays: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' },
};

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

let seq = 0;
/** A fresh e-mail address, unique across test files and runs. */
export function uniqueEmail(prefix = 'user'): string {
  return `${prefix}-${++seq}-${randomBytes(4).toString('hex')}@test.local`;
}

export function bearer(token: string): { Authorization: string } {
  return { Authorization: `Bearer ${token}` };
}

export interface SupporterBody {
  kind: 'peer' | 'counsellor';
  displayName: string;
  email: string;
  phone?: string;
  specialty?: string;
  gender?: string;
  languages?: string[];
  timeZone: string;
  workplaces?: string[];
  maxActiveCases: number;
  modalities?: ('phone' | 'video')[];
  active?: boolean;
}

export function supporterBody(overrides: Partial<SupporterBody> = {}): SupporterBody {
  return {
    kind: 'counsellor',
    displayName: 'Dr Test Supporter',
    email: uniqueEmail('supporter'),
    timeZone: 'Europe/London',
    maxActiveCases: 5,
    ...overrides,
  };
}

export interface SupporterView extends Required<Omit<SupporterBody, 'phone' | 'specialty' | 'gender'>> {
  id: string;
  phone: string | null;
  specialty: string | null;
  gender: string | null;
}

/** POST /supporters as `token` (an admin); fails the test unless 201. */
export async function createSupporter(
  t: TestApp,
  token: string,
  overrides: Partial<SupporterBody> = {},
): Promise<SupporterView> {
  const res = await t.http().post('/api/v1/supporters').set(bearer(token)).send(supporterBody(overrides));
  if (res.status !== 201) throw new Error(`createSupporter: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as SupporterView;
}

export interface WeeklyRule {
  weekday: number;
  start: string;
  end: string;
}

/** PUT /supporters/:id/availability; fails the test unless 200. */
export async function setAvailability(
  t: TestApp,
  token: string,
  supporterId: string,
  weekly: WeeklyRule[],
): Promise<WeeklyRule[]> {
  const res = await t.http().put(`/api/v1/supporters/${supporterId}/availability`).set(bearer(token)).send({ weekly });
  if (res.status !== 200) throw new Error(`setAvailability: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.weekly as WeeklyRule[];
}

/** PUT /policies with the defaults changed by `overrides`; fails the test unless 200. */
export async function putPolicies(
  t: TestApp,
  adminToken: string,
  overrides: Partial<typeof DEFAULT_POLICIES> = {},
): Promise<void> {
  const res = await t
    .http()
    .put('/api/v1/policies')
    .set(bearer(adminToken))
    .send({ ...DEFAULT_POLICIES, ...overrides });
  if (res.status !== 200) throw new Error(`putPolicies: ${res.status} ${JSON.stringify(res.body)}`);
}

export interface Slot {
  start: string;
  end: string;
}

export async function getSlots(
  t: TestApp,
  token: string,
  supporterId: string,
  query: Record<string, string | number>,
): Promise<Response> {
  return t.http().get(`/api/v1/supporters/${supporterId}/slots`).set(bearer(token)).query(query);
}

/** Start of the local day, in `zone`, of the next `weekday` at least `minDaysAhead` days from today. */
export function nextWeekday(zone: string, weekday: number, minDaysAhead = 2): DateTime {
  let d = DateTime.now().setZone(zone).startOf('day').plus({ days: minDaysAhead });
  while (d.weekday !== weekday) d = d.plus({ days: 1 });
  return d;
}

/** The instant of a local wall-clock time "HH:mm" on the local date of `day`, as the API writes it (UTC ISO). */
export function wallToIso(day: DateTime, hhmm: string): string {
  const [hour, minute] = hhmm.split(':').map(Number);
  return day.set({ hour, minute, second: 0, millisecond: 0 }).toUTC().toISO()!;
}

/** Secrets, stack traces and SQL that must never appear in an error body. */
const LEAKS = [
  /\bat [\w.<>]+ \(/, // stack frame
  /\.ts:\d+/,
  /node_modules/,
  /\bstack\b/i,
  /\bSELECT\b/,
  /\bINSERT INTO\b/,
  /\bUPDATE\s+"?\w+"?\s+SET\b/,
  /\bDELETE FROM\b/,
  /QueryFailedError/,
  /duplicate key value/,
  /violates .* constraint/,
  /test-secret-test-secret/,
  /\$argon2/,
];

/**
 * The response is an RFC 9457 problem document with this status and code:
 * application/problem+json, type/title/status/detail/code, and nothing leaked.
 */
export function expectProblem(res: Response, status: number, code: string): void {
  if (res.status !== status) {
    throw new Error(`expected ${status} ${code}, got ${res.status}: ${res.text}`);
  }
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = JSON.parse(res.text);
  expect(body).toEqual(
    expect.objectContaining({
      type: expect.any(String),
      title: expect.any(String),
      status,
      detail: expect.any(String),
      code,
    }),
  );
  expect(body.type.length).toBeGreaterThan(0);
  expect(body.title.length).toBeGreaterThan(0);
  expect(body.detail.length).toBeGreaterThan(0);
  for (const leak of LEAKS) expect(res.text).not.toMatch(leak);
}

/** A 400 validation_failed whose `errors` has exactly one entry per listed field (and no others). */
export function expectValidation(res: Response, fields: string[]): void {
  expectProblem(res, 400, 'validation_failed');
  const errors = res.body.errors as { field: string; message: string }[];
  expect(Array.isArray(errors)).toBe(true);
  for (const e of errors) {
    expect(typeof e.field).toBe('string');
    expect(typeof e.message).toBe('string');
    expect(e.message.length).toBeGreaterThan(0);
  }
  expect(errors.map((e) => e.field).sort()).toEqual([...fields].sort());
}
