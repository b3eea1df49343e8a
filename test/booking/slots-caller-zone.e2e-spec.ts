import { DateTime } from 'luxon';
import { startTestApp, TestApp } from '../support/test-app';
import {
  auth,
  book,
  DAY,
  expectProblem,
  expectValidation,
  makeIntake,
  makeSupporter,
  putPolicies,
} from '../support/booking-factories';

/**
 * GET /supporters/:id/slots?callerTimeZone=: the day-by-day times the console offers. For a peer they are only
 * the times inside sociable hours (08:00–20:00) in both the peer's and the caller's zone, the rule booking applies.
 */
describe("GET /supporters/:id/slots with the caller's zone", () => {
  let t: TestApp;
  let admin: string;
  let intake: string;

  beforeAll(async () => {
    t = await startTestApp();
    admin = (await t.signIn('admin')).token;
    intake = (await t.signIn('intake')).token;
    await putPolicies(t, admin);
  });
  afterAll(async () => {
    await t.close();
  });

  const range = () => {
    const from = DateTime.utc().plus({ days: 2 }).startOf('day');
    return { from: from.toISO(), to: from.plus({ days: 7 }).toISO() };
  };
  const slots = async (supporterId: string, query: Record<string, string>) => {
    const res = await t.http().get(`/api/v1/supporters/${supporterId}/slots`).query(query).set(auth(intake));
    expect(res.status).toBe(200);
    return res.body.slots as { start: string; end: string }[];
  };
  const localHours = (s: { start: string; end: string }, zone: string) => {
    const a = DateTime.fromISO(s.start, { zone });
    const b = DateTime.fromISO(s.end, { zone });
    return { start: a.hour * 60 + a.minute, end: b.hour * 60 + b.minute, sameDay: a.hasSame(b, 'day') };
  };

  it("a London peer, a caller in Asia/Singapore: only times inside 08:00–20:00 in both zones, a subset of the peer's own", async () => {
    const peer = await makeSupporter(t, admin, { kind: 'peer' });
    const all = await slots(peer.id, range());
    const both = await slots(peer.id, { ...range(), callerTimeZone: 'Asia/Singapore' });
    expect(both.length).toBeGreaterThan(0);
    expect(both.length).toBeLessThan(all.length);
    const starts = new Set(all.map((s) => s.start));
    for (const s of both) {
      expect(starts.has(s.start)).toBe(true);
      for (const zone of ['Europe/London', 'Asia/Singapore']) {
        const h = localHours(s, zone);
        expect(h.sameDay).toBe(true);
        expect(h.start).toBeGreaterThanOrEqual(8 * 60);
        expect(h.end).toBeLessThanOrEqual(20 * 60);
      }
    }
    // the ones left out break the rule in Singapore
    const kept = new Set(both.map((s) => s.start));
    const dropped = all.filter((s) => !kept.has(s.start));
    expect(
      dropped.every((s) => {
        const h = localHours(s, 'Asia/Singapore');
        return !h.sameDay || h.start < 8 * 60 || h.end > 20 * 60;
      }),
    ).toBe(true);

    // and every one offered books
    const i = await makeIntake(t, intake, { service: 'peer_support', caller: { timeZone: 'Asia/Singapore' } });
    const b = await book(t, intake, i.id, peer.id, both[both.length - 1].start);
    expect(b.start).toBe(both[both.length - 1].start);
  });

  it("a counsellor (24/7) offers the same times whatever the caller's zone", async () => {
    const c = await makeSupporter(t, admin, { kind: 'counsellor' });
    const r = {
      from: DateTime.utc().plus({ days: 2 }).startOf('day').toISO(),
      to: DateTime.utc().plus({ days: 2 }).startOf('day').plus({ milliseconds: DAY }).toISO(),
    };
    expect(await slots(c.id, { ...r, callerTimeZone: 'Pacific/Auckland' })).toEqual(await slots(c.id, r));
  });

  it('an unknown zone is 400 naming callerTimeZone', async () => {
    const peer = await makeSupporter(t, admin, { kind: 'peer' });
    const res = await t
      .http()
      .get(`/api/v1/supporters/${peer.id}/slots`)
      .query({ ...range(), callerTimeZone: 'Mars/Olympus' })
      .set(auth(intake));
    expectProblem(res, 400, 'validation_failed');
    expectValidation(res, ['callerTimeZone']);
  });
});
