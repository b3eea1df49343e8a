import { startTestApp, TestApp } from '../support/test-app';
import {
  bearer,
  createSupporter,
  DEFAULT_POLICIES,
  expectProblem,
  expectValidation,
  getSlots,
  nextWeekday,
  putPolicies,
  setAvailability,
  Slot,
  wallToIso,
} from '../support/factories';

const POLICIES = '/api/v1/policies';

describe('GET|PUT /api/v1/policies', () => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    t = await startTestApp();
    admin = (await t.signIn('admin')).token;
  });
  afterAll(async () => {
    await t.close();
  });

  it('GET answers exactly the contract defaults (plus the call-back promise and the numbers shown to callers, extensions)', async () => {
    const res = await t.http().get(POLICIES).set(bearer(admin));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      sociableHours: { start: '08:00', end: '20:00', weekdays: [1, 2, 3, 4, 5, 6, 7] },
      defaultDurationMinutes: 50,
      bufferMinutes: 10,
      minimumNoticeMinutes: 120,
      bookingHorizonDays: 92,
      callbackWorkingHours: 24,
      supportLinePhone: null,
      emergencyNumbers: [
        { label: 'Emergency services', number: '999' },
        { label: 'NHS 111 (urgent medical help)', number: '111' },
      ],
      workingHours: { timeZone: 'Europe/London', weekdays: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' },
    });
  });

  it('GET is open to every signed-in role, not to anonymous callers', async () => {
    const intake = (await t.signIn('intake')).token;
    const s = await createSupporter(t, admin);
    const supporter = (await t.signIn('supporter', s.id)).token;
    for (const token of [intake, supporter]) {
      const res = await t.http().get(POLICIES).set(bearer(token));
      expect(res.status).toBe(200);
      expect(res.body).toEqual(DEFAULT_POLICIES);
    }
    expectProblem(await t.http().get(POLICIES), 401, 'unauthorized');
  });

  it('PUT is for admins only: intake and supporter are 403, anonymous 401, and nothing changes', async () => {
    const intake = (await t.signIn('intake')).token;
    const s = await createSupporter(t, admin);
    const supporter = (await t.signIn('supporter', s.id)).token;
    const body = { ...DEFAULT_POLICIES, bufferMinutes: 0 };
    expectProblem(await t.http().put(POLICIES).set(bearer(intake)).send(body), 403, 'forbidden');
    expectProblem(await t.http().put(POLICIES).set(bearer(supporter)).send(body), 403, 'forbidden');
    expectProblem(await t.http().put(POLICIES).send(body), 401, 'unauthorized');
    expect((await t.http().get(POLICIES).set(bearer(admin))).body).toEqual(DEFAULT_POLICIES);
  });

  describe('PUT by an admin', () => {
    afterEach(async () => {
      await putPolicies(t, admin);
    });

    it('replaces the policy and answers it; GET then shows it', async () => {
      const next = {
        sociableHours: { start: '09:00', end: '17:30', weekdays: [1, 2, 3, 4, 5] },
        defaultDurationMinutes: 45,
        bufferMinutes: 15,
        minimumNoticeMinutes: 60,
        bookingHorizonDays: 30,
      };
      // A body with exactly the contract's fields keeps the extensions as they were.
      const kept = {
        callbackWorkingHours: 24,
        supportLinePhone: null,
        emergencyNumbers: DEFAULT_POLICIES.emergencyNumbers,
        workingHours: DEFAULT_POLICIES.workingHours,
      };
      const res = await t.http().put(POLICIES).set(bearer(admin)).send(next);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ ...next, ...kept });
      expect((await t.http().get(POLICIES).set(bearer(admin))).body).toEqual({ ...next, ...kept });
    });

    it('an end of 24:00 and a horizon of 366 days are allowed', async () => {
      const next = {
        ...DEFAULT_POLICIES,
        sociableHours: { start: '00:00', end: '24:00', weekdays: [6, 7] },
        bookingHorizonDays: 366,
      };
      const res = await t.http().put(POLICIES).set(bearer(admin)).send(next);
      expect(res.status).toBe(200);
      expect(res.body).toEqual(next);
    });

    it('the new duration and buffer drive the slot grid', async () => {
      const s = await createSupporter(t, admin, { kind: 'counsellor' });
      await setAvailability(t, admin, s.id, [{ weekday: 1, start: '09:00', end: '10:00' }]);
      await putPolicies(t, admin, { defaultDurationMinutes: 30, bufferMinutes: 0 });
      const monday = nextWeekday('Europe/London', 1);
      const res = await getSlots(t, admin, s.id, {
        from: monday.toUTC().toISO()!,
        to: monday.plus({ days: 1 }).toUTC().toISO()!,
      });
      expect(res.body.slots).toEqual([
        { start: wallToIso(monday, '09:00'), end: wallToIso(monday, '09:30') },
        { start: wallToIso(monday, '09:30'), end: wallToIso(monday, '10:00') },
      ]);
    });

    it('new sociable hours bind peer availability at once', async () => {
      const peer = await createSupporter(t, admin, { kind: 'peer' });
      await putPolicies(t, admin, { sociableHours: { start: '10:00', end: '16:00', weekdays: [1, 2, 3, 4, 5] } });
      const put = (weekly: object[]) =>
        t.http().put(`/api/v1/supporters/${peer.id}/availability`).set(bearer(admin)).send({ weekly });
      expectProblem(await put([{ weekday: 1, start: '09:00', end: '11:00' }]), 422, 'outside_sociable_hours');
      expectProblem(await put([{ weekday: 1, start: '15:00', end: '17:00' }]), 422, 'outside_sociable_hours');
      expectProblem(await put([{ weekday: 6, start: '11:00', end: '12:00' }]), 422, 'outside_sociable_hours');
      expect((await put([{ weekday: 5, start: '10:00', end: '16:00' }])).status).toBe(200);
    });
  });

  describe('PUT validation (400)', () => {
    afterEach(async () => {
      // a refused PUT changes nothing
      expect((await t.http().get(POLICIES).set(bearer(admin))).body).toEqual(DEFAULT_POLICIES);
    });

    const withHours = (h: object) => ({
      ...DEFAULT_POLICIES,
      sociableHours: { ...DEFAULT_POLICIES.sociableHours, ...h },
    });

    it.each([
      ['sociableHours.start "8:00"', withHours({ start: '8:00' }), ['sociableHours.start']],
      ['sociableHours.start "24:00"', withHours({ start: '24:00' }), ['sociableHours.start']],
      ['sociableHours.end "20:60"', withHours({ end: '20:60' }), ['sociableHours.end']],
      ['sociableHours.end before start', withHours({ start: '20:00', end: '08:00' }), ['sociableHours.end']],
      ['sociableHours.end equal to start', withHours({ start: '12:00', end: '12:00' }), ['sociableHours.end']],
      ['weekday 8', withHours({ weekdays: [1, 8] }), ['sociableHours.weekdays']],
      ['weekday 0', withHours({ weekdays: [0, 1] }), ['sociableHours.weekdays']],
      ['no weekdays', withHours({ weekdays: [] }), ['sociableHours.weekdays']],
      ['repeated weekdays', withHours({ weekdays: [1, 1] }), ['sociableHours.weekdays']],
      ['defaultDurationMinutes 0', { ...DEFAULT_POLICIES, defaultDurationMinutes: 0 }, ['defaultDurationMinutes']],
      [
        'defaultDurationMinutes "50"',
        { ...DEFAULT_POLICIES, defaultDurationMinutes: '50' },
        ['defaultDurationMinutes'],
      ],
      ['bufferMinutes -1', { ...DEFAULT_POLICIES, bufferMinutes: -1 }, ['bufferMinutes']],
      ['minimumNoticeMinutes 1.5', { ...DEFAULT_POLICIES, minimumNoticeMinutes: 1.5 }, ['minimumNoticeMinutes']],
      ['bookingHorizonDays 0', { ...DEFAULT_POLICIES, bookingHorizonDays: 0 }, ['bookingHorizonDays']],
      ['bookingHorizonDays 367', { ...DEFAULT_POLICIES, bookingHorizonDays: 367 }, ['bookingHorizonDays']],
      [
        'a missing field',
        (({ minimumNoticeMinutes: _m, ...rest }) => rest)(DEFAULT_POLICIES),
        ['minimumNoticeMinutes'],
      ],
      ['missing sociableHours', (({ sociableHours: _s, ...rest }) => rest)(DEFAULT_POLICIES), ['sociableHours']],
      ['an unknown field', { ...DEFAULT_POLICIES, maxBookingsPerDay: 3 }, ['maxBookingsPerDay']],
      ['an unknown field in sociableHours', withHours({ timeZone: 'Europe/London' }), ['sociableHours.timeZone']],
    ])('%s', async (_label, body, fields) => {
      expectValidation(await t.http().put(POLICIES).set(bearer(admin)).send(body), fields);
    });

    it('working hours: replaced when given (days sorted), kept when left out; bad ones name their field', async () => {
      const week = { timeZone: 'Europe/Dublin', weekdays: [7, 6, 1, 2, 3, 4, 5], start: '08:00', end: '24:00' };
      const put = await t
        .http()
        .put(POLICIES)
        .set(bearer(admin))
        .send({ ...DEFAULT_POLICIES, workingHours: week });
      expect(put.status).toBe(200);
      expect(put.body.workingHours).toEqual({ ...week, weekdays: [1, 2, 3, 4, 5, 6, 7] });
      const { workingHours: _left, ...leftOut } = DEFAULT_POLICIES;
      const kept = await t.http().put(POLICIES).set(bearer(admin)).send(leftOut);
      expect(kept.body.workingHours).toEqual(put.body.workingHours);
      for (const [bad, field] of [
        [{ ...week, timeZone: 'Mars/Olympus' }, 'workingHours.timeZone'],
        [{ ...week, start: '18:00', end: '09:00' }, 'workingHours.end'],
        [{ ...week, weekdays: [] }, 'workingHours.weekdays'],
        [{ ...week, start: '9am' }, 'workingHours.start'],
        ['weekdays', 'workingHours'],
      ] as const) {
        const res = await t
          .http()
          .put(POLICIES)
          .set(bearer(admin))
          .send({ ...DEFAULT_POLICIES, workingHours: bad });
        expectValidation(res, [field]);
      }
      expect((await t.http().get(POLICIES).set(bearer(admin))).body.workingHours).toEqual(put.body.workingHours);
      // PostgreSQL holds the same rule, whoever writes the row
      for (const bad of [
        { ...week, start: '18:00', end: '09:00' },
        { ...week, weekdays: [] },
        { ...week, start: '9am' },
      ])
        await expect(
          t.ds.query(`UPDATE policies SET working_hours = $1 WHERE id = 1`, [JSON.stringify(bad)]),
        ).rejects.toThrow(/ck_policies_working_hours/);
      expect((await t.http().put(POLICIES).set(bearer(admin)).send(DEFAULT_POLICIES)).body).toEqual(DEFAULT_POLICIES);
    });

    it('several bad fields give one entry each', async () => {
      const res = await t
        .http()
        .put(POLICIES)
        .set(bearer(admin))
        .send({
          sociableHours: { start: 'x', end: '20:00', weekdays: [9] },
          defaultDurationMinutes: 0,
          bufferMinutes: 10,
          minimumNoticeMinutes: 120,
          bookingHorizonDays: 1000,
        });
      expectValidation(res, [
        'sociableHours.start',
        'sociableHours.weekdays',
        'defaultDurationMinutes',
        'bookingHorizonDays',
      ]);
    });
  });

  it('GET slots honours minimumNoticeMinutes from the policy', async () => {
    const s = await createSupporter(t, admin, { kind: 'counsellor' });
    await setAvailability(
      t,
      admin,
      s.id,
      [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '00:00', end: '24:00' })),
    );
    await putPolicies(t, admin, { minimumNoticeMinutes: 600 });
    try {
      const before = Date.now();
      const res = await getSlots(t, admin, s.id, {
        from: new Date(before).toISOString(),
        to: new Date(before + 2 * 86_400_000).toISOString(),
      });
      expect(res.body.slots.length).toBeGreaterThan(0);
      for (const x of res.body.slots as Slot[])
        expect(Date.parse(x.start)).toBeGreaterThanOrEqual(before + 600 * 60_000);
    } finally {
      await putPolicies(t, admin);
    }
  });
});
