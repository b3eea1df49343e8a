import { startTestApp, TestApp } from '../support/test-app';
import {
  assign,
  auth,
  codesOf,
  expectProblem,
  firstSlot,
  makeIntake,
  makeSupporter,
  matches,
  postBooking,
} from '../support/intake-factories';

describe('Capacity: the last place is given once', () => {
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

  it('two intakes assigned at the same moment to a supporter with one place: exactly one 200 and one 422 at_capacity', async () => {
    const s = await makeSupporter(t, adminToken, { maxActiveCases: 1 });
    const a = await makeIntake(t, intakeToken);
    const b = await makeIntake(t, intakeToken);
    const results = await Promise.all([assign(t, intakeToken, a.id, s.id), assign(t, intakeToken, b.id, s.id)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 422]);
    const loser = results.find((r) => r.status === 422)!;
    expectProblem(loser, 422, 'at_capacity');
    const winner = results.find((r) => r.status === 200)!;
    expect(winner.body).toEqual(expect.objectContaining({ status: 'assigned', supporterId: s.id }));

    const [{ n }] = await t.ds.query(
      `SELECT count(*)::int AS n FROM intakes WHERE supporter_id = $1 AND status IN ('assigned', 'booked')`,
      [s.id],
    );
    expect(n).toBe(1);

    // The loser's matches show the supporter as at capacity.
    const loserId = winner.body.id === a.id ? b.id : a.id;
    const body = await matches(t, intakeToken, loserId);
    expect(codesOf(body.excluded.find((e) => e.supporterId === s.id))).toContain('at_capacity');
  });

  it('many concurrent assignments to a supporter with two places: exactly two succeed', async () => {
    const s = await makeSupporter(t, adminToken, { maxActiveCases: 2 });
    const intakes = await Promise.all(Array.from({ length: 6 }, () => makeIntake(t, intakeToken)));
    const results = await Promise.all(intakes.map((i) => assign(t, intakeToken, i.id, s.id)));
    expect(results.filter((r) => r.status === 200)).toHaveLength(2);
    const refused = results.filter((r) => r.status !== 200);
    expect(refused).toHaveLength(4);
    for (const r of refused) expectProblem(r, 422, 'at_capacity');
  });

  it('closing the assigned intake frees the place: the other can then be assigned', async () => {
    const s = await makeSupporter(t, adminToken, { maxActiveCases: 1 });
    const a = await makeIntake(t, intakeToken);
    const b = await makeIntake(t, intakeToken);
    expect((await assign(t, intakeToken, a.id, s.id)).status).toBe(200);
    expectProblem(await assign(t, intakeToken, b.id, s.id), 422, 'at_capacity');

    const closed = await t.http().post(`/api/v1/intakes/${a.id}/close`).set(auth(intakeToken));
    expect(closed.status).toBe(200);
    expect(closed.body.status).toBe('closed');

    const again = await assign(t, intakeToken, b.id, s.id);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(expect.objectContaining({ status: 'assigned', supporterId: s.id }));
  });

  it('withdrawing the assigned intake frees the place too', async () => {
    const s = await makeSupporter(t, adminToken, { maxActiveCases: 1 });
    const a = await makeIntake(t, intakeToken);
    const b = await makeIntake(t, intakeToken);
    expect((await assign(t, intakeToken, a.id, s.id)).status).toBe(200);
    const withdrawn = await t.http().post(`/api/v1/intakes/${a.id}/withdraw`).set(auth(intakeToken));
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body.status).toBe('withdrawn');
    expect((await assign(t, intakeToken, b.id, s.id)).status).toBe(200);
  });

  it('a booked intake holds its place; re-assigning the same intake to the same supporter is not a second case', async () => {
    const s = await makeSupporter(t, adminToken, { maxActiveCases: 1 });
    const a = await makeIntake(t, intakeToken);
    expect((await assign(t, intakeToken, a.id, s.id)).status).toBe(200);
    expect((await assign(t, intakeToken, a.id, s.id)).status).toBe(200);
    const slot = await firstSlot(t, intakeToken, s.id);
    const booking = await postBooking(t, intakeToken, { intakeId: a.id, supporterId: s.id, start: slot.start });
    expect(booking.status).toBe(201);
    const b = await makeIntake(t, intakeToken);
    expectProblem(await assign(t, intakeToken, b.id, s.id), 422, 'at_capacity');
    const get = await t.http().get(`/api/v1/intakes/${a.id}`).set(auth(intakeToken));
    expect(get.body.status).toBe('booked');
  });
});
