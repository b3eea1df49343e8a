import { randomBytes } from 'node:crypto';
import { PASSWORD, startTestApp, TestApp } from '../support/test-app';
import {
  bearer,
  bookFor,
  captureLogs,
  completedSession,
  Desk,
  feedbackTokenOf,
  intakeBodyFor,
  intakeFor,
  manageTokenOf,
  needlesOf,
  openDesk,
  person,
  Person,
  requestId,
  webRequestFor,
} from '../support/privacy-factories';

const PUBLIC_URL = 'https://support.example';
const WRONG_PASSWORD = 'Wrong-Password-Zebra-4471!';

/** Every way a value could be written into a log line: as is, URL-encoded, form-encoded. */
function spellings(values: string[]): string[] {
  const out = new Set<string>();
  for (const v of values) {
    out.add(v);
    out.add(encodeURIComponent(v));
    out.add(v.replace(/ /g, '+'));
    out.add(JSON.stringify(v).slice(1, -1));
  }
  return [...out].filter((v) => v.length >= 6);
}

describe('LOG SCAN: a whole flow at LOG_LEVEL=debug leaves no personal data, password, token or Authorization header in the logs', () => {
  let t: TestApp;
  let desk: Desk;
  const logs = captureLogs();
  const secrets: string[] = [];
  const people: Person[] = [];

  beforeAll(async () => {
    t = await startTestApp({ LOG_LEVEL: 'debug', PUBLIC_URL }, { logStream: logs.stream });
    desk = await openDesk(t);
    secrets.push(desk.admin, desk.intake, desk.supporter, PASSWORD, WRONG_PASSWORD);
  });
  afterAll(async () => {
    await t.close();
  });

  it('runs the flow', async () => {
    const web = person();
    const caller = person();
    const invalid = person();
    people.push(web, caller, invalid);

    // failed logins: a staff user with the wrong password, and someone typing a caller's e-mail
    const staff = await t.signIn('intake');
    secrets.push(staff.token, staff.email);
    expect(
      (await t.http().post('/api/v1/auth/login').send({ email: staff.email, password: WRONG_PASSWORD })).status,
    ).toBe(401);
    expect(
      (await t.http().post('/api/v1/auth/login').send({ email: caller.email, password: WRONG_PASSWORD })).status,
    ).toBe(401);

    // the web form (free text), a phone intake, and an intake refused for a bad number (the body still names the caller)
    await webRequestFor(t, web);
    const intake = await intakeFor(t, desk.intake, caller, { 'X-Request-Id': requestId('logscan') });
    const bad = await t
      .http()
      .post('/api/v1/intakes')
      .set(bearer(desk.intake))
      .send(intakeBodyFor({ ...invalid, phone: '12345' }));
    expect(bad.status).toBe(400);
    const malformed = await t
      .http()
      .post('/api/v1/intakes')
      .set(bearer(desk.intake))
      .set('Content-Type', 'application/json')
      .send(`{"caller":{"name":"${invalid.name}","email":"${invalid.email}"`);
    expect(malformed.status).toBe(400);

    // look-ups with the number in the query string, every spelling
    for (const phone of [caller.phone, caller.e164, caller.digits]) {
      const res = await t
        .http()
        .get(`/api/v1/callers?phone=${encodeURIComponent(phone)}`)
        .set(bearer(desk.intake));
      expect(res.status).toBe(200);
      expect(res.body.callers).toHaveLength(1);
    }
    expect(
      (
        await t
          .http()
          .get(`/api/v1/callers?phone=${encodeURIComponent(invalid.phone.replace(/\d{3}$/, ''))}x`)
          .set(bearer(desk.intake))
      ).status,
    ).toBe(400);
    expect((await t.http().get(`/api/v1/callers/${intake.callerId}`).set(bearer(desk.intake))).status).toBe(200);
    expect((await t.http().get(`/api/v1/intakes/${intake.id}`).set(bearer(desk.intake))).status).toBe(200);
    expect((await t.http().get('/api/v1/intakes').set(bearer(desk.intake))).status).toBe(200);
    expect((await t.http().get(`/api/v1/intakes/${intake.id}/matches`).set(bearer(desk.intake))).status).toBe(200);

    // a booking, delivered; the manage link read and used to cancel
    const b = await bookFor(t, desk.intake, intake.id, desk.supporterId);
    const manage = await manageTokenOf(t, b.id);
    await desk.worker.runOnce();
    secrets.push(manage);
    expect((await t.http().get(`/api/v1/manage/${manage}`)).status).toBe(200);
    expect((await t.http().post(`/api/v1/manage/${manage}/cancel`)).status).toBe(200);
    expect((await t.http().get(`/api/v1/manage/${randomBytes(32).toString('base64url')}`)).status).toBe(404);
    await desk.worker.runOnce();

    // the supporter's view of its bookings (names, numbers, e-mails in the body)
    expect((await t.http().get('/api/v1/bookings').set(bearer(desk.supporter))).status).toBe(200);

    // a completed session and its feedback link
    const done = await completedSession(t, desk.intake, {
      intakeId: intake.id,
      supporterId: desk.supporterId,
      callerId: intake.callerId,
    });
    const feedback = await feedbackTokenOf(t, done, PUBLIC_URL);
    secrets.push(feedback);
    expect((await t.http().get(`/api/v1/feedback/${feedback}`)).status).toBe(200);
    // its status is checked in feedback.e2e-spec.ts; here only what it logs matters
    await t
      .http()
      .post(`/api/v1/feedback/${feedback}`)
      .send({ helpful: 5, wouldRecommend: true, comment: 'Helpful, thank you.' });
    await desk.worker.runOnce();

    // an escalation, the export and an erasure
    expect(
      (
        await t
          .http()
          .post(`/api/v1/intakes/${intake.id}/escalations`)
          .set(bearer(desk.intake))
          .send({
            kind: 'risk_to_self',
            summary: `${caller.name} on ${caller.phone}`,
            actionTaken: `Rang ${caller.email}`,
          })
      ).status,
    ).toBe(201);
    expect((await t.http().get(`/api/v1/callers/${intake.callerId}/export`).set(bearer(desk.admin))).status).toBe(200);
    expect((await t.http().post(`/api/v1/callers/${intake.callerId}/erase`).set(bearer(desk.admin))).status).toBe(200);
  });

  it('the captured log holds none of it', async () => {
    const text = logs.text();
    const lines = logs.lines();
    const needles = [...spellings(people.flatMap((p) => needlesOf(p, { sensitive: true }))), ...secrets];
    const hits = needles.filter((n) => text.includes(n));
    const lineHits = lines.filter((l) => hits.some((h) => l.includes(h)));
    const authHeader = lines.filter(
      (l) => /bearer\s+[A-Za-z0-9._-]{8,}/i.test(l) || /"authorization"\s*:\s*"(?!\[redacted\])/i.test(l),
    );
    console.log(
      `log scan: log lines scanned: ${lines.length}, needles: ${needles.length}, hits: ${hits.length + authHeader.length}${hits.length ? `\n  found: ${JSON.stringify(hits)}\n  first line: ${lineHits[0]?.slice(0, 600)}` : ''}`,
    );

    // the capture works: request lines were logged, tokens masked and query strings dropped
    expect(lines.length).toBeGreaterThan(30);
    expect(text).toContain('POST /api/v1/intakes 201');
    expect(text).toMatch(/GET \/api\/v1\/manage\/:token 200/);
    expect(text).toMatch(/GET \/api\/v1\/callers 200/);

    expect(hits).toEqual([]);
    expect(authHeader).toEqual([]);
    expect(text).not.toMatch(/\?phone=/);
  });
});
