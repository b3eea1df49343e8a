import { randomUUID } from 'node:crypto';
import { startTestApp, TestApp } from '../support/test-app';
import {
  auth,
  countRows,
  expectProblem,
  london,
  makeIntake,
  makeSupporter,
  postBooking,
} from '../support/booking-factories';

describe('POST /bookings with Idempotency-Key', () => {
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

  it('the same key and body again returns the same booking (200 or 201); one row in the database', async () => {
    const s = await makeSupporter(t, admin);
    const i = await makeIntake(t, intake);
    const key = randomUUID();
    const body = { intakeId: i.id, supporterId: s.id, start: london(3, '18:00').toISO() };
    const first = await postBooking(t, intake, body, key);
    expect(first.status).toBe(201);
    const again = await postBooking(t, intake, body, key);
    expect([200, 201]).toContain(again.status);
    expect(again.body.id).toBe(first.body.id);
    expect(again.body.reference).toBe(first.body.reference);
    const third = await postBooking(t, intake, body, key);
    expect(third.body.id).toBe(first.body.id);
    expect(await countRows(t, 'intake_id = $1', [i.id])).toBe(1);
  });

  it('the same body with its fields in another order is the same request', async () => {
    const s = await makeSupporter(t, admin);
    const i = await makeIntake(t, intake);
    const key = randomUUID();
    const start = london(3, '10:00').toISO();
    const first = await postBooking(t, intake, { intakeId: i.id, supporterId: s.id, start }, key);
    expect(first.status).toBe(201);
    const again = await postBooking(t, intake, { start, supporterId: s.id, intakeId: i.id }, key);
    expect([200, 201]).toContain(again.status);
    expect(again.body.id).toBe(first.body.id);
    expect(await countRows(t, 'intake_id = $1', [i.id])).toBe(1);
  });

  it('the same key with a different body is 422 idempotency_mismatch, and nothing more is booked', async () => {
    const s = await makeSupporter(t, admin);
    const i = await makeIntake(t, intake);
    const key = randomUUID();
    const first = await postBooking(
      t,
      intake,
      { intakeId: i.id, supporterId: s.id, start: london(3, '12:00').toISO() },
      key,
    );
    expect(first.status).toBe(201);
    const other = await postBooking(
      t,
      intake,
      { intakeId: i.id, supporterId: s.id, start: london(3, '15:00').toISO() },
      key,
    );
    expectProblem(other, 422, 'idempotency_mismatch');
    expect(await countRows(t, 'intake_id = $1', [i.id])).toBe(1);
  });

  it('the same key used by a different user creates a separate booking', async () => {
    const s = await makeSupporter(t, admin);
    const [a, b] = [await makeIntake(t, intake), await makeIntake(t, intake)];
    const otherUser = (await t.signIn('intake')).token;
    const key = randomUUID();
    const mine = await postBooking(
      t,
      intake,
      { intakeId: a.id, supporterId: s.id, start: london(4, '09:00').toISO() },
      key,
    );
    expect(mine.status).toBe(201);
    const theirs = await postBooking(
      t,
      otherUser,
      { intakeId: b.id, supporterId: s.id, start: london(4, '11:00').toISO() },
      key,
    );
    expect(theirs.status).toBe(201);
    expect(theirs.body.id).not.toBe(mine.body.id);
    expect(await countRows(t, 'supporter_id = $1', [s.id])).toBe(2);
  });

  it('two concurrent requests with one key create one booking', async () => {
    const s = await makeSupporter(t, admin);
    const i = await makeIntake(t, intake);
    const key = randomUUID();
    const body = { intakeId: i.id, supporterId: s.id, start: london(5, '18:00').toISO() };
    const [r1, r2] = await Promise.all([postBooking(t, intake, body, key), postBooking(t, intake, body, key)]);
    expect([200, 201]).toContain(r1.status);
    expect([200, 201]).toContain(r2.status);
    expect(r1.body.id).toBe(r2.body.id);
    expect(await countRows(t, 'intake_id = $1', [i.id])).toBe(1);
  });

  it('ten concurrent requests with one key create one booking', async () => {
    const s = await makeSupporter(t, admin);
    const i = await makeIntake(t, intake);
    const key = randomUUID();
    const body = { intakeId: i.id, supporterId: s.id, start: london(6, '18:00').toISO() };
    const results = await Promise.all(Array.from({ length: 10 }, () => postBooking(t, intake, body, key)));
    for (const r of results) expect([200, 201]).toContain(r.status);
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    expect(await countRows(t, 'intake_id = $1', [i.id])).toBe(1);
  });

  it('without a key, the same body twice is a second attempt (here 409 slot_taken)', async () => {
    const s = await makeSupporter(t, admin);
    const i = await makeIntake(t, intake);
    const body = { intakeId: i.id, supporterId: s.id, start: london(7, '18:00').toISO() };
    expect((await postBooking(t, intake, body)).status).toBe(201);
    expectProblem(await postBooking(t, intake, body), 409, 'slot_taken');
    expect(await countRows(t, 'intake_id = $1', [i.id])).toBe(1);
  });

  it('a failed request does not burn the key: after fixing the cause the same key books', async () => {
    const s = await makeSupporter(t, admin);
    const [blocker, i] = [await makeIntake(t, intake), await makeIntake(t, intake)];
    const key = randomUUID();
    const blocked = await postBooking(t, intake, {
      intakeId: blocker.id,
      supporterId: s.id,
      start: london(8, '18:00').toISO(),
    });
    expect(blocked.status).toBe(201);
    const body = { intakeId: i.id, supporterId: s.id, start: london(8, '18:00').toISO() };
    expectProblem(await postBooking(t, intake, body, key), 409, 'slot_taken');
    const cancel = await t
      .http()
      .post(`/api/v1/bookings/${blocked.body.id}/cancel`)
      .set(auth(intake))
      .send({ reason: 'freed' });
    expect(cancel.status).toBe(200);
    const retry = await postBooking(t, intake, body, key);
    expect(retry.status).toBe(201);
    expect(await countRows(t, 'intake_id = $1', [i.id])).toBe(1);
  });

  it('series honour the key too', async () => {
    const s = await makeSupporter(t, admin);
    const i = await makeIntake(t, intake);
    const key = randomUUID();
    const body = { intakeId: i.id, supporterId: s.id, start: london(9, '18:00').toISO(), count: 3, intervalWeeks: 1 };
    const send = () =>
      t.http().post('/api/v1/bookings/series').set(auth(intake)).set('Idempotency-Key', key).send(body);
    const first = await send();
    expect(first.status).toBe(201);
    const again = await send();
    expect([200, 201]).toContain(again.status);
    expect(again.body.bookings.map((b: { id: string }) => b.id)).toEqual(
      first.body.bookings.map((b: { id: string }) => b.id),
    );
    expect(await countRows(t, 'intake_id = $1', [i.id])).toBe(3);
  });
});
