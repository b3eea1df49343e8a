import { startTestApp, TestApp } from '../support/test-app';
import {
  auth,
  codesOf,
  DAY,
  dramaPhone,
  expectReasonsNeverEmpty,
  firstSlot,
  insertBooking,
  makeIntake,
  makeSupporter,
  matches,
  MatchesBody,
  patchSupporter,
  postBooking,
} from '../support/intake-factories';

describe('Matching: continuity for a returning caller', () => {
  let t: TestApp;
  let intakeToken: string;
  let adminToken: string;

  beforeAll(async () => {
    t = await startTestApp();
    ({ token: intakeToken } = await t.signIn('intake'));
    ({ token: adminToken } = await t.signIn('admin'));
  });
  afterAll(async () => {
    await t.close();
  });

  const find = (body: MatchesBody, id: string) => ({
    candidate: body.candidates.find((c) => c.supporterId === id),
    excluded: body.excluded.find((e) => e.supporterId === id),
  });

  /** A caller who books a session with `supporterId` on a first intake, then calls again (number spelt otherwise). */
  async function returningCaller(supporterId: string, secondIntake: Parameters<typeof makeIntake>[2] = {}) {
    const phone = dramaPhone();
    const first = await makeIntake(t, intakeToken, { caller: { phone: phone.national } });
    const slot = await firstSlot(t, intakeToken, supporterId);
    const booking = await postBooking(t, intakeToken, { intakeId: first.id, supporterId, start: slot.start });
    expect(booking.status).toBe(201);
    expect(booking.body.status).toBe('confirmed');
    const second = await makeIntake(t, intakeToken, {
      ...secondIntake,
      caller: { phone: phone.e164, ...(secondIntake.caller ?? {}) },
    });
    expect(second.callerId).toBe(first.callerId);
    return { first, second, bookingId: booking.body.id as string };
  }

  it('puts the supporter of a confirmed booking first, with continuity and its reason, above a higher score', async () => {
    const seen = await makeSupporter(t, adminToken, {
      displayName: 'Dr Seen Before',
      modalities: ['phone'],
      maxActiveCases: 3,
    });
    const better = await makeSupporter(t, adminToken, {
      displayName: 'Dr Better Score',
      modalities: ['phone', 'video'],
      maxActiveCases: 10,
    });
    const { second } = await returningCaller(seen.id, { preferences: { modality: 'video' } });

    const body = await matches(t, intakeToken, second.id);
    expectReasonsNeverEmpty(body);
    const first = body.candidates[0];
    expect(first.supporterId).toBe(seen.id);
    expect(first.continuity).toBe(true);
    expect(codesOf(first)).toContain('continuity');
    expect(first.reasons[0].code).toBe('continuity');

    const other = find(body, better.id).candidate;
    expect(other).toBeDefined();
    expect(other!.continuity).toBe(false);
    expect(codesOf(other)).not.toContain('continuity');
    expect(other!.score).toBeGreaterThan(first.score);
    for (const c of body.candidates.slice(1)) expect(c.continuity).toBe(false);
  });

  it('marks a continuity supporter who is now inactive as excluded with continuity: true', async () => {
    const seen = await makeSupporter(t, adminToken);
    const { second } = await returningCaller(seen.id);
    await patchSupporter(t, adminToken, seen.id, { active: false });
    const body = await matches(t, intakeToken, second.id);
    const { candidate, excluded } = find(body, seen.id);
    expect(candidate).toBeUndefined();
    expect(excluded).toBeDefined();
    expect(excluded!.continuity).toBe(true);
    expect(codesOf(excluded)).toContain('inactive');
    expect(body.candidates.every((c) => c.continuity === false)).toBe(true);
    // Excluded supporters who never saw this caller carry no continuity flag.
    for (const e of body.excluded.filter((x) => x.supporterId !== seen.id)) expect(e.continuity).not.toBe(true);
  });

  it('marks a continuity supporter now at capacity as excluded with continuity: true', async () => {
    // One place: the first intake (now booked) fills it.
    const seen = await makeSupporter(t, adminToken, { maxActiveCases: 1 });
    const { first, second } = await returningCaller(seen.id);
    const get = await t.http().get(`/api/v1/intakes/${first.id}`).set(auth(intakeToken));
    expect(get.body).toEqual(expect.objectContaining({ status: 'booked', supporterId: seen.id }));
    const body = await matches(t, intakeToken, second.id);
    const { candidate, excluded } = find(body, seen.id);
    expect(candidate).toBeUndefined();
    expect(excluded!.continuity).toBe(true);
    expect(codesOf(excluded)).toContain('at_capacity');
  });

  it('counts a completed session (in the past) for continuity', async () => {
    const seen = await makeSupporter(t, adminToken);
    const first = await makeIntake(t, intakeToken);
    await insertBooking(t, {
      intakeId: first.id,
      supporterId: seen.id,
      callerId: first.callerId,
      start: new Date(Date.now() - 10 * DAY),
      status: 'completed',
    });
    const rows = await t.ds.query('SELECT phone FROM callers WHERE id = $1', [first.callerId]);
    const second = await makeIntake(t, intakeToken, { caller: { phone: rows[0].phone } });
    expect(second.callerId).toBe(first.callerId);
    const body = await matches(t, intakeToken, second.id);
    expect(body.candidates[0].supporterId).toBe(seen.id);
    expect(body.candidates[0].continuity).toBe(true);
    expect(codesOf(body.candidates[0])).toContain('continuity');
  });

  it('does not count cancelled sessions or no-shows', async () => {
    const cancelled = await makeSupporter(t, adminToken, { displayName: 'Dr Cancelled' });
    const noShow = await makeSupporter(t, adminToken, { displayName: 'Dr No Show' });
    const first = await makeIntake(t, intakeToken);
    await insertBooking(t, {
      intakeId: first.id,
      supporterId: cancelled.id,
      callerId: first.callerId,
      start: new Date(Date.now() + 5 * DAY),
      status: 'cancelled',
    });
    await insertBooking(t, {
      intakeId: first.id,
      supporterId: noShow.id,
      callerId: first.callerId,
      start: new Date(Date.now() - 5 * DAY),
      status: 'no_show',
    });
    const second = await makeIntake(t, intakeToken, {
      caller: { phone: (await t.ds.query('SELECT phone FROM callers WHERE id = $1', [first.callerId]))[0].phone },
    });
    const body = await matches(t, intakeToken, second.id);
    for (const id of [cancelled.id, noShow.id]) {
      const c = find(body, id).candidate;
      expect(c).toBeDefined();
      expect(c!.continuity).toBe(false);
      expect(codesOf(c)).not.toContain('continuity');
    }
    expect(body.candidates.every((c) => c.continuity === false)).toBe(true);
  });

  it('a booking cancelled through the API stops counting', async () => {
    const seen = await makeSupporter(t, adminToken);
    const { second, bookingId } = await returningCaller(seen.id);
    expect((await matches(t, intakeToken, second.id)).candidates[0].supporterId).toBe(seen.id);
    const cancel = await t
      .http()
      .post(`/api/v1/bookings/${bookingId}/cancel`)
      .set(auth(intakeToken))
      .send({ reason: 'Caller asked' });
    expect(cancel.status).toBe(200);
    const body = await matches(t, intakeToken, second.id);
    const c = find(body, seen.id).candidate;
    expect(c).toBeDefined();
    expect(c!.continuity).toBe(false);
  });

  it('recognises the returning caller by e-mail too', async () => {
    const seen = await makeSupporter(t, adminToken);
    const email = `returning-${Date.now()}@Example.org`;
    const first = await makeIntake(t, intakeToken, { caller: { email } });
    await insertBooking(t, {
      intakeId: first.id,
      supporterId: seen.id,
      callerId: first.callerId,
      start: new Date(Date.now() - 3 * DAY),
      status: 'completed',
    });
    const second = await makeIntake(t, intakeToken, { caller: { email: email.toLowerCase() } });
    expect(second.callerId).toBe(first.callerId);
    const body = await matches(t, intakeToken, second.id);
    expect(body.candidates[0]).toEqual(expect.objectContaining({ supporterId: seen.id, continuity: true }));
  });
});
