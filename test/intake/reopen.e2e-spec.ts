import { loadConfig } from '../../libs/common/src';
import { startTestApp, TestApp } from '../support/test-app';
import {
  bearer,
  bookFor,
  Desk,
  expectStatus,
  intakeFor,
  openDesk,
  person,
  requestId,
} from '../support/privacy-factories';

const DAY_MS = 86_400_000;

describe('closing and withdrawing with a reason; POST /intakes/:id/reopen within INTAKE_REOPEN_DAYS', () => {
  let t: TestApp;
  let desk: Desk;

  beforeAll(async () => {
    t = await startTestApp({ INTAKE_REOPEN_DAYS: '7' });
    desk = await openDesk(t);
  });
  afterAll(async () => {
    await t.close();
  });

  const end = (id: string, verb: 'close' | 'withdraw', body?: Record<string, unknown>, token = desk.intake) => {
    const req = t.http().post(`/api/v1/intakes/${id}/${verb}`).set(bearer(token));
    return body === undefined ? req : req.send(body);
  };
  const reopen = (id: string, token = desk.intake, headers: Record<string, string> = {}) =>
    t.http().post(`/api/v1/intakes/${id}/reopen`).set(bearer(token)).set(headers);
  /** Moves the intake's end back in time (the window is counted from ended_at). */
  const endedAgo = (id: string, ms: number) =>
    t.ds.query(`UPDATE intakes SET ended_at = now() - $2 * interval '1 millisecond' WHERE id = $1`, [id, ms]);

  it.each(['close', 'withdraw'] as const)(
    '%s keeps the reason given; reopen brings it back open, unassigned, reason cleared',
    async (verb) => {
      const intake = await intakeFor(t, desk.intake, person());
      const ended = await end(intake.id, verb, { reason: '  Caller found support through their trust  ' });
      expect(ended.status).toBe(200);
      expect(ended.body).toEqual(
        expect.objectContaining({
          status: verb === 'close' ? 'closed' : 'withdrawn',
          endReason: 'Caller found support through their trust',
        }),
      );
      expect(Date.parse(ended.body.endedAt)).toBeGreaterThan(Date.now() - 60_000);

      const res = await reopen(intake.id);
      expect(res.status).toBe(200);
      expect(res.body).toEqual(
        expect.objectContaining({ id: intake.id, status: 'open', supporterId: null, endedAt: null, endReason: null }),
      );
      const got = await t.http().get(`/api/v1/intakes/${intake.id}`).set(bearer(desk.intake));
      expect(got.body.status).toBe('open');
    },
  );

  it('a bodiless close still works (the reason is optional)', async () => {
    const intake = await intakeFor(t, desk.intake, person());
    const res = await end(intake.id, 'close');
    expect(res.status).toBe(200);
    expect(res.body.endReason).toBeNull();
  });

  it.each([
    [{ reason: '' }, 'empty'],
    [{ reason: '   ' }, 'blank'],
    [{ reason: 'x'.repeat(501) }, 'over 500 characters'],
    [{ reason: 42 }, 'not a string'],
    [{ reason: null }, 'null'],
    [{ because: 'x' }, 'an unknown field'],
  ])('a bad reason (%j, %s) → 400 and the intake stays open', async (body: Record<string, unknown>, _what: string) => {
    const intake = await intakeFor(t, desk.intake, person());
    const res = await end(intake.id, 'close', body);
    expectStatus(res, 400, 'validation_failed');
    const [row] = await t.ds.query(`SELECT status, ended_at, end_reason FROM intakes WHERE id = $1`, [intake.id]);
    expect(row).toEqual({ status: 'open', ended_at: null, end_reason: null });
  });

  it('reopening after a booked intake was closed: its sessions stay cancelled, it is bookable again', async () => {
    const intake = await intakeFor(t, desk.intake, person());
    const b = await bookFor(t, desk.intake, intake.id, desk.supporterId);
    expect((await end(intake.id, 'close', { reason: 'Ended by mistake' })).status).toBe(200);
    expect((await reopen(intake.id)).status).toBe(200);
    const booking = await t.http().get(`/api/v1/bookings/${b.id}`).set(bearer(desk.intake));
    expect(booking.body.status).toBe('cancelled');
    const again = await bookFor(t, desk.intake, intake.id, desk.supporterId);
    expect(again.status).toBe('confirmed');
  });

  it('at the end of the window (7 days less 2 s) → 200; just after it (7 days and 2 s) → 409 invalid_transition, unchanged', async () => {
    const inside = await intakeFor(t, desk.intake, person());
    expect((await end(inside.id, 'withdraw', { reason: 'Withdrew' })).status).toBe(200);
    await endedAgo(inside.id, 7 * DAY_MS - 2_000);
    expect((await reopen(inside.id)).status).toBe(200);

    const outside = await intakeFor(t, desk.intake, person());
    expect((await end(outside.id, 'close', { reason: 'Done' })).status).toBe(200);
    await endedAgo(outside.id, 7 * DAY_MS + 2_000);
    const res = await reopen(outside.id);
    expectStatus(res, 409, 'invalid_transition');
    expect(res.body.detail).toMatch(/within 7 days/);
    expect(res.body.currentStatus).toBe('closed');
    expect(Date.parse(res.body.reopenableUntil)).toBeLessThan(Date.now());
    const [row] = await t.ds.query(`SELECT status, end_reason FROM intakes WHERE id = $1`, [outside.id]);
    expect(row).toEqual({ status: 'closed', end_reason: 'Done' });
  });

  it('an intake that is not closed or withdrawn → 409 (open, booked, signposted); unknown → 404; bad id → 400', async () => {
    const open = await intakeFor(t, desk.intake, person());
    expectStatus(await reopen(open.id), 409, 'invalid_transition');
    const booked = await intakeFor(t, desk.intake, person());
    await bookFor(t, desk.intake, booked.id, desk.supporterId);
    expectStatus(await reopen(booked.id), 409, 'invalid_transition');
    const p = person();
    const danger = await t
      .http()
      .post('/api/v1/intakes')
      .set(bearer(desk.intake))
      .send({
        service: 'counselling',
        caller: { name: p.name, phone: p.phone, role: 'doctor' },
        risk: { immediateDanger: true },
        consent: { privacyNotice: true },
      });
    expect(danger.body.status).toBe('signposted');
    expectStatus(await reopen(danger.body.id), 409, 'invalid_transition');
    expectStatus(await reopen('8d3f7c2e-0000-4000-8000-000000000000'), 404, 'not_found');
    expectStatus(await reopen('not-a-uuid'), 400, 'validation_failed');
  });

  it('intake and admin may reopen; a supporter → 403; nobody → 401', async () => {
    const intake = await intakeFor(t, desk.intake, person());
    expect((await end(intake.id, 'close', {})).status).toBe(200);
    expectStatus(await reopen(intake.id, desk.supporter), 403, 'forbidden');
    expectStatus(await t.http().post(`/api/v1/intakes/${intake.id}/reopen`), 401, 'unauthorized');
    expect((await reopen(intake.id, desk.admin)).status).toBe(200);
  });

  it('reopening is audited (intake.update, reopenedFrom) without the reason', async () => {
    const intake = await intakeFor(t, desk.intake, person());
    expect((await end(intake.id, 'withdraw', { reason: 'Sensitive words here' })).status).toBe(200);
    const rid = requestId('reopen');
    expect((await reopen(intake.id, desk.intake, { 'X-Request-Id': rid })).status).toBe(200);
    const rows: { action: string; caller_id: string; details: Record<string, unknown> }[] = await t.ds.query(
      `SELECT action, caller_id, details FROM audit_events WHERE request_id = $1`,
      [rid],
    );
    expect(rows).toEqual([
      {
        action: 'intake.update',
        caller_id: intake.callerId,
        details: { intakeId: intake.id, status: 'open', reopenedFrom: 'withdrawn' },
      },
    ]);
    const all = await t.ds.query(`SELECT details::text AS d FROM audit_events WHERE caller_id = $1`, [intake.callerId]);
    expect(JSON.stringify(all)).not.toContain('Sensitive words');
  });
});

describe('INTAKE_REOPEN_DAYS', () => {
  const base = { JWT_SECRET: 'x'.repeat(40), DATA_DIR: '/tmp' };
  it('defaults to 14 and takes 0 … 365', () => {
    expect(loadConfig(base).intakeReopenDays).toBe(14);
    expect(loadConfig({ ...base, INTAKE_REOPEN_DAYS: '0' }).intakeReopenDays).toBe(0);
    expect(loadConfig({ ...base, INTAKE_REOPEN_DAYS: '365' }).intakeReopenDays).toBe(365);
  });
  it.each(['-1', '366', '2.5', 'abc', '7d'])('%s stops start-up naming the variable', (v) => {
    expect(() => loadConfig({ ...base, INTAKE_REOPEN_DAYS: v })).toThrow(/INTAKE_REOPEN_DAYS/);
  });
});

describe('INTAKE_REOPEN_DAYS=0: reopening is off', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ INTAKE_REOPEN_DAYS: '0' });
  });
  afterAll(async () => {
    await t.close();
  });
  it('even a moment after closing → 409', async () => {
    const desk = await openDesk(t);
    const intake = await intakeFor(t, desk.intake, person());
    expect(
      (await t.http().post(`/api/v1/intakes/${intake.id}/close`).set(bearer(desk.intake)).send({ reason: 'x' })).status,
    ).toBe(200);
    await new Promise((r) => setTimeout(r, 5));
    const res = await t.http().post(`/api/v1/intakes/${intake.id}/reopen`).set(bearer(desk.intake));
    expectStatus(res, 409, 'invalid_transition');
    expect(res.body.detail).toMatch(/turned off/);
  });
});
