import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import { startTestApp, TestApp } from '../support/test-app';
import {
  addTimeOff,
  auth,
  book,
  countRows,
  DAY,
  expectProblem,
  expectValidation,
  getIntake,
  london,
  makeIntake,
  makeSupporter,
  postBooking,
  REFERENCE,
  utc,
} from '../support/booking-factories';

describe('POST /bookings', () => {
  let t: TestApp;
  let admin: string;
  let intake: string;

  beforeAll(async () => {
    // video is offered only with a link to give (issue 18): these tests book video sessions
    t = await startTestApp({ VIDEO_ROOM_BASE_URL: 'https://meet.example.org/support' });
    admin = (await t.signIn('admin')).token;
    intake = (await t.signIn('intake')).token;
  });
  afterAll(async () => {
    await t.close();
  });

  describe('success', () => {
    it('201 with the booking; the open intake becomes booked with that supporter', async () => {
      const s = await makeSupporter(t, admin);
      const i = await makeIntake(t, intake);
      expect(i.status).toBe('open');
      const start = london(3, '18:00');
      const res = await postBooking(t, intake, {
        intakeId: i.id,
        supporterId: s.id,
        start: start.toISO(),
        modality: 'video',
      });
      expect(res.status).toBe(201);
      expect(res.body).toEqual(
        expect.objectContaining({
          id: expect.any(String),
          reference: expect.stringMatching(REFERENCE),
          status: 'confirmed',
          start: utc(start),
          end: utc(start.plus({ minutes: 50 })),
          supporterId: s.id,
          callerId: i.callerId,
          intakeId: i.id,
          modality: 'video',
        }),
      );
      expect(res.body.start).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      const after = await getIntake(t, intake, i.id);
      expect(after.status).toBe('booked');
      expect(after.supporterId).toBe(s.id);
    });

    it('durationMinutes sets the end', async () => {
      const s = await makeSupporter(t, admin);
      const i = await makeIntake(t, intake);
      const start = london(3, '10:00');
      const b = await book(t, intake, i.id, s.id, start, { durationMinutes: 30 });
      expect(b.end).toBe(utc(start.plus({ minutes: 30 })));
    });

    it('a booking may start at any minute inside availability (18:07 in an 18:00–20:00 window)', async () => {
      const day = london(4, '00:00');
      const s = await makeSupporter(t, admin, { kind: 'peer' }, [
        { weekday: day.weekday, start: '18:00', end: '20:00' },
      ]);
      const i = await makeIntake(t, intake, { service: 'peer_support' });
      const start = london(4, '18:07');
      const b = await book(t, intake, i.id, s.id, start);
      expect(b.start).toBe(utc(start));
      expect(DateTime.fromISO(b.start).setZone('Europe/London').toFormat('HH:mm')).toBe('18:07');
    });

    it('a session ending exactly at the window end is inside (19:10–20:00)', async () => {
      const day = london(4, '00:00');
      const s = await makeSupporter(t, admin, { kind: 'peer' }, [
        { weekday: day.weekday, start: '18:00', end: '20:00' },
      ]);
      const i = await makeIntake(t, intake, { service: 'peer_support' });
      const b = await book(t, intake, i.id, s.id, london(4, '19:10'));
      expect(b.end).toBe(utc(london(4, '20:00')));
    });

    it('a booked intake may take more bookings with the same supporter', async () => {
      const s = await makeSupporter(t, admin);
      const i = await makeIntake(t, intake);
      const first = await book(t, intake, i.id, s.id, london(3, '09:00'));
      const second = await book(t, intake, i.id, s.id, london(10, '09:00'));
      expect(second.id).not.toBe(first.id);
      expect(second.intakeId).toBe(i.id);
      expect((await getIntake(t, intake, i.id)).status).toBe('booked');
      expect(await countRows(t, 'intake_id = $1 AND status = $2', [i.id, 'confirmed'])).toBe(2);
    });

    it('an intake assigned to the supporter can be booked with it', async () => {
      const s = await makeSupporter(t, admin);
      const i = await makeIntake(t, intake);
      const a = await t.http().post(`/api/v1/intakes/${i.id}/assign`).set(auth(intake)).send({ supporterId: s.id });
      expect(a.status).toBe(200);
      expect(a.body.status).toBe('assigned');
      await book(t, intake, i.id, s.id, london(3, '11:00'));
      expect((await getIntake(t, intake, i.id)).status).toBe('booked');
    });

    it('references are readable (PS-XXXX-XX, no 0/O/1/I), at most 14 characters and unique', async () => {
      const s = await makeSupporter(t, admin, { maxActiveCases: 30 });
      const refs: string[] = [];
      for (let k = 0; k < 12; k++) {
        const i = await makeIntake(t, intake);
        const b = await book(t, intake, i.id, s.id, london(5, '00:00').plus({ hours: k * 2 }));
        refs.push(b.reference);
      }
      for (const r of refs) {
        expect(r).toMatch(REFERENCE);
        expect(r.length).toBeLessThanOrEqual(14);
        expect(r).not.toMatch(/[01OI]/);
      }
      expect(new Set(refs).size).toBe(refs.length);
      const [row] = await t.ds.query(`SELECT count(*)::int AS n, count(DISTINCT reference)::int AS d FROM bookings`);
      expect(row.d).toBe(row.n);
    });
  });

  describe('buffers (bufferMinutes 10)', () => {
    it('after 18:00–18:50, 18:55 is slot_taken but 19:00 is free', async () => {
      const s = await makeSupporter(t, admin);
      const [a, b, c] = [await makeIntake(t, intake), await makeIntake(t, intake), await makeIntake(t, intake)];
      await book(t, intake, a.id, s.id, london(6, '18:00'));
      const clash = await postBooking(t, intake, {
        intakeId: b.id,
        supporterId: s.id,
        start: london(6, '18:55').toISO(),
      });
      expectProblem(clash, 409, 'slot_taken');
      const ok = await postBooking(t, intake, { intakeId: c.id, supporterId: s.id, start: london(6, '19:00').toISO() });
      expect(ok.status).toBe(201);
    });

    it('a session ending inside the buffer before an existing one is slot_taken too (17:05–17:55 before 18:00)', async () => {
      const s = await makeSupporter(t, admin);
      const [a, b] = [await makeIntake(t, intake), await makeIntake(t, intake)];
      await book(t, intake, a.id, s.id, london(6, '18:00'));
      const clash = await postBooking(t, intake, {
        intakeId: b.id,
        supporterId: s.id,
        start: london(6, '17:05').toISO(),
      });
      expectProblem(clash, 409, 'slot_taken');
      const ok = await postBooking(t, intake, { intakeId: b.id, supporterId: s.id, start: london(6, '17:00').toISO() });
      expect(ok.status).toBe(201);
    });
  });

  describe('409', () => {
    it("slot_taken with alternatives: the supporter's next free slots", async () => {
      const s = await makeSupporter(t, admin);
      const [a, b] = [await makeIntake(t, intake), await makeIntake(t, intake)];
      const start = london(7, '18:00');
      await book(t, intake, a.id, s.id, start);
      const res = await postBooking(t, intake, { intakeId: b.id, supporterId: s.id, start: start.toISO() });
      expectProblem(res, 409, 'slot_taken');
      expect(Array.isArray(res.body.alternatives)).toBe(true);
      expect(res.body.alternatives.length).toBeGreaterThan(0);
      for (const alt of res.body.alternatives as { start: string; end: string }[]) {
        expect(alt).toEqual({ start: expect.any(String), end: expect.any(String) });
        // free: none overlaps the taken session and its buffer
        const altStart = Date.parse(alt.start);
        const altEnd = Date.parse(alt.end);
        const takenStart = start.toMillis();
        const takenBlocked = start.plus({ minutes: 60 }).toMillis();
        expect(altStart < takenBlocked && takenStart < altEnd + 10 * 60_000).toBe(false);
        expect(altStart).toBeGreaterThan(Date.now());
      }
      // the alternative really is bookable
      const retry = await postBooking(t, intake, {
        intakeId: b.id,
        supporterId: s.id,
        start: res.body.alternatives[0].start,
      });
      expect(retry.status).toBe(201);
      expect((await getIntake(t, intake, b.id)).status).toBe('booked');
    });

    it('caller_busy: the same caller with two intakes, overlapping times with two supporters', async () => {
      const [s1, s2] = [await makeSupporter(t, admin), await makeSupporter(t, admin)];
      const first = await makeIntake(t, intake, { caller: { phone: '07700 900999', name: 'Dr Twice' } });
      const second = await makeIntake(t, intake, { caller: { phone: '+44 7700 900999', name: 'Dr Twice' } });
      expect(second.callerId).toBe(first.callerId);
      await book(t, intake, first.id, s1.id, london(8, '18:00'));
      const res = await postBooking(t, intake, {
        intakeId: second.id,
        supporterId: s2.id,
        start: london(8, '18:30').toISO(),
      });
      expectProblem(res, 409, 'caller_busy');
      expect(Array.isArray(res.body.alternatives)).toBe(true);
      expect(res.body.alternatives.length).toBeGreaterThan(0);
      expect(await countRows(t, 'intake_id = $1', [second.id])).toBe(0);
      // and not overlapping is fine
      const ok = await postBooking(t, intake, {
        intakeId: second.id,
        supporterId: s2.id,
        start: london(8, '18:50').toISO(),
      });
      expect(ok.status).toBe(201);
    });

    it('assigned_elsewhere: an intake booked with supporter A cannot be booked with B', async () => {
      const [a, b] = [await makeSupporter(t, admin), await makeSupporter(t, admin)];
      const i = await makeIntake(t, intake);
      await book(t, intake, i.id, a.id, london(9, '10:00'));
      const res = await postBooking(t, intake, {
        intakeId: i.id,
        supporterId: b.id,
        start: london(9, '14:00').toISO(),
      });
      expectProblem(res, 409, 'assigned_elsewhere');
      expect(await countRows(t, 'supporter_id = $1', [b.id])).toBe(0);
    });

    it('assigned_elsewhere: an intake assigned to supporter A cannot be booked with B', async () => {
      const [a, b] = [await makeSupporter(t, admin), await makeSupporter(t, admin)];
      const i = await makeIntake(t, intake);
      const assigned = await t
        .http()
        .post(`/api/v1/intakes/${i.id}/assign`)
        .set(auth(intake))
        .send({ supporterId: a.id });
      expect(assigned.status).toBe(200);
      const res = await postBooking(t, intake, {
        intakeId: i.id,
        supporterId: b.id,
        start: london(9, '15:00').toISO(),
      });
      expectProblem(res, 409, 'assigned_elsewhere');
      expect((await getIntake(t, intake, i.id)).supporterId).toBe(a.id);
    });
  });

  describe('422', () => {
    it('outside_availability: inside no window, or only partly inside one', async () => {
      const day = london(10, '00:00');
      const s = await makeSupporter(t, admin, {}, [{ weekday: day.weekday, start: '09:00', end: '12:00' }]);
      const i = await makeIntake(t, intake);
      expectProblem(
        await postBooking(t, intake, { intakeId: i.id, supporterId: s.id, start: london(11, '10:00').toISO() }),
        422,
        'outside_availability',
      );
      expectProblem(
        await postBooking(t, intake, { intakeId: i.id, supporterId: s.id, start: london(10, '08:30').toISO() }),
        422,
        'outside_availability',
      );
      expectProblem(
        await postBooking(t, intake, { intakeId: i.id, supporterId: s.id, start: london(10, '11:30').toISO() }),
        422,
        'outside_availability',
      );
      expect(await countRows(t, 'supporter_id = $1', [s.id])).toBe(0);
      expect((await getIntake(t, intake, i.id)).status).toBe('open');
    });

    it('outside_availability: inside time off', async () => {
      const s = await makeSupporter(t, admin);
      const i = await makeIntake(t, intake);
      await addTimeOff(t, admin, s.id, london(12, '00:00'), london(13, '00:00'));
      const res = await postBooking(t, intake, {
        intakeId: i.id,
        supporterId: s.id,
        start: london(12, '14:00').toISO(),
      });
      expectProblem(res, 422, 'outside_availability');
      // overlapping the time off's start is refused too
      expectProblem(
        await postBooking(t, intake, { intakeId: i.id, supporterId: s.id, start: london(11, '23:30').toISO() }),
        422,
        'outside_availability',
      );
      expect(
        (await postBooking(t, intake, { intakeId: i.id, supporterId: s.id, start: london(13, '00:00').toISO() }))
          .status,
      ).toBe(201);
    });

    it('conflict_of_interest: the caller works where the supporter works', async () => {
      const s = await makeSupporter(t, admin, { workplaces: ['Northgate NHS Trust'] });
      const i = await makeIntake(t, intake, { caller: { workplace: 'Northgate NHS Trust' } });
      expectProblem(
        await postBooking(t, intake, { intakeId: i.id, supporterId: s.id, start: london(3, '12:00').toISO() }),
        422,
        'conflict_of_interest',
      );
      expect((await getIntake(t, intake, i.id)).status).toBe('open');
    });

    it('at_capacity: active cases reach maxActiveCases', async () => {
      const s = await makeSupporter(t, admin, { maxActiveCases: 1 });
      const [a, b] = [await makeIntake(t, intake), await makeIntake(t, intake)];
      await book(t, intake, a.id, s.id, london(3, '09:00'));
      const res = await postBooking(t, intake, {
        intakeId: b.id,
        supporterId: s.id,
        start: london(4, '09:00').toISO(),
      });
      expectProblem(res, 422, 'at_capacity');
      // the booked intake itself can still take more sessions
      expect(
        (await postBooking(t, intake, { intakeId: a.id, supporterId: s.id, start: london(5, '09:00').toISO() })).status,
      ).toBe(201);
      // closing the first intake frees the place
      expect((await t.http().post(`/api/v1/intakes/${a.id}/close`).set(auth(intake))).status).toBe(200);
      expect(
        (await postBooking(t, intake, { intakeId: b.id, supporterId: s.id, start: london(4, '09:00').toISO() })).status,
      ).toBe(201);
    });

    it('too_soon: inside the 120-minute minimum notice', async () => {
      const s = await makeSupporter(t, admin);
      const i = await makeIntake(t, intake);
      const soon = DateTime.now().setZone('Europe/London').plus({ minutes: 60 }).startOf('minute');
      expectProblem(
        await postBooking(t, intake, { intakeId: i.id, supporterId: s.id, start: soon.toISO() }),
        422,
        'too_soon',
      );
      const justInside = DateTime.now().setZone('Europe/London').plus({ minutes: 118 }).startOf('minute');
      expectProblem(
        await postBooking(t, intake, { intakeId: i.id, supporterId: s.id, start: justInside.toISO() }),
        422,
        'too_soon',
      );
      const past = DateTime.now().setZone('Europe/London').minus({ days: 1 }).startOf('minute');
      expectProblem(
        await postBooking(t, intake, { intakeId: i.id, supporterId: s.id, start: past.toISO() }),
        422,
        'too_soon',
      );
      const later = DateTime.now().setZone('Europe/London').plus({ minutes: 125 }).startOf('minute');
      expect((await postBooking(t, intake, { intakeId: i.id, supporterId: s.id, start: later.toISO() })).status).toBe(
        201,
      );
    });

    it('beyond_horizon: later than bookingHorizonDays (92) from now', async () => {
      const s = await makeSupporter(t, admin);
      const i = await makeIntake(t, intake);
      expectProblem(
        await postBooking(t, intake, { intakeId: i.id, supporterId: s.id, start: london(93, '12:00').toISO() }),
        422,
        'beyond_horizon',
      );
      expectProblem(
        await postBooking(t, intake, { intakeId: i.id, supporterId: s.id, start: london(200, '12:00').toISO() }),
        422,
        'beyond_horizon',
      );
      expect(
        (await postBooking(t, intake, { intakeId: i.id, supporterId: s.id, start: london(90, '12:00').toISO() }))
          .status,
      ).toBe(201);
    });

    it('intake_not_bookable: a signposted intake', async () => {
      const s = await makeSupporter(t, admin);
      const i = await makeIntake(t, intake, { risk: { immediateDanger: true } });
      expect(i.status).toBe('signposted');
      expectProblem(
        await postBooking(t, intake, { intakeId: i.id, supporterId: s.id, start: london(3, '13:00').toISO() }),
        422,
        'intake_not_bookable',
      );
      expect(await countRows(t, 'intake_id = $1', [i.id])).toBe(0);
    });

    it.each(['close', 'withdraw'])('intake_not_bookable: an intake after /%s', async (verb) => {
      const s = await makeSupporter(t, admin);
      const i = await makeIntake(t, intake);
      expect((await t.http().post(`/api/v1/intakes/${i.id}/${verb}`).set(auth(intake))).status).toBe(200);
      expectProblem(
        await postBooking(t, intake, { intakeId: i.id, supporterId: s.id, start: london(3, '13:00').toISO() }),
        422,
        'intake_not_bookable',
      );
      expect(await countRows(t, 'intake_id = $1', [i.id])).toBe(0);
    });

    it('wrong_service: a peer for counselling, a counsellor for peer support', async () => {
      const peer = await makeSupporter(t, admin, { kind: 'peer' });
      const counsellor = await makeSupporter(t, admin, { kind: 'counsellor' });
      const forCounselling = await makeIntake(t, intake, { service: 'counselling' });
      const forPeer = await makeIntake(t, intake, { service: 'peer_support' });
      expectProblem(
        await postBooking(t, intake, {
          intakeId: forCounselling.id,
          supporterId: peer.id,
          start: london(3, '12:00').toISO(),
        }),
        422,
        'wrong_service',
      );
      expectProblem(
        await postBooking(t, intake, {
          intakeId: forPeer.id,
          supporterId: counsellor.id,
          start: london(3, '12:00').toISO(),
        }),
        422,
        'wrong_service',
      );
    });

    it('inactive: a supporter who is not taking sessions', async () => {
      const s = await makeSupporter(t, admin, { active: false });
      const i = await makeIntake(t, intake);
      expectProblem(
        await postBooking(t, intake, { intakeId: i.id, supporterId: s.id, start: london(3, '12:00').toISO() }),
        422,
        'inactive',
      );
    });
  });

  describe('404', () => {
    it('an unknown intake or supporter', async () => {
      const s = await makeSupporter(t, admin);
      const i = await makeIntake(t, intake);
      expectProblem(
        await postBooking(t, intake, { intakeId: randomUUID(), supporterId: s.id, start: london(3, '12:00').toISO() }),
        404,
        'not_found',
      );
      expectProblem(
        await postBooking(t, intake, { intakeId: i.id, supporterId: randomUUID(), start: london(3, '12:00').toISO() }),
        404,
        'not_found',
      );
    });
  });

  describe('400 bad input', () => {
    let s: { id: string };
    let i: { id: string };
    beforeAll(async () => {
      s = await makeSupporter(t, admin);
      i = await makeIntake(t, intake);
    });

    it('an unknown field', async () => {
      const res = await postBooking(t, intake, {
        intakeId: i.id,
        supporterId: s.id,
        start: london(3, '12:00').toISO(),
        room: 'blue',
      });
      expectValidation(res, ['room']);
    });

    it.each([
      ['no offset', '2027-01-10T18:00:00'],
      ['date only', '2027-01-10'],
      ['not a date', 'tomorrow at six'],
      ['a number', 1767000000000],
    ])('a start that is not an instant with an offset (%s)', async (_label, start) => {
      expectValidation(await postBooking(t, intake, { intakeId: i.id, supporterId: s.id, start }), ['start']);
    });

    it('missing and malformed ids, bad duration and modality', async () => {
      expectValidation(await postBooking(t, intake, { supporterId: s.id, start: london(3, '12:00').toISO() }), [
        'intakeId',
      ]);
      expectValidation(
        await postBooking(t, intake, { intakeId: 'nope', supporterId: s.id, start: london(3, '12:00').toISO() }),
        ['intakeId'],
      );
      expectValidation(
        await postBooking(t, intake, {
          intakeId: i.id,
          supporterId: s.id,
          start: london(3, '12:00').toISO(),
          durationMinutes: 0,
        }),
        ['durationMinutes'],
      );
      expectValidation(
        await postBooking(t, intake, {
          intakeId: i.id,
          supporterId: s.id,
          start: london(3, '12:00').toISO(),
          modality: 'carrier-pigeon',
        }),
        ['modality'],
      );
      expect(await countRows(t, 'intake_id = $1', [i.id])).toBe(0);
    });
  });

  describe('roles', () => {
    it('intake and admin may book; a supporter is 403; anonymous is 401', async () => {
      const s = await makeSupporter(t, admin);
      const [a, b, c, d] = [
        await makeIntake(t, intake),
        await makeIntake(t, intake),
        await makeIntake(t, intake),
        await makeIntake(t, intake),
      ];
      const supporterUser = (await t.signIn('supporter', s.id)).token;

      const byIntake = await postBooking(t, intake, {
        intakeId: a.id,
        supporterId: s.id,
        start: london(3, '06:00').toISO(),
      });
      expect(byIntake.status).toBe(201);
      const byAdmin = await postBooking(t, admin, {
        intakeId: b.id,
        supporterId: s.id,
        start: london(3, '08:00').toISO(),
      });
      expect(byAdmin.status).toBe(201);
      expectProblem(
        await postBooking(t, supporterUser, { intakeId: c.id, supporterId: s.id, start: london(3, '10:00').toISO() }),
        403,
        'forbidden',
      );
      expectProblem(
        await t
          .http()
          .post('/api/v1/bookings')
          .send({ intakeId: d.id, supporterId: s.id, start: london(3, '12:00').toISO() }),
        401,
        'unauthorized',
      );
      expectProblem(
        await t
          .http()
          .post('/api/v1/bookings')
          .set(auth('not-a-token'))
          .send({ intakeId: d.id, supporterId: s.id, start: london(3, '12:00').toISO() }),
        401,
        'unauthorized',
      );
      expect(await countRows(t, 'supporter_id = $1', [s.id])).toBe(2);
    });

    it('series: intake and admin 201; supporter 403; anonymous 401', async () => {
      const s = await makeSupporter(t, admin);
      const [a, b, c] = [await makeIntake(t, intake), await makeIntake(t, intake), await makeIntake(t, intake)];
      const supporterUser = (await t.signIn('supporter', s.id)).token;
      const body = (id: string, at: string) => ({
        intakeId: id,
        supporterId: s.id,
        start: london(3, at).toISO(),
        count: 2,
        intervalWeeks: 1,
      });
      expect((await t.http().post('/api/v1/bookings/series').set(auth(intake)).send(body(a.id, '06:00'))).status).toBe(
        201,
      );
      expect((await t.http().post('/api/v1/bookings/series').set(auth(admin)).send(body(b.id, '08:00'))).status).toBe(
        201,
      );
      expectProblem(
        await t.http().post('/api/v1/bookings/series').set(auth(supporterUser)).send(body(c.id, '10:00')),
        403,
        'forbidden',
      );
      expectProblem(await t.http().post('/api/v1/bookings/series').send(body(c.id, '10:00')), 401, 'unauthorized');
    });
  });

  it('the database refuses two overlapping confirmed bookings of one supporter even past the API', async () => {
    const s = await makeSupporter(t, admin);
    const [a, b] = [await makeIntake(t, intake), await makeIntake(t, intake)];
    const first = await book(t, intake, a.id, s.id, london(14, '10:00'));
    const start = new Date(Date.parse(first.start) + 20 * 60_000);
    await expect(
      t.ds.query(
        `INSERT INTO bookings (reference, intake_id, supporter_id, caller_id, starts_at, ends_at, blocked_until, modality, status)
         VALUES ('PS-ZZZZ-ZZ', $1, $2, $3, $4, $5, $5, 'phone', 'confirmed')`,
        [b.id, s.id, b.callerId, start, new Date(start.getTime() + DAY / 48)],
      ),
    ).rejects.toThrow(/ex_bookings_supporter_overlap/);
  });
});
