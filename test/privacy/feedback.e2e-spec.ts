import { DateTime } from 'luxon';
import { startTestApp, TestApp } from '../support/test-app';
import {
  bearer,
  completedSession,
  Desk,
  expectStatus,
  feedbackTokenOf,
  intakeFor,
  openDesk,
  outboxOfCaller,
  person,
  Person,
} from '../support/privacy-factories';

const PUBLIC_URL = 'https://support.example';

describe('anonymous feedback after a completed session', () => {
  let t: TestApp;
  let desk: Desk;
  let p: Person;
  let callerId: string;
  let bookingId: string;
  let token: string;

  beforeAll(async () => {
    t = await startTestApp({ PUBLIC_URL });
    desk = await openDesk(t);
    p = person();
    const intake = await intakeFor(t, desk.intake, p);
    callerId = intake.callerId;
    bookingId = await completedSession(t, desk.intake, {
      intakeId: intake.id,
      supporterId: desk.supporterId,
      callerId,
    });
  });
  afterAll(async () => {
    await t.close();
  });

  it('completing a session puts a feedback message (e-mail and SMS) for the caller in the outbox', async () => {
    const feedback = (await outboxOfCaller(t, callerId)).filter((m) => m.kind === 'feedback');
    expect(feedback.map((m) => [m.channel, m.recipient, m.booking_id, m.status])).toEqual([
      ['email', p.email, bookingId, 'pending'],
      ['sms', p.e164, bookingId, 'pending'],
    ]);
    token = await feedbackTokenOf(t, bookingId, PUBLIC_URL, 'sms');
    expect(await feedbackTokenOf(t, bookingId, PUBLIC_URL, 'email')).toBe(token);
    for (const m of feedback) expect(m.body_text).not.toContain(p.name);
    const notes = await t.http().get(`/api/v1/bookings/${bookingId}/notifications`).set(bearer(desk.intake));
    expect(notes.status).toBe(200);
    expect((notes.body.notifications as { kind: string }[]).filter((n) => n.kind === 'feedback')).toHaveLength(2);
  });

  it('GET /feedback/:token (no login) → the form; unknown token → 404', async () => {
    const res = await t.http().get(`/api/v1/feedback/${token}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ service: 'counselling', answered: false });
    expectStatus(await t.http().get('/api/v1/feedback/not-a-real-token-at-all'), 404, 'not_found');
  });

  it('validation: helpful outside 1..5 or not a boolean → 400, and the token stays unused', async () => {
    expectStatus(
      await t.http().post(`/api/v1/feedback/${token}`).send({ helpful: 6, wouldRecommend: true }),
      400,
      'validation_failed',
    );
    expectStatus(
      await t.http().post(`/api/v1/feedback/${token}`).send({ helpful: 4, wouldRecommend: 'yes' }),
      400,
      'validation_failed',
    );
    expectStatus(
      await t.http().post(`/api/v1/feedback/${token}`).send({ helpful: 4, wouldRecommend: true, callerId }),
      400,
      'validation_failed',
    );
    expect((await t.http().get(`/api/v1/feedback/${token}`)).body.answered).toBe(false);
  });

  it('POST once → 201; again → 409; unknown token → 404', async () => {
    const first = await t
      .http()
      .post(`/api/v1/feedback/${token}`)
      .send({ helpful: 4, wouldRecommend: true, comment: 'Kind and unhurried.' });
    expect(first.status).toBe(201);
    const second = await t.http().post(`/api/v1/feedback/${token}`).send({ helpful: 1, wouldRecommend: false });
    expectStatus(second, 409);
    expect((await t.http().get(`/api/v1/feedback/${token}`)).body).toEqual({ service: 'counselling', answered: true });
    expectStatus(
      await t.http().post('/api/v1/feedback/not-a-real-token-at-all').send({ helpful: 3, wouldRecommend: true }),
      404,
      'not_found',
    );
    const [{ n }] = await t.ds.query(`SELECT count(*)::int AS n FROM feedback_responses`);
    expect(n).toBe(1);
  });

  it('the stored answer has no caller id, booking id or token (nor any column that could hold one)', async () => {
    for (const table of ['feedback_responses', 'feedback_invitations']) {
      const cols: { column_name: string }[] = await t.ds.query(
        `SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1`,
        [table],
      );
      expect(cols.length).toBeGreaterThan(0);
      for (const c of cols) expect(c.column_name).not.toMatch(/caller|booking|intake|supporter|user|email|phone|name/);
      if (table === 'feedback_responses') {
        expect(cols.map((c) => c.column_name).sort()).toEqual([
          'comment',
          'helpful',
          'id',
          'month',
          'service',
          'would_recommend',
        ]);
      }
    }
    const rows = await t.ds.query(`SELECT * FROM feedback_responses`);
    expect(rows).toHaveLength(1);
    const text = JSON.stringify(rows);
    for (const id of [callerId, bookingId, token, p.name, p.email, p.e164]) expect(text).not.toContain(id);
    // the invitation keeps only a hash of the token
    const [{ n }] = await t.ds.query(`SELECT count(*)::int AS n FROM feedback_invitations WHERE token_hash = $1`, [
      token,
    ]);
    expect(n).toBe(0);
  });

  it('GET /feedback/summary (admin) counts it by service and month; others 403/401', async () => {
    const res = await t.http().get('/api/v1/feedback/summary').set(bearer(desk.admin));
    expect(res.status).toBe(200);
    const month = DateTime.now().setZone('Europe/London').toFormat('yyyy-LL');
    expect(res.body.summary).toEqual([
      { service: 'counselling', month, responses: 1, averageHelpful: 4, wouldRecommendRate: 1 },
    ]);
    expectStatus(await t.http().get('/api/v1/feedback/summary').set(bearer(desk.intake)), 403, 'forbidden');
    expectStatus(await t.http().get('/api/v1/feedback/summary').set(bearer(desk.supporter)), 403, 'forbidden');
    expectStatus(await t.http().get('/api/v1/feedback/summary'), 401, 'unauthorized');
  });

  it('a second completed session gets its own link; the summary averages both', async () => {
    const intake = await intakeFor(t, desk.intake, person());
    const b2 = await completedSession(t, desk.intake, {
      intakeId: intake.id,
      supporterId: desk.supporterId,
      callerId: intake.callerId,
    });
    const token2 = await feedbackTokenOf(t, b2, PUBLIC_URL);
    expect(token2).not.toBe(token);
    expect((await t.http().post(`/api/v1/feedback/${token2}`).send({ helpful: 2, wouldRecommend: false })).status).toBe(
      201,
    );
    const res = await t.http().get('/api/v1/feedback/summary').set(bearer(desk.admin));
    expect(res.body.summary).toEqual([
      expect.objectContaining({ service: 'counselling', responses: 2, averageHelpful: 3, wouldRecommendRate: 0.5 }),
    ]);
  });
});
