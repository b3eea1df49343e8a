import { startTestApp, TestApp } from '../support/test-app';
import {
  assign,
  auth,
  dramaPhone,
  expectProblem,
  getMatches,
  intakeBody,
  makeIntake,
  makeSupporter,
  postBooking,
  postIntake,
} from '../support/intake-factories';

describe('Callers and intakes', () => {
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

  describe('POST /intakes', () => {
    it('creates an open intake and a caller whose phone is stored as E.164', async () => {
      const phone = dramaPhone();
      const res = await postIntake(t, intakeToken, intakeBody({ caller: { phone: phone.national } }));
      expect(res.status).toBe(201);
      expect(res.body).toEqual({ id: expect.any(String), callerId: expect.any(String), status: 'open' });
      const rows = await t.ds.query('SELECT phone, time_zone FROM callers WHERE id = $1', [res.body.callerId]);
      expect(rows).toEqual([{ phone: phone.e164, time_zone: 'Europe/London' }]);
      const get = await t.http().get(`/api/v1/intakes/${res.body.id}`).set(auth(intakeToken));
      expect(get.status).toBe(200);
      expect(get.body).toEqual(
        expect.objectContaining({
          id: res.body.id,
          callerId: res.body.callerId,
          status: 'open',
          service: 'peer_support',
          channel: 'phone',
        }),
      );
    });

    it('recognises a returning caller by any spelling of the same number', async () => {
      const phone = dramaPhone();
      const spellings = [
        phone.national,
        phone.e164,
        phone.digits,
        `+44 (0)${phone.national.slice(1)}`,
        `+44 ${phone.national.slice(1)}`,
      ];
      const callerIds: string[] = [];
      for (const spelling of spellings) {
        const res = await postIntake(t, intakeToken, intakeBody({ caller: { phone: spelling } }));
        expect(res.status).toBe(201);
        callerIds.push(res.body.callerId);
      }
      expect(new Set(callerIds).size).toBe(1);
      const rows = await t.ds.query('SELECT id FROM callers WHERE phone = $1', [phone.e164]);
      expect(rows).toEqual([{ id: callerIds[0] }]);
    });

    it('recognises a returning caller by e-mail in any letter case, even from another number', async () => {
      const local = `sam.example.${Date.now()}`;
      const first = await makeIntake(t, intakeToken, { caller: { email: `${local}@Example.org` } });
      const second = await makeIntake(t, intakeToken, { caller: { email: `${local.toUpperCase()}@EXAMPLE.ORG` } });
      expect(second.callerId).toBe(first.callerId);
    });

    it('still recognises a caller by an earlier number after they called from a new one with the same e-mail', async () => {
      const first = dramaPhone();
      const second = dramaPhone();
      const email = `two-phones-${Date.now()}@example.org`;
      const a = await makeIntake(t, intakeToken, { caller: { phone: first.national, email } });
      const b = await makeIntake(t, intakeToken, { caller: { phone: second.national, email } });
      expect(b.callerId).toBe(a.callerId);
      // Same normalised phone as a call before: the same caller (CONTRACT "Callers and intakes").
      const c = await makeIntake(t, intakeToken, { caller: { phone: first.e164 } });
      expect(c.callerId).toBe(a.callerId);
    });

    it('three simultaneous first calls from one new number make one caller', async () => {
      const phone = dramaPhone();
      const spellings = [phone.national, phone.e164, phone.digits];
      const results = await Promise.all(
        spellings.map((p) => postIntake(t, intakeToken, intakeBody({ caller: { phone: p } }))),
      );
      expect(results.map((r) => r.status)).toEqual([201, 201, 201]);
      expect(new Set(results.map((r) => r.body.callerId)).size).toBe(1);
      await expect(
        t.ds.query('SELECT count(*)::int AS n FROM callers WHERE phone = $1', [phone.e164]),
      ).resolves.toEqual([{ n: 1 }]);
    });

    it('gives a different number with no shared e-mail a different caller', async () => {
      const a = await makeIntake(t, intakeToken);
      const b = await makeIntake(t, intakeToken);
      expect(a.callerId).not.toBe(b.callerId);
    });

    it.each(['12345', 'call me maybe', '07700 9OO123', ''])(
      'refuses the impossible number %p with 400 on caller.phone',
      async (phone) => {
        const res = await postIntake(t, intakeToken, intakeBody({ caller: { phone } }));
        expectProblem(res, 400, 'validation_failed');
        expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['caller.phone']);
      },
    );

    it.each([
      ['privacyNotice false', { consent: { privacyNotice: false } }],
      ['privacyNotice missing', { consent: {} }],
      ['privacyNotice "true" as a string', { consent: { privacyNotice: 'true' } }],
    ])('refuses consent with %s (400)', async (_label, over) => {
      const res = await postIntake(t, intakeToken, intakeBody(over));
      expectProblem(res, 400, 'validation_failed');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['consent.privacyNotice']);
    });

    it('refuses a missing consent object (400) and creates no caller', async () => {
      const phone = dramaPhone();
      const body = intakeBody({ caller: { phone: phone.national } });
      delete body.consent;
      const res = await postIntake(t, intakeToken, body);
      expectProblem(res, 400, 'validation_failed');
      expect(res.body.errors.map((e: { field: string }) => e.field.split('.')[0])).toContain('consent');
      await expect(t.ds.query('SELECT id FROM callers WHERE phone = $1', [phone.e164])).resolves.toEqual([]);
    });

    it('refuses an unknown caller time zone (400)', async () => {
      const res = await postIntake(t, intakeToken, intakeBody({ caller: { timeZone: 'Mars/Olympus_Mons' } }));
      expectProblem(res, 400, 'validation_failed');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['caller.timeZone']);
    });

    it('signposts a caller in immediate danger to their GP, NHS 111 and A&E / 999', async () => {
      const res = await postIntake(t, intakeToken, intakeBody({ risk: { immediateDanger: true } }));
      expect(res.status).toBe(201);
      expect(res.body.status).toBe('signposted');
      const text: string = res.body.signposting.text;
      expect(text).toMatch(/not an emergency service/i);
      expect(text).toMatch(/\bGP\b/);
      expect(text).toMatch(/NHS 111/);
      expect(text).toMatch(/A&E/);
      expect(text).toMatch(/999/);
      const get = await t.http().get(`/api/v1/intakes/${res.body.id}`).set(auth(intakeToken));
      expect(get.body.status).toBe('signposted');
    });

    it('nothing is matched, assigned or booked for a signposted intake (422 intake_not_bookable)', async () => {
      const supporter = await makeSupporter(t, adminToken);
      const intake = await makeIntake(t, intakeToken, { risk: { immediateDanger: true } });
      expect(intake.status).toBe('signposted');

      expectProblem(await getMatches(t, intakeToken, intake.id), 422, 'intake_not_bookable');
      expectProblem(await assign(t, intakeToken, intake.id, supporter.id), 422, 'intake_not_bookable');
      const start = new Date(Date.now() + 3 * 86_400_000);
      start.setUTCHours(10, 0, 0, 0);
      const booking = await postBooking(t, intakeToken, {
        intakeId: intake.id,
        supporterId: supporter.id,
        start: start.toISOString(),
      });
      expectProblem(booking, 422, 'intake_not_bookable');
      await expect(
        t.ds.query('SELECT count(*)::int AS n FROM bookings WHERE intake_id = $1', [intake.id]),
      ).resolves.toEqual([{ n: 0 }]);
      const after = await t.http().get(`/api/v1/intakes/${intake.id}`).set(auth(intakeToken));
      expect(after.body).toEqual(expect.objectContaining({ status: 'signposted', supporterId: null }));
    });

    it('names the Doctor Support Service for a caller under GMC investigation, and stays open', async () => {
      const res = await postIntake(t, intakeToken, intakeBody({ gmcInvestigation: true }));
      expect(res.status).toBe(201);
      expect(res.body.status).toBe('open');
      expect(res.body.signposting.text).toMatch(/Doctor Support Service/);
      expect(res.body.signposting.text).not.toMatch(/999/);
    });

    it('in danger and under GMC investigation: signposted, and names both', async () => {
      const res = await postIntake(
        t,
        intakeToken,
        intakeBody({ risk: { immediateDanger: true }, gmcInvestigation: true }),
      );
      expect(res.status).toBe(201);
      expect(res.body.status).toBe('signposted');
      expect(res.body.signposting.text).toMatch(/999/);
      expect(res.body.signposting.text).toMatch(/Doctor Support Service/);
    });

    it('gives an ordinary intake no signposting', async () => {
      const res = await postIntake(t, intakeToken, intakeBody({ gmcInvestigation: false }));
      expect(res.status).toBe(201);
      expect(res.body.status).toBe('open');
      expect(res.body.signposting).toBeUndefined();
    });
  });

  describe('GET /intakes', () => {
    type Row = { id: string; status: string; service: string; channel: string; createdAt: string };
    const list = async (query: Record<string, string | number>) => {
      const res = await t.http().get('/api/v1/intakes').query(query).set(auth(intakeToken));
      if (res.status !== 200) throw new Error(`list: ${res.status} ${res.text}`);
      return res.body as { intakes: Row[]; nextCursor: string | null };
    };

    it('lists newest first', async () => {
      const a = await makeIntake(t, intakeToken);
      const b = await makeIntake(t, intakeToken);
      const { intakes } = await list({ limit: 200 });
      const times = intakes.map((i) => Date.parse(i.createdAt));
      expect(times).toEqual([...times].sort((x, y) => y - x));
      const ids = intakes.map((i) => i.id);
      expect(ids.indexOf(b.id)).toBeGreaterThanOrEqual(0);
      expect(ids.indexOf(b.id)).toBeLessThan(ids.indexOf(a.id));
    });

    it('filters by status, service and channel', async () => {
      const counselling = await makeIntake(t, intakeToken, { service: 'counselling' });
      const peer = await makeIntake(t, intakeToken, { service: 'peer_support' });
      const signposted = await makeIntake(t, intakeToken, { risk: { immediateDanger: true } });
      // A web request, made directly (self-referral is another library's endpoint).
      const [web] = await t.ds.query(
        `INSERT INTO intakes (caller_id, service, channel, status, immediate_danger, consented_at)
         VALUES ($1, 'counselling', 'web', 'open', false, now()) RETURNING id`,
        [counselling.callerId],
      );

      const byService = await list({ service: 'counselling', limit: 200 });
      expect(byService.intakes.every((i) => i.service === 'counselling')).toBe(true);
      expect(byService.intakes.map((i) => i.id)).toEqual(expect.arrayContaining([counselling.id, web.id]));
      expect(byService.intakes.map((i) => i.id)).not.toContain(peer.id);

      const byStatus = await list({ status: 'signposted', limit: 200 });
      expect(byStatus.intakes.every((i) => i.status === 'signposted')).toBe(true);
      expect(byStatus.intakes.map((i) => i.id)).toContain(signposted.id);
      expect(byStatus.intakes.map((i) => i.id)).not.toContain(peer.id);

      const byChannel = await list({ channel: 'web', limit: 200 });
      expect(byChannel.intakes.map((i) => i.id)).toEqual([web.id]);
      const phone = await list({ channel: 'phone', limit: 200 });
      expect(phone.intakes.every((i) => i.channel === 'phone')).toBe(true);
      expect(phone.intakes.map((i) => i.id)).toEqual(expect.arrayContaining([counselling.id, peer.id, signposted.id]));
      expect(phone.intakes.map((i) => i.id)).not.toContain(web.id);

      const combined = await list({ service: 'counselling', channel: 'phone', status: 'open', limit: 200 });
      expect(combined.intakes.map((i) => i.id)).toContain(counselling.id);
      expect(
        combined.intakes.every((i) => i.service === 'counselling' && i.channel === 'phone' && i.status === 'open'),
      ).toBe(true);
    });

    it('filters by creation time: from inclusive, to exclusive', async () => {
      const made = [
        await makeIntake(t, intakeToken),
        await makeIntake(t, intakeToken),
        await makeIntake(t, intakeToken),
      ];
      const days = ['2026-01-01T10:00:00.000Z', '2026-01-02T10:00:00.000Z', '2026-01-03T10:00:00.000Z'];
      for (const [i, m] of made.entries())
        await t.ds.query('UPDATE intakes SET created_at = $2 WHERE id = $1', [m.id, days[i]]);

      const middle = await list({ from: '2026-01-02T00:00:00Z', to: '2026-01-03T00:00:00Z', limit: 200 });
      expect(middle.intakes.map((i) => i.id)).toEqual([made[1].id]);
      expect(middle.intakes[0].createdAt).toBe(days[1]);

      const fromExact = await list({ from: days[1], to: '2026-01-04T00:00:00+00:00', limit: 200 });
      expect(fromExact.intakes.map((i) => i.id)).toEqual([made[2].id, made[1].id]);

      const toExact = await list({ from: '2025-12-31T00:00:00Z', to: days[1], limit: 200 });
      expect(toExact.intakes.map((i) => i.id)).toEqual([made[0].id]);

      // An offset other than Z means the same instant: 11:00+01:00 is 10:00Z.
      const withOffset = await list({ from: '2026-01-03T11:00:00+01:00', to: '2026-01-03T11:00:01+01:00', limit: 200 });
      expect(withOffset.intakes.map((i) => i.id)).toEqual([made[2].id]);
    });

    it('pages with a cursor: limit=2 gives nextCursor, following it gives the rest, no duplicates, no gaps', async () => {
      for (let i = 0; i < 5; i++) await makeIntake(t, intakeToken);
      const all = await list({ limit: 200 });
      expect(all.nextCursor).toBeNull();
      expect(all.intakes.length).toBeGreaterThanOrEqual(5);

      const first = await list({ limit: 2 });
      expect(first.intakes).toHaveLength(2);
      expect(typeof first.nextCursor).toBe('string');
      const second = await list({ limit: 2, cursor: first.nextCursor! });
      expect(second.intakes).toHaveLength(2);
      expect(second.intakes.map((i) => i.id)).toEqual(all.intakes.slice(2, 4).map((i) => i.id));

      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page = await list(cursor ? { limit: 2, cursor } : { limit: 2 });
        expect(page.intakes.length).toBeLessThanOrEqual(2);
        seen.push(...page.intakes.map((i) => i.id));
        cursor = page.nextCursor;
        pages++;
      } while (cursor && pages < 500);
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen).toEqual(all.intakes.map((i) => i.id));
    });

    it('pages the same way with filters, including rows created in the same instant', async () => {
      const made = [] as string[];
      for (let i = 0; i < 4; i++) made.push((await makeIntake(t, intakeToken, { service: 'counselling' })).id);
      // Same created_at for all four: the id breaks the tie, and the cursor must keep it.
      await t.ds.query(`UPDATE intakes SET created_at = '2025-06-01T12:00:00Z' WHERE id = ANY($1)`, [made]);
      const query = { service: 'counselling', from: '2025-06-01T00:00:00Z', to: '2025-06-02T00:00:00Z' };
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page = await list({ ...query, limit: 2, ...(cursor ? { cursor } : {}) });
        seen.push(...page.intakes.map((i) => i.id));
        cursor = page.nextCursor;
      } while (cursor && seen.length < 100);
      expect(seen).toHaveLength(4);
      expect(new Set(seen)).toEqual(new Set(made));
    });

    it('pages without gaps when rows differ only in microseconds (PostgreSQL keeps them; now() has them)', async () => {
      const made = [] as string[];
      for (let i = 0; i < 3; i++) made.push((await makeIntake(t, intakeToken, { service: 'counselling' })).id);
      const stamps = ['2025-07-01T12:00:00.123400Z', '2025-07-01T12:00:00.123300Z', '2025-07-01T12:00:00.123200Z'];
      for (const [i, id] of made.entries())
        await t.ds.query('UPDATE intakes SET created_at = $2::timestamptz WHERE id = $1', [id, stamps[i]]);
      const query = { from: '2025-07-01T00:00:00Z', to: '2025-07-02T00:00:00Z' };
      const all = await list({ ...query, limit: 200 });
      expect(all.intakes.map((i) => i.id)).toEqual(made);
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page = await list({ ...query, limit: 1, ...(cursor ? { cursor } : {}) });
        seen.push(...page.intakes.map((i) => i.id));
        cursor = page.nextCursor;
        pages++;
      } while (cursor && pages < 10);
      expect(seen).toEqual(made);
    });

    it('refuses a from that is not an instant (400)', async () => {
      const res = await t.http().get('/api/v1/intakes').query({ from: 'yesterday' }).set(auth(intakeToken));
      expectProblem(res, 400, 'validation_failed');
    });

    it('refuses a cursor it did not give out (400)', async () => {
      const res = await t.http().get('/api/v1/intakes').query({ cursor: 'not-a-cursor' }).set(auth(intakeToken));
      expectProblem(res, 400, 'validation_failed');
    });

    it('refuses a bad filter value (400)', async () => {
      const res = await t.http().get('/api/v1/intakes').query({ status: 'lost' }).set(auth(intakeToken));
      expectProblem(res, 400, 'validation_failed');
    });
  });

  describe('lifecycle: close and withdraw', () => {
    const close = (id: string) => t.http().post(`/api/v1/intakes/${id}/close`).set(auth(intakeToken));
    const withdraw = (id: string) => t.http().post(`/api/v1/intakes/${id}/withdraw`).set(auth(intakeToken));

    it('closes an open intake; closing it again is 409 invalid_transition', async () => {
      const intake = await makeIntake(t, intakeToken);
      const res = await close(intake.id);
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('closed');
      expectProblem(await close(intake.id), 409, 'invalid_transition');
      expectProblem(await withdraw(intake.id), 409, 'invalid_transition');
      const get = await t.http().get(`/api/v1/intakes/${intake.id}`).set(auth(intakeToken));
      expect(get.body.status).toBe('closed');
    });

    it('withdraws an open intake; withdrawing or closing it afterwards is 409', async () => {
      const intake = await makeIntake(t, intakeToken);
      const res = await withdraw(intake.id);
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('withdrawn');
      expectProblem(await withdraw(intake.id), 409, 'invalid_transition');
      expectProblem(await close(intake.id), 409, 'invalid_transition');
    });

    it('a signposted intake can be neither withdrawn nor closed (409)', async () => {
      const intake = await makeIntake(t, intakeToken, { risk: { immediateDanger: true } });
      expectProblem(await withdraw(intake.id), 409, 'invalid_transition');
      expectProblem(await close(intake.id), 409, 'invalid_transition');
      const get = await t.http().get(`/api/v1/intakes/${intake.id}`).set(auth(intakeToken));
      expect(get.body.status).toBe('signposted');
    });

    it('closes an assigned intake, which then cannot be assigned again (422 intake_not_bookable)', async () => {
      const supporter = await makeSupporter(t, adminToken);
      const intake = await makeIntake(t, intakeToken);
      const assigned = await assign(t, intakeToken, intake.id, supporter.id);
      expect(assigned.status).toBe(200);
      const res = await close(intake.id);
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('closed');
      expectProblem(await assign(t, intakeToken, intake.id, supporter.id), 422, 'intake_not_bookable');
    });

    it('a withdrawn intake cannot be assigned (422 intake_not_bookable)', async () => {
      const supporter = await makeSupporter(t, adminToken);
      const intake = await makeIntake(t, intakeToken);
      expect((await withdraw(intake.id)).status).toBe(200);
      expectProblem(await assign(t, intakeToken, intake.id, supporter.id), 422, 'intake_not_bookable');
    });

    it('an unknown intake is 404', async () => {
      const id = '00000000-0000-4000-8000-000000000000';
      expectProblem(await close(id), 404, 'not_found');
      expectProblem(await t.http().get(`/api/v1/intakes/${id}`).set(auth(intakeToken)), 404, 'not_found');
    });
  });
});
