import { randomUUID } from 'node:crypto';
import { startTestApp, TestApp } from '../support/test-app';
import {
  auditOfCaller,
  bearer,
  bookFor,
  Desk,
  expectStatus,
  intakeFor,
  makeCounsellor,
  openDesk,
  outboxCount,
  person,
} from '../support/privacy-factories';

describe('escalations: the recorded break of confidentiality', () => {
  let t: TestApp;
  let desk: Desk;
  let intakeId: string;
  let callerId: string;
  let other: { id: string; token: string };

  beforeAll(async () => {
    t = await startTestApp();
    desk = await openDesk(t);
    const intake = await intakeFor(t, desk.intake, person());
    intakeId = intake.id;
    callerId = intake.callerId;
    await bookFor(t, desk.intake, intakeId, desk.supporterId);
    other = await makeCounsellor(t, desk.admin);
  });
  afterAll(async () => {
    await t.close();
  });

  const body = (summary: string) => ({
    kind: 'risk_to_patients',
    summary,
    actionTaken: 'Informed the medical director with consent withheld',
  });
  const escalate = (token: string | null, b: Record<string, unknown>, id = intakeId) => {
    const req = t.http().post(`/api/v1/intakes/${id}/escalations`);
    if (token) req.set(bearer(token));
    return req.send(b);
  };

  it('intake, admin and the supporter of one of the intake’s bookings may record one (201), and nothing is sent to the caller', async () => {
    const outboxBefore = await outboxCount(t);
    const made: { id: string; createdByRole: string }[] = [];
    for (const [who, token, userId] of [
      ['intake', desk.intake, desk.intakeId],
      ['admin', desk.admin, desk.adminId],
      ['supporter', desk.supporter, desk.supporterUserId],
    ] as const) {
      const res = await escalate(token, body(`Escalated by ${who}`));
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: expect.any(String),
        intakeId,
        callerId,
        kind: 'risk_to_patients',
        summary: `Escalated by ${who}`,
        actionTaken: 'Informed the medical director with consent withheld',
        createdBy: userId,
        createdByRole: who,
        createdAt: expect.any(String),
      });
      made.push(res.body);
    }
    expect(await outboxCount(t)).toBe(outboxBefore);
    const audit = (await auditOfCaller(t, callerId)).filter((r) => r.action === 'escalation.create');
    expect(audit.map((r) => r.role)).toEqual(['intake', 'admin', 'supporter']);
    expect(audit.map((r) => r.details.escalationId)).toEqual(made.map((m) => m.id));
  });

  it('another supporter → 403; nobody signed in → 401; nothing recorded', async () => {
    const [{ n: before }] = await t.ds.query(`SELECT count(*)::int AS n FROM escalations`);
    expectStatus(await escalate(other.token, body('not theirs')), 403, 'forbidden');
    expectStatus(await escalate(null, body('anonymous')), 401, 'unauthorized');
    const [{ n: after }] = await t.ds.query(`SELECT count(*)::int AS n FROM escalations`);
    expect(after).toBe(before);
  });

  it('validation: unknown kind, empty summary, missing actionTaken, unknown field → 400; unknown intake → 404', async () => {
    expectStatus(await escalate(desk.intake, { ...body('x'), kind: 'gossip' }), 400, 'validation_failed');
    expectStatus(await escalate(desk.intake, { ...body('   ') }), 400, 'validation_failed');
    expectStatus(await escalate(desk.intake, { kind: 'risk_to_self', summary: 'x' }), 400, 'validation_failed');
    expectStatus(await escalate(desk.intake, { ...body('x'), callerName: 'x' }), 400, 'validation_failed');
    expectStatus(await escalate(desk.intake, body('x'), randomUUID()), 404, 'not_found');
  });

  it('GET /escalations: admin only (intake 403, supporter 403, nobody 401)', async () => {
    const res = await t.http().get('/api/v1/escalations').set(bearer(desk.admin));
    expect(res.status).toBe(200);
    const list = res.body.escalations as { summary: string; intakeId: string }[];
    expect(list.map((e) => e.summary).sort()).toEqual([
      'Escalated by admin',
      'Escalated by intake',
      'Escalated by supporter',
    ]);
    expect(list.every((e) => e.intakeId === intakeId)).toBe(true);
    expectStatus(await t.http().get('/api/v1/escalations').set(bearer(desk.intake)), 403, 'forbidden');
    expectStatus(await t.http().get('/api/v1/escalations').set(bearer(desk.supporter)), 403, 'forbidden');
    expectStatus(await t.http().get('/api/v1/escalations'), 401, 'unauthorized');
  });

  it('the caller sees no trace of it in the messages: the outbox has only booking messages', async () => {
    const kinds: { kind: string }[] = await t.ds.query(
      `SELECT DISTINCT kind FROM outbox_messages WHERE caller_id = $1`,
      [callerId],
    );
    expect(kinds.map((k) => k.kind)).toContain('confirmation');
    // (the supporter's notice of the booking is about the caller's booking too, and says no more)
    for (const k of kinds) expect(['confirmation', 'reminder', 'supporter_confirmation']).toContain(k.kind);
    const bodies: { body_text: string }[] = await t.ds.query(
      `SELECT body_text FROM outbox_messages WHERE caller_id = $1`,
      [callerId],
    );
    for (const b of bodies) expect(b.body_text).not.toMatch(/Escalated by|medical director/);
  });
});
