import { startTestApp, TestApp } from '../support/test-app';
import { bearer, bookFor, Desk, intakeFor, makeCounsellor, openDesk, person } from '../support/privacy-factories';

const HOUR = 3_600_000;

describe('POST /supporters/:id/time-off answers the confirmed sessions it overlaps', () => {
  let t: TestApp;
  let desk: Desk;

  beforeAll(async () => {
    t = await startTestApp();
    desk = await openDesk(t);
  });
  afterAll(async () => {
    await t.close();
  });

  const addTimeOff = (supporterId: string, start: number, end: number, token = desk.admin) =>
    t
      .http()
      .post(`/api/v1/supporters/${supporterId}/time-off`)
      .set(bearer(token))
      .send({ start: new Date(start).toISOString(), end: new Date(end).toISOString() });
  const startOf = (iso: string) => Date.parse(iso);

  it('lists exactly the confirmed sessions inside or across its edges; touching ones, cancelled ones and other supporters’ are not listed', async () => {
    const s = await makeCounsellor(t, desk.admin);
    const other = await makeCounsellor(t, desk.admin);
    const base = Math.ceil((Date.now() + 4 * 24 * HOUR) / HOUR) * HOUR;
    const at = (h: number) => new Date(base + h * HOUR).toISOString();
    const book = async (supporterId: string, h: number) =>
      bookFor(t, desk.intake, (await intakeFor(t, desk.intake, person())).id, supporterId, at(h));
    const before = await book(s.id, 0); // 00:00–00:50: ends before the time off
    const across = await book(s.id, 2); // 02:00–02:50: the time off starts at 02:30
    const inside = await book(s.id, 4);
    const cancelled = await book(s.id, 6);
    expect(
      (
        await t
          .http()
          .post(`/api/v1/bookings/${cancelled.id}/cancel`)
          .set(bearer(desk.intake))
          .send({ reason: 'moved' })
      ).status,
    ).toBe(200);
    const atEnd = await book(s.id, 8); // 08:00: starts exactly when the time off ends
    await book(other.id, 4);

    const res = await addTimeOff(s.id, startOf(at(2)) + HOUR / 2, startOf(at(8)));
    expect(res.status).toBe(201);
    expect(res.body).toEqual(
      expect.objectContaining({ id: expect.any(String), start: expect.any(String), end: expect.any(String) }),
    );
    expect(res.body.overlappingSessions.map((b: { id: string }) => b.id)).toEqual([across.id, inside.id]);
    expect(res.body.overlappingSessions[0]).toEqual(
      expect.objectContaining({
        reference: across.reference,
        status: 'confirmed',
        supporterId: s.id,
        intakeId: across.intakeId,
      }),
    );
    expect(res.body.overlappingSessions[0]).not.toHaveProperty('caller');
    expect(
      [before.id, atEnd.id, cancelled.id].some((id) =>
        res.body.overlappingSessions.some((b: { id: string }) => b.id === id),
      ),
    ).toBe(false);
  });

  it('the sessions stay booked; the time off still wins for new bookings (no slot inside it), and the overlapped session can be rescheduled or cancelled', async () => {
    const s = await makeCounsellor(t, desk.admin);
    const base = Math.ceil((Date.now() + 5 * 24 * HOUR) / HOUR) * HOUR;
    const intake = await intakeFor(t, desk.intake, person());
    const b = await bookFor(t, desk.intake, intake.id, s.id, new Date(base + 2 * HOUR).toISOString());
    const res = await addTimeOff(s.id, base, base + 6 * HOUR, s.token);
    expect(res.status).toBe(201);
    expect(res.body.overlappingSessions.map((x: { id: string }) => x.id)).toEqual([b.id]);
    expect((await t.http().get(`/api/v1/bookings/${b.id}`).set(bearer(desk.intake))).body.status).toBe('confirmed');

    const slots = await t
      .http()
      .get(`/api/v1/supporters/${s.id}/slots`)
      .set(bearer(desk.intake))
      .query({ from: new Date(base).toISOString(), to: new Date(base + 6 * HOUR).toISOString() });
    expect(slots.status).toBe(200);
    expect(slots.body.slots).toEqual([]);
    const other = await intakeFor(t, desk.intake, person());
    const refused = await t
      .http()
      .post('/api/v1/bookings')
      .set(bearer(desk.intake))
      .send({ intakeId: other.id, supporterId: s.id, start: new Date(base + 4 * HOUR).toISOString() });
    expect(refused.status).toBeGreaterThanOrEqual(400);

    // the supporter moves it out of the time off
    const moved = await t
      .http()
      .post(`/api/v1/bookings/${b.id}/reschedule`)
      .set(bearer(s.token))
      .send({ start: new Date(base + 7 * HOUR).toISOString() });
    expect(moved.status).toBe(200);
    const again = await addTimeOff(s.id, base + 3 * HOUR, base + 5 * HOUR, s.token);
    expect(again.body.overlappingSessions).toEqual([]);
  });

  it('no overlap → an empty list; a supporter may not add time off for another (403), and nothing is stored', async () => {
    const s = await makeCounsellor(t, desk.admin);
    const other = await makeCounsellor(t, desk.admin);
    const far = Date.now() + 60 * 24 * HOUR;
    const res = await addTimeOff(s.id, far, far + HOUR, s.token);
    expect(res.status).toBe(201);
    expect(res.body.overlappingSessions).toEqual([]);
    const denied = await addTimeOff(other.id, far, far + HOUR, s.token);
    expect(denied.status).toBe(403);
    expect(await t.ds.query(`SELECT 1 FROM time_off WHERE supporter_id = $1`, [other.id])).toEqual([]);
  });

  it('bad input is still refused as before (end before start → 400)', async () => {
    const far = Date.now() + 60 * 24 * HOUR;
    const res = await addTimeOff(desk.supporterId, far + HOUR, far);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_failed');
  });
});
