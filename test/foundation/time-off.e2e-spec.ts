import { randomUUID } from 'node:crypto';
import { startTestApp, TestApp } from '../support/test-app';
import {
  bearer,
  createSupporter,
  expectProblem,
  expectValidation,
  getSlots,
  nextWeekday,
  setAvailability,
  Slot,
  wallToIso,
} from '../support/factories';

const timeOff = (id: string) => `/api/v1/supporters/${id}/time-off`;

describe('time off', () => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    t = await startTestApp();
    admin = (await t.signIn('admin')).token;
  });
  afterAll(async () => {
    await t.close();
  });

  describe('POST /supporters/:id/time-off', () => {
    it('answers 201 with the time off, instants in UTC', async () => {
      const s = await createSupporter(t, admin);
      const res = await t.http().post(timeOff(s.id)).set(bearer(admin)).send({
        start: '2031-01-06T09:00:00+01:00',
        end: '2031-01-13T09:00:00+01:00',
        reason: 'Annual leave',
      });
      expect(res.status).toBe(201);
      expect(res.body).toEqual(
        expect.objectContaining({
          id: expect.any(String),
          start: '2031-01-06T08:00:00.000Z',
          end: '2031-01-13T08:00:00.000Z',
          reason: 'Annual leave',
        }),
      );
    });

    it('the reason is optional', async () => {
      const s = await createSupporter(t, admin);
      const res = await t
        .http()
        .post(timeOff(s.id))
        .set(bearer(admin))
        .send({ start: '2031-02-01T00:00:00Z', end: '2031-02-02T00:00:00Z' });
      expect(res.status).toBe(201);
      expect(res.body.id).toEqual(expect.any(String));
    });

    it('a supporter adds its own time off; for another supporter it is 403', async () => {
      const own = await createSupporter(t, admin);
      const other = await createSupporter(t, admin);
      const { token } = await t.signIn('supporter', own.id);
      const body = { start: '2031-03-01T00:00:00Z', end: '2031-03-02T00:00:00Z' };
      expect((await t.http().post(timeOff(own.id)).set(bearer(token)).send(body)).status).toBe(201);
      expectProblem(await t.http().post(timeOff(other.id)).set(bearer(token)).send(body), 403, 'forbidden');
    });

    it.each([
      ['end before start', { start: '2031-01-02T00:00:00Z', end: '2031-01-01T00:00:00Z' }, ['end']],
      ['end equal to start', { start: '2031-01-02T00:00:00Z', end: '2031-01-02T00:00:00Z' }, ['end']],
      ['an instant without an offset', { start: '2031-01-01T09:00:00', end: '2031-01-02T09:00:00Z' }, ['start']],
      ['a date that is not one', { start: 'next tuesday', end: '2031-13-45T00:00:00Z' }, ['start', 'end']],
      ['missing start and end', {}, ['start', 'end']],
      ['an unknown field', { start: '2031-01-01T00:00:00Z', end: '2031-01-02T00:00:00Z', allDay: true }, ['allDay']],
    ])('%s is 400', async (_label, body, fields) => {
      const s = await createSupporter(t, admin);
      expectValidation(await t.http().post(timeOff(s.id)).set(bearer(admin)).send(body), fields);
    });

    it('an unknown supporter is 404', async () => {
      const res = await t
        .http()
        .post(timeOff(randomUUID()))
        .set(bearer(admin))
        .send({ start: '2031-01-01T00:00:00Z', end: '2031-01-02T00:00:00Z' });
      expectProblem(res, 404, 'not_found');
    });
  });

  describe('DELETE /supporters/:id/time-off/:timeOffId', () => {
    const add = async (supporterId: string) => {
      const res = await t
        .http()
        .post(timeOff(supporterId))
        .set(bearer(admin))
        .send({ start: '2031-04-01T00:00:00Z', end: '2031-04-02T00:00:00Z' });
      expect(res.status).toBe(201);
      return res.body.id as string;
    };

    it('answers 204 with no body, and a second delete is 404', async () => {
      const s = await createSupporter(t, admin);
      const id = await add(s.id);
      const res = await t
        .http()
        .delete(`${timeOff(s.id)}/${id}`)
        .set(bearer(admin));
      expect(res.status).toBe(204);
      expect(res.text).toBe('');
      expectProblem(
        await t
          .http()
          .delete(`${timeOff(s.id)}/${id}`)
          .set(bearer(admin)),
        404,
        'not_found',
      );
    });

    it('a supporter deletes its own; another supporter is 403 and the time off stays', async () => {
      const own = await createSupporter(t, admin);
      const other = await createSupporter(t, admin);
      const mine = await add(own.id);
      const theirs = await add(other.id);
      const { token } = await t.signIn('supporter', own.id);
      expectProblem(
        await t
          .http()
          .delete(`${timeOff(other.id)}/${theirs}`)
          .set(bearer(token)),
        403,
        'forbidden',
      );
      expect(
        (
          await t
            .http()
            .delete(`${timeOff(own.id)}/${mine}`)
            .set(bearer(token))
        ).status,
      ).toBe(204);
      // still there: the admin can delete it now
      expect(
        (
          await t
            .http()
            .delete(`${timeOff(other.id)}/${theirs}`)
            .set(bearer(admin))
        ).status,
      ).toBe(204);
    });

    it('an unknown time off is 404', async () => {
      const s = await createSupporter(t, admin);
      expectProblem(
        await t
          .http()
          .delete(`${timeOff(s.id)}/${randomUUID()}`)
          .set(bearer(admin)),
        404,
        'not_found',
      );
    });

    it("another supporter's time off id under this supporter is 404", async () => {
      const a = await createSupporter(t, admin);
      const b = await createSupporter(t, admin);
      const id = await add(b.id);
      expectProblem(
        await t
          .http()
          .delete(`${timeOff(a.id)}/${id}`)
          .set(bearer(admin)),
        404,
        'not_found',
      );
      expect(
        (
          await t
            .http()
            .delete(`${timeOff(b.id)}/${id}`)
            .set(bearer(admin))
        ).status,
      ).toBe(204);
    });

    it('a time off id that is not a UUID is 400', async () => {
      const s = await createSupporter(t, admin);
      expectProblem(
        await t
          .http()
          .delete(`${timeOff(s.id)}/42`)
          .set(bearer(admin)),
        400,
        'validation_failed',
      );
    });
  });

  describe('time off and slots', () => {
    it('removes the slots it overlaps, and deleting it brings them back', async () => {
      const s = await createSupporter(t, admin, { kind: 'counsellor', timeZone: 'Europe/London' });
      await setAvailability(t, admin, s.id, [{ weekday: 1, start: '09:00', end: '12:00' }]);
      const monday = nextWeekday('Europe/London', 1);
      const range = { from: monday.toUTC().toISO()!, to: monday.plus({ days: 1 }).toUTC().toISO()! };
      const all = [wallToIso(monday, '09:00'), wallToIso(monday, '10:00'), wallToIso(monday, '11:00')];
      const before = await getSlots(t, admin, s.id, range);
      expect(before.body.slots.map((x: Slot) => x.start)).toEqual(all);

      // 10:15-10:45 local overlaps only the 10:00-10:50 slot
      const off = await t
        .http()
        .post(timeOff(s.id))
        .set(bearer(admin))
        .send({ start: wallToIso(monday, '10:15'), end: wallToIso(monday, '10:45') });
      expect(off.status).toBe(201);
      const during = await getSlots(t, admin, s.id, range);
      expect(during.body.slots.map((x: Slot) => x.start)).toEqual([all[0], all[2]]);

      expect(
        (
          await t
            .http()
            .delete(`${timeOff(s.id)}/${off.body.id}`)
            .set(bearer(admin))
        ).status,
      ).toBe(204);
      const after = await getSlots(t, admin, s.id, range);
      expect(after.body.slots.map((x: Slot) => x.start)).toEqual(all);
    });

    it('time off covering the whole day leaves no slot that day', async () => {
      const s = await createSupporter(t, admin, { kind: 'counsellor', timeZone: 'Europe/London' });
      await setAvailability(t, admin, s.id, [
        { weekday: 1, start: '09:00', end: '12:00' },
        { weekday: 2, start: '09:00', end: '10:00' },
      ]);
      const monday = nextWeekday('Europe/London', 1);
      const off = await t
        .http()
        .post(timeOff(s.id))
        .set(bearer(admin))
        .send({ start: monday.toUTC().toISO(), end: monday.plus({ days: 1 }).toUTC().toISO() });
      expect(off.status).toBe(201);
      const res = await getSlots(t, admin, s.id, {
        from: monday.toUTC().toISO()!,
        to: monday.plus({ days: 2 }).toUTC().toISO()!,
      });
      expect(res.body.slots.map((x: Slot) => x.start)).toEqual([wallToIso(monday.plus({ days: 1 }), '09:00')]);
    });

    it('time off ending exactly when a slot starts does not remove it', async () => {
      const s = await createSupporter(t, admin, { kind: 'counsellor', timeZone: 'Europe/London' });
      await setAvailability(t, admin, s.id, [{ weekday: 1, start: '09:00', end: '11:00' }]);
      const monday = nextWeekday('Europe/London', 1);
      const off = await t
        .http()
        .post(timeOff(s.id))
        .set(bearer(admin))
        .send({ start: wallToIso(monday, '08:00'), end: wallToIso(monday, '09:00') });
      expect(off.status).toBe(201);
      const res = await getSlots(t, admin, s.id, {
        from: monday.toUTC().toISO()!,
        to: monday.plus({ days: 1 }).toUTC().toISO()!,
      });
      expect(res.body.slots.map((x: Slot) => x.start)).toEqual([
        wallToIso(monday, '09:00'),
        wallToIso(monday, '10:00'),
      ]);
    });
  });
});
