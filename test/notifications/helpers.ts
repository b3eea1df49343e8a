import { DateTime } from 'luxon';
import { OutboxWorker } from '../../libs/notifications/src';
import { bearer, createSupporter, putPolicies } from '../support/factories';
import type { TestApp } from '../support/test-app';

// eslint-disable-next-line @typescript-eslint/no-require-imports
export const ICAL = require('ical.js');

export const ALL_DAY = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '00:00', end: '24:00' }));

export const DISTINCTIVE = {
  specialty: 'Specialty-Zq-Paediatric-Xeno-4471',
  workplace: 'Workplace-Distinctive-Infirmary-9902',
  ethnicity: 'Ethnicity-Marker-Vv-3318',
};

let phoneSeq = Math.floor(Math.random() * 500);

export interface Desk {
  admin: string;
  intake: string;
  supporterId: string;
  worker: OutboxWorker;
}

/** An admin, an intake worker and a counsellor available around the clock. */
export async function openDesk(
  t: TestApp,
  supporter: { displayName?: string; modalities?: ('phone' | 'video')[] } = {},
): Promise<Desk> {
  const admin = (await t.signIn('admin')).token;
  const intake = (await t.signIn('intake')).token;
  await putPolicies(t, admin);
  const s = await createSupporter(t, admin, {
    kind: 'counsellor',
    maxActiveCases: 200,
    displayName: 'Dr Priya Shah',
    ...supporter,
  });
  const res = await t
    .http()
    .put(`/api/v1/supporters/${s.id}/availability`)
    .set(bearer(admin))
    .send({ weekly: ALL_DAY });
  if (res.status !== 200) throw new Error(`availability: ${res.status} ${res.text}`);
  return { admin, intake, supporterId: s.id, worker: t.app.get(OutboxWorker) };
}

export interface NewCaller {
  intakeId: string;
  callerId: string;
  email: string | undefined;
  phone: string;
  name: string;
}

/** POST /intakes for a new caller (a unique drama-range number), with distinctive personal details. */
export async function newIntake(
  t: TestApp,
  desk: Desk,
  overrides: { email?: string | null; timeZone?: string } = {},
): Promise<NewCaller> {
  const n = ++phoneSeq % 1000;
  const phone = `07700 900${String(n).padStart(3, '0')}`;
  const email =
    overrides.email === null
      ? undefined
      : (overrides.email ?? `caller-${n}-${Math.random().toString(36).slice(2, 8)}@nhs.example`);
  const name = `Quilla Vantongeren ${n}`;
  const res = await t
    .http()
    .post('/api/v1/intakes')
    .set(bearer(desk.intake))
    .send({
      service: 'counselling',
      caller: {
        name,
        phone,
        ...(email ? { email } : {}),
        role: 'doctor',
        specialty: DISTINCTIVE.specialty,
        workplace: DISTINCTIVE.workplace,
        ethnicity: DISTINCTIVE.ethnicity,
        timeZone: overrides.timeZone ?? 'Europe/London',
      },
      risk: { immediateDanger: false },
      consent: { privacyNotice: true },
    });
  if (res.status !== 201) throw new Error(`intake: ${res.status} ${res.text}`);
  return { intakeId: res.body.id, callerId: res.body.callerId, email, phone, name };
}

let slot = 0;
/** A distinct future hour (at least 3 days ahead) for each booking in this process. */
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
  sequence: number;
}

export async function book(
  t: TestApp,
  desk: Desk,
  intakeId: string,
  start = nextStart(),
  extra: Record<string, unknown> = {},
): Promise<BookingBody> {
  const res = await t
    .http()
    .post('/api/v1/bookings')
    .set(bearer(desk.intake))
    .send({ intakeId, supporterId: desk.supporterId, start, ...extra });
  if (res.status !== 201) throw new Error(`booking: ${res.status} ${res.text}`);
  return res.body as BookingBody;
}

export interface OutboxRow {
  id: string;
  booking_id: string;
  channel: 'email' | 'sms';
  kind: string;
  status: string;
  attempts: number;
  due_at: Date;
  body_text: string;
  message_id: string;
  last_error: string | null;
  recipient: string;
}

export async function outboxOf(t: TestApp, bookingId: string): Promise<OutboxRow[]> {
  return t.ds.query(`SELECT * FROM outbox_messages WHERE booking_id = $1 ORDER BY created_at, channel`, [bookingId]);
}

/** The manage token from the newest message of that kind (as the caller would read it). */
export async function manageTokenOf(t: TestApp, bookingId: string, kind = 'confirmation'): Promise<string> {
  const rows: { body_text: string }[] = await t.ds.query(
    `SELECT body_text FROM outbox_messages WHERE booking_id = $1 AND kind = $2 AND channel = 'sms' ORDER BY created_at DESC LIMIT 1`,
    [bookingId, kind],
  );
  const m = /\/manage\/([A-Za-z0-9_-]{43})/.exec(rows[0]?.body_text ?? '');
  if (!m) throw new Error('no manage link in the message');
  return m[1];
}

export function parseInvite(ics: string) {
  const cal = new ICAL.Component(ICAL.parse(ics));
  const vevent = cal.getFirstSubcomponent('vevent');
  const event = new ICAL.Event(vevent);
  return {
    method: cal.getFirstPropertyValue('method') as string,
    uid: event.uid as string,
    sequence: event.sequence as number,
    status: vevent.getFirstPropertyValue('status') as string,
    start: event.startDate.toJSDate().toISOString() as string,
    end: event.endDate.toJSDate().toISOString() as string,
    startZone: event.startDate.zone.tzid as string,
    organizer: vevent.getFirstPropertyValue('organizer') as string,
    attendees: vevent
      .getAllProperties('attendee')
      .map((p: { getFirstValue(): string }) => p.getFirstValue()) as string[],
  };
}
