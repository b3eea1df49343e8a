import { randomUUID } from 'node:crypto';
import { startTestApp, TestApp } from '../support/test-app';
import {
  bearer,
  bookFor,
  completedSession,
  Desk,
  expectStatus,
  intakeFor,
  manageTokenOf,
  needlesOf,
  nextStart,
  openDesk,
  outboxOfCaller,
  person,
  Person,
  scanDatabase,
  webRequestFor,
} from '../support/privacy-factories';

const PUBLIC_URL = 'https://support.example';

describe('subject access (export) and erasure', () => {
  let t: TestApp;
  let desk: Desk;
  let p: Person;
  let control: Person;
  let controlCallerId: string;
  let callerId: string;
  let phoneIntakeId: string;
  let webIntakeId: string;
  let kept: string; // the confirmed (rescheduled) future booking
  let cancelled: string;
  let completed: string;
  let manageToken: string;
  let bookingsBefore: number;

  beforeAll(async () => {
    t = await startTestApp({ PUBLIC_URL });
    desk = await openDesk(t);
    p = person();
    control = person();

    // the web form first (free text: preferred times and a message), then the phone intake with the sensitive fields
    await webRequestFor(t, p);
    const [web] = await t.ds.query(
      `SELECT i.id, i.caller_id FROM intakes i JOIN callers c ON c.id = i.caller_id WHERE c.phone = $1`,
      [p.e164],
    );
    webIntakeId = web.id;
    const phoneIntake = await intakeFor(t, desk.intake, p);
    expect(phoneIntake.callerId).toBe(web.caller_id);
    callerId = phoneIntake.callerId;
    phoneIntakeId = phoneIntake.id;

    // a booking that is rescheduled (new manage link), one cancelled with the caller's name in the reason, one completed (feedback link)
    const b1 = await bookFor(t, desk.intake, phoneIntakeId, desk.supporterId);
    const moved = await t
      .http()
      .post(`/api/v1/bookings/${b1.id}/reschedule`)
      .set(bearer(desk.intake))
      .send({ start: nextStart() });
    expect(moved.status).toBe(200);
    kept = b1.id;
    manageToken = await manageTokenOf(t, kept, 'reschedule');
    const b2 = await bookFor(t, desk.intake, phoneIntakeId, desk.supporterId);
    const cancel = await t
      .http()
      .post(`/api/v1/bookings/${b2.id}/cancel`)
      .set(bearer(desk.intake))
      .send({ reason: `${p.name} (${p.phone}, ${p.email}) asked to cancel: ${p.workplace} rota` });
    expect(cancel.status).toBe(200);
    cancelled = b2.id;
    completed = await completedSession(t, desk.intake, {
      intakeId: phoneIntakeId,
      supporterId: desk.supporterId,
      callerId,
    });

    // an escalation naming them
    const esc = await t
      .http()
      .post(`/api/v1/intakes/${phoneIntakeId}/escalations`)
      .set(bearer(desk.intake))
      .send({
        kind: 'risk_to_self',
        summary: `${p.name} (${p.e164}) described a plan; ${p.specialty} trainee at ${p.workplace}`,
        actionTaken: `Called 999 for ${p.name}; e-mailed ${p.email}`,
      });
    expect(esc.status).toBe(201);

    // a look-up by phone (audit) and some delivery, so messages have been sent too
    expect((await t.http().get('/api/v1/callers').query({ phone: p.phone }).set(bearer(desk.intake))).status).toBe(200);
    await desk.worker.runOnce();

    // a second caller who is not erased: the scan must still find them (it works)
    const c = await intakeFor(t, desk.intake, control);
    controlCallerId = c.callerId;
    await bookFor(t, desk.intake, c.id, desk.supporterId);

    [{ n: bookingsBefore }] = await t.ds.query(`SELECT count(*)::int AS n FROM bookings`);
  });
  afterAll(async () => {
    await t.close();
  });

  describe('GET /callers/:id/export', () => {
    it('admin: the caller, intakes, bookings with history, messages, escalations and audit events', async () => {
      const res = await t.http().get(`/api/v1/callers/${callerId}/export`).set(bearer(desk.admin));
      expect(res.status).toBe(200);
      const x = res.body;
      expect(Date.parse(x.exportedAt)).not.toBeNaN();
      expect(x.caller).toEqual(
        expect.objectContaining({
          id: callerId,
          name: p.name,
          phone: p.e164,
          email: p.email,
          specialty: p.specialty,
          workplace: p.workplace,
          ethnicity: p.ethnicity,
          gender: p.gender,
          age: p.age,
          erasedAt: null,
        }),
      );

      const intakes = x.intakes as {
        id: string;
        channel: string;
        message: string | null;
        preferredTimes: string | null;
      }[];
      expect(intakes.map((i) => i.id).sort()).toEqual([phoneIntakeId, webIntakeId].sort());
      expect(intakes.find((i) => i.id === webIntakeId)).toEqual(
        expect.objectContaining({ channel: 'web', message: p.message, preferredTimes: p.preferredTimes }),
      );

      const bookings = x.bookings as {
        id: string;
        status: string;
        history: { kind: string; reason: string | null }[];
      }[];
      expect(bookings.map((b) => b.id).sort()).toEqual([kept, cancelled, completed].sort());
      expect(bookings.find((b) => b.id === kept)!.history.map((h) => h.kind)).toEqual(['created', 'rescheduled']);
      const cancelHistory = bookings.find((b) => b.id === cancelled)!.history;
      expect(cancelHistory.map((h) => h.kind)).toEqual(['created', 'cancelled']);
      expect(cancelHistory[1].reason).toContain(p.name);
      expect(bookings.find((b) => b.id === completed)!.status).toBe('completed');

      const messages = x.messages as { kind: string; channel: string; recipient: string; body: string }[];
      const kinds = new Set(messages.map((m) => m.kind));
      for (const k of ['acknowledgement', 'confirmation', 'reschedule', 'cancellation', 'feedback'])
        expect(kinds).toContain(k);
      expect(messages.some((m) => m.channel === 'email' && m.recipient === p.email)).toBe(true);
      expect(messages.some((m) => m.channel === 'sms' && m.recipient === p.e164)).toBe(true);
      expect(messages.every((m) => typeof m.body === 'string' && m.body.length > 0)).toBe(true);

      expect(x.escalations).toEqual([
        expect.objectContaining({
          intakeId: phoneIntakeId,
          callerId,
          kind: 'risk_to_self',
          summary: expect.stringContaining(p.name),
        }),
      ]);

      const actions = new Set((x.auditEvents as { action: string; callerId: string }[]).map((e) => e.action));
      for (const a of [
        'caller.create',
        'caller.update',
        'intake.create',
        'request.create',
        'caller.lookup',
        'escalation.create',
      ])
        expect(actions).toContain(a);
      expect((x.auditEvents as { callerId: string }[]).every((e) => e.callerId === callerId)).toBe(true);

      // nothing about the other caller
      expect(res.text).not.toContain(control.name);
      expect(res.text).not.toContain(controlCallerId);
    });

    it('admin only: intake 403, supporter 403, nobody 401; unknown caller 404', async () => {
      expectStatus(await t.http().get(`/api/v1/callers/${callerId}/export`).set(bearer(desk.intake)), 403, 'forbidden');
      expectStatus(
        await t.http().get(`/api/v1/callers/${callerId}/export`).set(bearer(desk.supporter)),
        403,
        'forbidden',
      );
      expectStatus(await t.http().get(`/api/v1/callers/${callerId}/export`), 401, 'unauthorized');
      expectStatus(
        await t.http().get(`/api/v1/callers/${randomUUID()}/export`).set(bearer(desk.admin)),
        404,
        'not_found',
      );
    });
  });

  describe('POST /callers/:id/erase', () => {
    it('admin only: intake 403, supporter 403, nobody 401 (and nothing is erased)', async () => {
      expectStatus(await t.http().post(`/api/v1/callers/${callerId}/erase`).set(bearer(desk.intake)), 403, 'forbidden');
      expectStatus(
        await t.http().post(`/api/v1/callers/${callerId}/erase`).set(bearer(desk.supporter)),
        403,
        'forbidden',
      );
      expectStatus(await t.http().post(`/api/v1/callers/${callerId}/erase`), 401, 'unauthorized');
      expectStatus(
        await t.http().post(`/api/v1/callers/${randomUUID()}/erase`).set(bearer(desk.admin)),
        404,
        'not_found',
      );
      const [row] = await t.ds.query(`SELECT name, erased_at FROM callers WHERE id = $1`, [callerId]);
      expect(row).toEqual({ name: p.name, erased_at: null });
    });

    it('before erasure the scan finds the caller (the scan works)', async () => {
      const scan = await scanDatabase(t, [p.name, p.e164, p.email, p.message]);
      expect(scan.hits.map((h) => `${h.table}.${h.column}`)).toEqual(
        expect.arrayContaining([
          'callers.name',
          'callers.phone',
          'callers.email',
          'intakes.message',
          'outbox_messages.recipient',
          'escalations.summary',
          'booking_events.reason',
        ]),
      );
    });

    it('admin erases: 200 with erasedAt; the caller row is blank and marked', async () => {
      const res = await t.http().post(`/api/v1/callers/${callerId}/erase`).set(bearer(desk.admin));
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ id: callerId, erasedAt: expect.any(String) });
      const [row] = await t.ds.query(`SELECT * FROM callers WHERE id = $1`, [callerId]);
      expect(row.erased_at).toBeInstanceOf(Date);
      for (const col of [
        'name',
        'phone',
        'email',
        'specialty',
        'workplace',
        'gender',
        'ethnicity',
        'age',
        'language',
      ]) {
        expect({ col, value: row[col] }).toEqual({ col, value: null });
      }
      // asking again is harmless
      const again = await t.http().post(`/api/v1/callers/${callerId}/erase`).set(bearer(desk.admin));
      expect(again.status).toBe(200);
      expect(again.body.erasedAt).toBe(res.body.erasedAt);
    });

    it('ERASURE SCAN: no text, varchar, json(b) or text[] column of any table holds any of it', async () => {
      const needles = needlesOf(p, { sensitive: true });
      const scan = await scanDatabase(t, needles);
      console.log(
        `erasure scan: tables ${scan.tables}, columns scanned: ${scan.columns}, needles ${needles.length}, hits: ${scan.hits.length}${scan.hits.length ? ` ${JSON.stringify(scan.hits)}` : ''}`,
      );
      expect(scan.columns).toBeGreaterThan(30);
      expect(scan.hits).toEqual([]);

      // the control caller is untouched and still found
      const controlScan = await scanDatabase(t, [control.name, control.e164, control.email]);
      expect(controlScan.hits.length).toBeGreaterThan(0);
      const [c] = await t.ds.query(`SELECT name, erased_at FROM callers WHERE id = $1`, [controlCallerId]);
      expect(c).toEqual({ name: control.name, erased_at: null });
    });

    it('bookings stay as anonymous history: count unchanged, future ones cancelled, history without free text', async () => {
      const [{ n }] = await t.ds.query(`SELECT count(*)::int AS n FROM bookings`);
      expect(n).toBe(bookingsBefore);
      const rows: { id: string; status: string; caller_id: string; manage_token_hash: string | null }[] =
        await t.ds.query(
          `SELECT id, status, caller_id, manage_token_hash FROM bookings WHERE caller_id = $1 ORDER BY created_at`,
          [callerId],
        );
      expect(rows.map((r) => r.id).sort()).toEqual([kept, cancelled, completed].sort());
      expect(Object.fromEntries(rows.map((r) => [r.id, r.status]))).toEqual({
        [kept]: 'cancelled',
        [cancelled]: 'cancelled',
        [completed]: 'completed',
      });
      expect(rows.every((r) => r.manage_token_hash === null)).toBe(true);
      const events: { kind: string; reason: string | null }[] = await t.ds.query(
        `SELECT e.kind, e.reason FROM booking_events e JOIN bookings b ON b.id = e.booking_id WHERE b.caller_id = $1`,
        [callerId],
      );
      expect(events.length).toBeGreaterThanOrEqual(5);
      for (const e of events) expect([null, '[erased]']).toContain(e.reason);

      // the supporter still sees the sessions, with no one named
      const list = await t.http().get('/api/v1/bookings').query({ callerId }).set(bearer(desk.supporter));
      expect(list.status).toBe(200);
      const mine = list.body.bookings as { id: string; caller: Record<string, unknown> }[];
      expect(mine.map((b) => b.id).sort()).toEqual([kept, cancelled, completed].sort());
      for (const b of mine) expect(b.caller).toEqual({ name: null, phone: null, email: null });
    });

    it('nothing more is sent: pending messages cancelled, the manage link is dead', async () => {
      const msgs = await outboxOfCaller(t, callerId);
      expect(msgs.length).toBeGreaterThan(0);
      expect(msgs.filter((m) => m.status === 'pending')).toEqual([]);
      for (const m of msgs) {
        expect(m.recipient).toBe('[erased]');
        expect(m.body_text).toBe('[erased]');
      }
      const r = await desk.worker.runOnce();
      expect(r).toBeDefined();
      expect(
        (await outboxOfCaller(t, callerId)).filter((m) => m.status === 'sent' && m.recipient !== '[erased]'),
      ).toEqual([]);
      expectStatus(await t.http().get(`/api/v1/manage/${manageToken}`), 404, 'not_found');
    });

    it('the erased caller is found by no number, and the export holds none of it', async () => {
      for (const phone of [p.phone, p.e164]) {
        const res = await t.http().get('/api/v1/callers').query({ phone }).set(bearer(desk.intake));
        expect(res.status).toBe(200);
        expect(res.body.callers).toEqual([]);
      }
      const record = await t.http().get(`/api/v1/callers/${callerId}`).set(bearer(desk.intake));
      expect(record.status).toBe(200);
      expect(record.body).toEqual(
        expect.objectContaining({ id: callerId, name: null, phone: null, email: null, erasedAt: expect.any(String) }),
      );

      const x = await t.http().get(`/api/v1/callers/${callerId}/export`).set(bearer(desk.admin));
      expect(x.status).toBe(200);
      for (const needle of needlesOf(p, { sensitive: true })) expect(x.text).not.toContain(needle);
      expect((x.body.auditEvents as { action: string }[]).map((e) => e.action)).toContain('caller.erase');
    });

    it('calling again from the same number makes a new caller, not the erased one', async () => {
      const again = await intakeFor(t, desk.intake, p);
      expect(again.callerId).not.toBe(callerId);
      const [row] = await t.ds.query(`SELECT name, erased_at FROM callers WHERE id = $1`, [callerId]);
      expect(row).toEqual({ name: null, erased_at: expect.any(Date) });
    });
  });
});
