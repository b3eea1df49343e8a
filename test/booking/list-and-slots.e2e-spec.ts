import { startTestApp, TestApp } from '../support/test-app';
import {
  action,
  auth,
  book,
  BookingView,
  expectProblem,
  london,
  makeIntake,
  makeSupporter,
  postBooking,
  Supporter,
  utc,
} from '../support/booking-factories';

describe('GET /bookings and GET /supporters/:id/slots', () => {
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

  // one user per supporter (a supporter user is linked to one supporter)
  const supporterTokens = new Map<string, string>();
  const asSupporter = async (supporterId: string): Promise<string> => {
    if (!supporterTokens.has(supporterId))
      supporterTokens.set(supporterId, (await t.signIn('supporter', supporterId)).token);
    return supporterTokens.get(supporterId)!;
  };

  const list = (token: string, query: Record<string, string> = {}) =>
    t.http().get('/api/v1/bookings').set(auth(token)).query(query);
  const ids = (body: { bookings: BookingView[] }) => body.bookings.map((b) => b.id).sort();

  describe('GET /bookings', () => {
    let s1: Supporter;
    let s2: Supporter;
    let callerA: string;
    let callerB: string;
    let a1: BookingView; // s1, caller A, day 3
    let a2: BookingView; // s1, caller A, day 10
    let b1: BookingView; // s2, caller B, day 3
    let b2: BookingView; // s1, caller B, day 5

    beforeAll(async () => {
      s1 = await makeSupporter(t, admin);
      s2 = await makeSupporter(t, admin);
      const ia = await makeIntake(t, intake, {
        caller: {
          name: 'Dr Alpha Caller',
          email: 'alpha@test.local',
          specialty: 'Marker-Specialty-Cardiology',
          ethnicity: 'Marker-Ethnicity',
          age: 41,
          workplace: 'Marker-Workplace Trust',
          gender: 'Marker-Gender',
        },
      });
      const ib = await makeIntake(t, intake, { caller: { name: 'Dr Beta Caller' } });
      callerA = ia.callerId;
      callerB = ib.callerId;
      a1 = await book(t, intake, ia.id, s1.id, london(3, '09:00'));
      a2 = await book(t, intake, ia.id, s1.id, london(10, '09:00'));
      b1 = await book(t, intake, ib.id, s2.id, london(3, '09:00'));
      const ib2 = await makeIntake(t, intake, {
        caller: {
          name: 'Dr Beta Caller',
          phone: (await t.ds.query('SELECT phone FROM callers WHERE id = $1', [callerB]))[0].phone,
        },
      });
      expect(ib2.callerId).toBe(callerB);
      b2 = await book(t, intake, ib2.id, s1.id, london(5, '09:00'));
    });

    it('filters by supporterId, in start order', async () => {
      const res = await list(intake, { supporterId: s1.id });
      expect(res.status).toBe(200);
      expect(res.body.bookings.map((b: BookingView) => b.id)).toEqual([a1.id, b2.id, a2.id]);
      expect(ids((await list(intake, { supporterId: s2.id })).body)).toEqual([b1.id]);
    });

    it('filters by callerId', async () => {
      expect(ids((await list(intake, { callerId: callerA })).body)).toEqual([a1.id, a2.id].sort());
      expect(ids((await list(intake, { callerId: callerB })).body)).toEqual([b1.id, b2.id].sort());
      expect(ids((await list(intake, { callerId: callerB, supporterId: s1.id })).body)).toEqual([b2.id]);
    });

    it('filters by from and to (sessions starting in [from, to))', async () => {
      const from = utc(london(4, '00:00'));
      const to = utc(london(6, '00:00'));
      expect(ids((await list(intake, { supporterId: s1.id, from, to })).body)).toEqual([b2.id]);
      expect(ids((await list(intake, { supporterId: s1.id, from })).body)).toEqual([b2.id, a2.id].sort());
      expect(ids((await list(intake, { supporterId: s1.id, to })).body)).toEqual([a1.id, b2.id].sort());
      // `from` exactly at a start includes it
      expect(ids((await list(intake, { supporterId: s1.id, from: b2.start, to })).body)).toEqual([b2.id]);
    });

    it('bad filters are 400', async () => {
      expectProblem(await list(intake, { from: '2027-01-01T00:00:00' }), 400, 'validation_failed');
      expectProblem(await list(intake, { supporterId: 'not-a-uuid' }), 400, 'validation_failed');
    });

    it('anonymous is 401', async () => {
      expectProblem(await t.http().get('/api/v1/bookings'), 401, 'unauthorized');
    });

    it('a supporter sees only its own bookings, whatever supporterId it asks for', async () => {
      const user = await asSupporter(s2.id);
      for (const query of [{}, { supporterId: s1.id }, { callerId: callerA }, { supporterId: s2.id }] as Record<
        string,
        string
      >[]) {
        const res = await list(user, query);
        expect(res.status).toBe(200);
        for (const b of res.body.bookings as BookingView[]) expect(b.supporterId).toBe(s2.id);
        expect(res.body.bookings.map((b: BookingView) => b.id)).not.toContain(a1.id);
      }
      expect(ids((await list(user, {})).body)).toEqual([b1.id]);
      const askedForOther = ids((await list(user, { supporterId: s1.id })).body);
      for (const other of [a1.id, a2.id, b2.id]) expect(askedForOther).not.toContain(other);
    });

    it("a supporter cannot read another supporter's booking by id", async () => {
      const user = await asSupporter(s2.id);
      const res = await t.http().get(`/api/v1/bookings/${a1.id}`).set(auth(user));
      expect([403, 404]).toContain(res.status);
      expect(res.text).not.toContain('Dr Alpha Caller');
    });

    it('each booking a supporter sees carries caller:{name,phone,email} and nothing else about the caller', async () => {
      const user = await asSupporter(s1.id);
      const res = await list(user);
      expect(res.status).toBe(200);
      expect(res.body.bookings).toHaveLength(3);
      for (const b of res.body.bookings as BookingView[]) {
        expect(b.caller).toBeDefined();
        expect(Object.keys(b.caller!).sort()).toEqual(['email', 'name', 'phone']);
      }
      const alpha = (res.body.bookings as BookingView[]).find((b) => b.id === a1.id)!;
      expect(alpha.caller).toEqual({
        name: 'Dr Alpha Caller',
        phone: expect.stringMatching(/^\+44/),
        email: 'alpha@test.local',
      });
      for (const marker of [
        'Marker-Specialty',
        'Marker-Ethnicity',
        'Marker-Workplace',
        'Marker-Gender',
        'immediateDanger',
        'risk',
        'specialty',
        'ethnicity',
        'workplace',
        '"age"',
      ]) {
        expect(res.text).not.toContain(marker);
      }
      // one booking read by id says no more either
      const one = await t.http().get(`/api/v1/bookings/${a1.id}`).set(auth(user));
      expect(one.status).toBe(200);
      expect(Object.keys(one.body.caller).sort()).toEqual(['email', 'name', 'phone']);
      for (const marker of ['Marker-Specialty', 'Marker-Ethnicity', 'Marker-Workplace', 'risk', '"age"'])
        expect(one.text).not.toContain(marker);
    });

    it("staff lists do not carry the caller's sensitive details either", async () => {
      const res = await list(intake, { callerId: callerA });
      for (const marker of ['Marker-Specialty', 'Marker-Ethnicity', 'Marker-Workplace'])
        expect(res.text).not.toContain(marker);
    });
  });

  describe('GET /supporters/:id/slots', () => {
    const slotsOf = async (supporterId: string, day: number): Promise<string[]> => {
      const res = await t
        .http()
        .get(`/api/v1/supporters/${supporterId}/slots`)
        .set(auth(intake))
        .query({ from: utc(london(day, '00:00')), to: utc(london(day + 1, '00:00')) });
      expect(res.status).toBe(200);
      return (res.body.slots as { start: string }[]).map((s) => s.start);
    };

    it('leaves out booked time (with its buffer) and shows it again after cancel', async () => {
      const day = london(4, '00:00');
      const s = await makeSupporter(t, admin, {}, [{ weekday: day.weekday, start: '09:00', end: '13:00' }]);
      const grid = ['09:00', '10:00', '11:00', '12:00'].map((h) => utc(london(4, h)));
      expect(await slotsOf(s.id, 4)).toEqual(grid);

      const i = await makeIntake(t, intake);
      const b = await book(t, intake, i.id, s.id, london(4, '10:00'));
      expect(await slotsOf(s.id, 4)).toEqual([grid[0], grid[2], grid[3]]);

      expect((await action(t, intake, b.id, 'cancel', { reason: 'freed' })).status).toBe(200);
      expect(await slotsOf(s.id, 4)).toEqual(grid);
    });

    it('an off-grid booking also hides the slots its buffer touches (10:07–10:57, blocked to 11:07)', async () => {
      const day = london(5, '00:00');
      const s = await makeSupporter(t, admin, {}, [{ weekday: day.weekday, start: '09:00', end: '13:00' }]);
      const i = await makeIntake(t, intake);
      await book(t, intake, i.id, s.id, london(5, '10:07'));
      const slots = await slotsOf(s.id, 5);
      expect(slots).not.toContain(utc(london(5, '10:00')));
      expect(slots).not.toContain(utc(london(5, '11:00')));
      expect(slots).toContain(utc(london(5, '09:00')));
      expect(slots).toContain(utc(london(5, '12:00')));
      // every slot offered is bookable
      for (const start of slots) {
        const other = await makeIntake(t, intake);
        expect((await postBooking(t, intake, { intakeId: other.id, supporterId: s.id, start })).status).toBe(201);
      }
    });

    it("a supporter may read its own slots but not another's", async () => {
      const [s1, s2] = [await makeSupporter(t, admin), await makeSupporter(t, admin)];
      const user = await asSupporter(s1.id);
      const q = { from: utc(london(3, '00:00')), to: utc(london(4, '00:00')) };
      expect((await t.http().get(`/api/v1/supporters/${s1.id}/slots`).set(auth(user)).query(q)).status).toBe(200);
      expectProblem(await t.http().get(`/api/v1/supporters/${s2.id}/slots`).set(auth(user)).query(q), 403, 'forbidden');
    });
  });
});
