import { startTestApp, TestApp } from '../support/test-app';
import {
  book,
  countRows,
  expectProblem,
  Intake,
  london,
  makeIntake,
  makeSupporter,
  postBooking,
  Supporter,
} from '../support/booking-factories';

/** No two confirmed bookings of one supporter, or of one caller, overlap, whatever the concurrency. */
describe('POST /bookings under concurrency', () => {
  let t: TestApp;
  let admin: string;
  let intake: string;

  beforeAll(async () => {
    t = await startTestApp();
    admin = (await t.signIn('admin')).token;
    intake = (await t.signIn('intake')).token;
  });
  afterAll(async () => {
    await t.close();
  });

  it('50 parallel bookings of one slot (50 intakes, 50 callers): exactly one 201, 49 × 409 slot_taken', async () => {
    const s = await makeSupporter(t, admin, { maxActiveCases: 60 });
    const intakes: Intake[] = [];
    for (let k = 0; k < 50; k++) intakes.push(await makeIntake(t, intake));
    expect(new Set(intakes.map((i) => i.callerId)).size).toBe(50);
    const start = london(3, '18:00');

    const results = await Promise.all(
      intakes.map((i) => postBooking(t, intake, { intakeId: i.id, supporterId: s.id, start: start.toISO() })),
    );

    const created = results.filter((r) => r.status === 201);
    const conflicts = results.filter((r) => r.status === 409);
    expect(created).toHaveLength(1);
    expect(conflicts).toHaveLength(49);
    for (const r of conflicts) expectProblem(r, 409, 'slot_taken');
    const rows: { id: string; starts_at: Date }[] = await t.ds.query(
      `SELECT id, starts_at FROM bookings WHERE supporter_id = $1 AND status = 'confirmed'`,
      [s.id],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].id).toBe(created[0].body.id);
    expect(rows[0].starts_at.toISOString()).toBe(start.toUTC().toISO());
    // only the winner's intake was assigned
    const [{ n }] = await t.ds.query(`SELECT count(*)::int AS n FROM intakes WHERE supporter_id = $1`, [s.id]);
    expect(n).toBe(1);
  });

  it('overlapping (not identical) times in parallel: the database keeps one of each overlapping set', async () => {
    const s = await makeSupporter(t, admin, { maxActiveCases: 60 });
    const intakes: Intake[] = [];
    for (let k = 0; k < 20; k++) intakes.push(await makeIntake(t, intake));
    // starts 18:00, 18:05, … 19:35: all within one hour of each other in pairs
    const results = await Promise.all(
      intakes.map((i, k) =>
        postBooking(t, intake, {
          intakeId: i.id,
          supporterId: s.id,
          start: london(4, '18:00')
            .plus({ minutes: 5 * k })
            .toISO(),
        }),
      ),
    );
    for (const r of results) expect([201, 409]).toContain(r.status);
    expect(results.filter((r) => r.status === 201).length).toBeGreaterThanOrEqual(1);
    const [{ n }] = await t.ds.query(
      `SELECT count(*)::int AS n FROM bookings a JOIN bookings b
         ON a.supporter_id = b.supporter_id AND a.id < b.id
        AND tstzrange(a.starts_at, a.blocked_until) && tstzrange(b.starts_at, b.blocked_until)
      WHERE a.status = 'confirmed' AND b.status = 'confirmed' AND a.supporter_id = $1`,
      [s.id],
    );
    expect(n).toBe(0);
    expect(await countRows(t, 'supporter_id = $1', [s.id])).toBe(results.filter((r) => r.status === 201).length);
  });

  it('one caller booked in parallel with 10 supporters at one time: exactly one 201, the rest 409 caller_busy', async () => {
    const supporters: Supporter[] = [];
    for (let k = 0; k < 10; k++) supporters.push(await makeSupporter(t, admin));
    const phone = '07700 900777';
    const intakes: Intake[] = [];
    for (let k = 0; k < 10; k++) intakes.push(await makeIntake(t, intake, { caller: { phone } }));
    expect(new Set(intakes.map((i) => i.callerId)).size).toBe(1);
    const start = london(5, '12:00').toISO();
    const results = await Promise.all(
      intakes.map((i, k) => postBooking(t, intake, { intakeId: i.id, supporterId: supporters[k].id, start })),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    const refused = results.filter((r) => r.status !== 201);
    expect(refused).toHaveLength(9);
    for (const r of refused) expectProblem(r, 409, 'caller_busy');
    expect(await countRows(t, `caller_id = $1 AND status = 'confirmed'`, [intakes[0].callerId])).toBe(1);
  });

  it('capacity holds under concurrency: maxActiveCases 3, 10 parallel new intakes at different times → 3 booked', async () => {
    const s = await makeSupporter(t, admin, { maxActiveCases: 3 });
    const intakes: Intake[] = [];
    for (let k = 0; k < 10; k++) intakes.push(await makeIntake(t, intake));
    const results = await Promise.all(
      intakes.map((i, k) =>
        postBooking(t, intake, {
          intakeId: i.id,
          supporterId: s.id,
          start: london(6, '00:00')
            .plus({ hours: 2 * k })
            .toISO(),
        }),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(3);
    for (const r of results.filter((x) => x.status !== 201)) expectProblem(r, 422, 'at_capacity');
    const [{ n }] = await t.ds.query(
      `SELECT count(*)::int AS n FROM intakes WHERE supporter_id = $1 AND status IN ('assigned','booked')`,
      [s.id],
    );
    expect(n).toBe(3);
    // a booked one still takes more sessions
    const winner = results.find((r) => r.status === 201)!.body;
    await book(t, intake, winner.intakeId, s.id, london(8, '10:00'));
  });
});
