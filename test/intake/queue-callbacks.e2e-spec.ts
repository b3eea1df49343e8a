import { callbackDueAt, callbackOverdueCutoff } from '../../libs/rules/src';
import { startTestApp, TestApp } from '../support/test-app';
import { bearer, Desk, expectStatus, intakeFor, openDesk, person, webRequestFor } from '../support/privacy-factories';

const MINUTE = 60_000;

describe('the queue: web requests carry their call-back due time; ?callbackOverdue=true lists the overdue ones', () => {
  let t: TestApp;
  let desk: Desk;
  const ids: Record<string, string> = {};

  /** A web request received at `at` (created_at moved there by SQL). */
  async function webAt(name: string, at: Date): Promise<void> {
    const p = person();
    await webRequestFor(t, p);
    const [rows]: [{ id: string }[], number] = await t.ds.query(
      `UPDATE intakes i SET created_at = $2 FROM callers c WHERE c.id = i.caller_id AND c.phone = $1 RETURNING i.id`,
      [p.e164, at],
    );
    ids[name] = rows[0].id;
  }

  beforeAll(async () => {
    t = await startTestApp();
    desk = await openDesk(t);
    const now = new Date();
    const cutoff = callbackOverdueCutoff(now, 24).getTime();
    await webAt('longAgo', new Date(now.getTime() - 30 * 24 * 60 * MINUTE));
    await webAt('justOverdue', new Date(cutoff - 2 * MINUTE));
    await webAt('justInTime', new Date(cutoff + 2 * MINUTE));
    await webAt('fresh', now);
    await webAt('takenLongAgo', new Date(now.getTime() - 30 * 24 * 60 * MINUTE));
    await t.ds.query(`UPDATE intakes SET status = 'assigned', supporter_id = $2 WHERE id = $1`, [
      ids.takenLongAgo,
      desk.supporterId,
    ]);
    ids.phone = (await intakeFor(t, desk.intake, person())).id;
  });
  afterAll(async () => {
    await t.close();
  });

  const list = (query: Record<string, string>) =>
    t
      .http()
      .get('/api/v1/intakes')
      .set(bearer(desk.intake))
      .query({ limit: '200', ...query });

  it('each web request in the queue says when its call-back is due and whether it is overdue; a phone intake says nothing', async () => {
    const res = await list({});
    expect(res.status).toBe(200);
    const byId = new Map(
      (res.body.intakes as { id: string; callbackDueAt?: string; callbackOverdue?: boolean; createdAt: string }[]).map(
        (i) => [i.id, i],
      ),
    );
    for (const [name, overdue] of [
      ['longAgo', true],
      ['justOverdue', true],
      ['justInTime', false],
      ['fresh', false],
      ['takenLongAgo', false],
    ] as const) {
      const i = byId.get(ids[name])!;
      expect({ name, overdue: i.callbackOverdue }).toEqual({ name, overdue });
      expect(i.callbackDueAt).toBe(callbackDueAt(new Date(i.createdAt), 24).toISOString());
    }
    expect(byId.get(ids.phone)).not.toHaveProperty('callbackDueAt');
    expect(byId.get(ids.phone)).not.toHaveProperty('callbackOverdue');
    const one = await t.http().get(`/api/v1/intakes/${ids.longAgo}`).set(bearer(desk.intake));
    expect(one.body.callbackOverdue).toBe(true);
  });

  it('?callbackOverdue=true: exactly the open web requests past their due time (either side of the edge), newest first', async () => {
    const res = await list({ callbackOverdue: 'true' });
    expect(res.status).toBe(200);
    expect(res.body.intakes.map((i: { id: string }) => i.id)).toEqual([ids.justOverdue, ids.longAgo]);
    expect(res.body.intakes.every((i: { callbackOverdue: boolean }) => i.callbackOverdue)).toBe(true);
  });

  it('combined with other filters: a date range narrows it; another channel or status finds none', async () => {
    const narrowed = await list({
      callbackOverdue: 'true',
      from: new Date(Date.now() - 7 * 24 * 60 * MINUTE).toISOString(),
    });
    expect(narrowed.body.intakes.map((i: { id: string }) => i.id)).toEqual([ids.justOverdue]);
    expect((await list({ callbackOverdue: 'true', channel: 'web', status: 'open' })).body.intakes).toHaveLength(2);
    expect((await list({ callbackOverdue: 'true', channel: 'phone' })).body).toEqual({ intakes: [], nextCursor: null });
    expect((await list({ callbackOverdue: 'true', status: 'assigned' })).body).toEqual({
      intakes: [],
      nextCursor: null,
    });
  });

  it.each(['yes', 'false', '1', ''])('?callbackOverdue=%j → 400 naming it', async (v) => {
    const res = await list({ callbackOverdue: v });
    expectStatus(res, 400, 'validation_failed');
    expect((res.body.errors as { field: string }[]).map((e) => e.field)).toEqual(['callbackOverdue']);
  });

  it("the line's working hours (policy) decide when a call-back is due and which are overdue", async () => {
    const admin = await t.signIn('admin');
    const policies = (await t.http().get('/api/v1/policies').set(bearer(admin.token))).body as Record<string, unknown>;
    // a line answering every day, 07:00–23:00 in New York
    const week = { timeZone: 'America/New_York', weekdays: [1, 2, 3, 4, 5, 6, 7], start: '07:00', end: '23:00' };
    const rule = { zone: week.timeZone, weekdays: week.weekdays, start: week.start, end: week.end };
    const put = await t
      .http()
      .put('/api/v1/policies')
      .set(bearer(admin.token))
      .send({ ...policies, workingHours: week });
    expect(put.status).toBe(200);
    try {
      const res = await list({});
      const web = (res.body.intakes as { id: string; createdAt: string; callbackDueAt?: string }[]).filter(
        (i) => i.callbackDueAt !== undefined,
      );
      expect(web.length).toBeGreaterThanOrEqual(5);
      for (const i of web) {
        const created = new Date(i.createdAt);
        expect(i.callbackDueAt).toBe(callbackDueAt(created, 24, rule).toISOString());
        expect(i.callbackDueAt).not.toBe(callbackDueAt(created, 24).toISOString());
      }
      const cutoff = callbackOverdueCutoff(new Date(), 24, rule).getTime();
      const expected = web
        .filter((i) => [ids.longAgo, ids.justOverdue, ids.justInTime, ids.fresh].includes(i.id))
        .filter((i) => Date.parse(i.createdAt) < cutoff)
        .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt))
        .map((i) => i.id);
      const overdue = await list({ callbackOverdue: 'true' });
      expect(overdue.body.intakes.map((i: { id: string }) => i.id)).toEqual(expected);
    } finally {
      const back = await t.http().put('/api/v1/policies').set(bearer(admin.token)).send(policies);
      expect(back.body.workingHours).toEqual(policies.workingHours);
    }
  });

  it('the other filters (channel, status, date) still work as before', async () => {
    const web = await list({ channel: 'web' });
    expect(web.body.intakes.every((i: { channel: string }) => i.channel === 'web')).toBe(true);
    const assigned = await list({ status: 'assigned' });
    expect(assigned.body.intakes.map((i: { id: string }) => i.id)).toContain(ids.takenLongAgo);
    const lastHour = await list({ from: new Date(Date.now() - 60 * MINUTE).toISOString() });
    const got = lastHour.body.intakes.map((i: { id: string }) => i.id);
    expect(got).toEqual(expect.arrayContaining([ids.fresh, ids.phone]));
    expect(got).not.toContain(ids.longAgo);
  });
});
