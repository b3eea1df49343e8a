import { randomUUID } from 'node:crypto';
import { startTestApp, TestApp } from '../support/test-app';
import {
  bearer,
  bookFor,
  Desk,
  expectStatus,
  intakeFor,
  makeCounsellor,
  openDesk,
  person,
} from '../support/privacy-factories';

describe('callers: look-up by phone, the caller record, least disclosure', () => {
  let t: TestApp;
  let desk: Desk;

  beforeAll(async () => {
    t = await startTestApp();
    desk = await openDesk(t);
  });
  afterAll(async () => {
    await t.close();
  });

  const lookup = (phone: string | undefined, token?: string) => {
    const req = t.http().get('/api/v1/callers');
    if (token) req.set(bearer(token));
    return phone === undefined ? req : req.query({ phone });
  };

  describe('GET /callers?phone=', () => {
    it('intake and admin find the caller by any spelling of the number', async () => {
      const p = person();
      const intake = await intakeFor(t, desk.intake, p);
      const spellings = [
        p.phone,
        p.e164,
        p.digits,
        `+44 ${p.national.slice(0, 4)} ${p.national.slice(4)}`,
        `(0${p.national.slice(0, 4)}) ${p.national.slice(4, 7)}-${p.national.slice(7)}`,
        `0044${p.national}`,
        `+44 (0)${p.national}`,
      ];
      for (const token of [desk.intake, desk.admin]) {
        for (const spelling of spellings) {
          const res = await lookup(spelling, token);
          expect({ spelling, status: res.status }).toEqual({ spelling, status: 200 });
          expect(res.body.callers).toEqual([{ id: intake.callerId, name: p.name, phone: p.e164, email: p.email }]);
        }
      }
    });

    it('an unknown (but possible) number finds nobody', async () => {
      const res = await lookup('07700 900999', desk.intake);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ callers: [] });
    });

    it('after a booking the caller carries lastSupporter', async () => {
      const p = person();
      const intake = await intakeFor(t, desk.intake, p);
      const before = await lookup(p.phone, desk.intake);
      expect(before.body.callers).toHaveLength(1);
      expect(before.body.callers[0]).not.toHaveProperty('lastSupporter');

      await bookFor(t, desk.intake, intake.id, desk.supporterId);
      const after = await lookup(p.e164, desk.intake);
      expect(after.status).toBe(200);
      expect(after.body.callers).toEqual([
        {
          id: intake.callerId,
          name: p.name,
          phone: p.e164,
          email: p.email,
          lastSupporter: { supporterId: desk.supporterId, displayName: desk.supporterName },
        },
      ]);
    });

    it('without phone → 400 naming phone', async () => {
      const res = await lookup(undefined, desk.intake);
      expectStatus(res, 400, 'validation_failed');
      expect((res.body.errors as { field: string }[]).map((e) => e.field)).toContain('phone');
    });

    it.each(['12345', 'not-a-number', 'abc 123 def', '+44'])(
      'an impossible number (%s) → 400 naming phone',
      async (phone) => {
        const res = await lookup(phone, desk.intake);
        expectStatus(res, 400, 'validation_failed');
        expect((res.body.errors as { field: string }[]).map((e) => e.field)).toEqual(['phone']);
      },
    );

    it('a supporter → 403; nobody signed in → 401', async () => {
      expectStatus(await lookup('07700 900001', desk.supporter), 403, 'forbidden');
      expectStatus(await lookup('07700 900001'), 401, 'unauthorized');
      expectStatus(await lookup('07700 900001', 'not-a-token'), 401, 'unauthorized');
    });
  });

  describe('GET /callers/:id', () => {
    it('the caller with their intakes, bookings and the supporters they have seen', async () => {
      const p = person();
      const first = await intakeFor(t, desk.intake, p);
      const second = await intakeFor(t, desk.intake, p);
      expect(second.callerId).toBe(first.callerId);
      const b = await bookFor(t, desk.intake, first.id, desk.supporterId);

      for (const token of [desk.intake, desk.admin]) {
        const res = await t.http().get(`/api/v1/callers/${first.callerId}`).set(bearer(token));
        expect(res.status).toBe(200);
        expect(res.body).toEqual(
          expect.objectContaining({
            id: first.callerId,
            name: p.name,
            phone: p.e164,
            email: p.email,
            specialty: p.specialty,
            workplace: p.workplace,
            ethnicity: p.ethnicity,
            gender: p.gender,
            age: p.age,
            erasedAt: null,
          }),
        );
        expect((res.body.intakes as { id: string }[]).map((i) => i.id).sort()).toEqual([first.id, second.id].sort());
        expect(res.body.bookings).toEqual([
          expect.objectContaining({
            id: b.id,
            reference: b.reference,
            status: 'confirmed',
            supporterId: desk.supporterId,
          }),
        ]);
        expect(res.body.supportersSeen).toEqual([
          expect.objectContaining({ supporterId: desk.supporterId, displayName: desk.supporterName }),
        ]);
      }
    });

    it('unknown id → 404, not a uuid → 400', async () => {
      expectStatus(await t.http().get(`/api/v1/callers/${randomUUID()}`).set(bearer(desk.intake)), 404, 'not_found');
      expectStatus(await t.http().get('/api/v1/callers/not-a-uuid').set(bearer(desk.intake)), 400, 'validation_failed');
    });

    it('a supporter → 403 (even for its own caller); nobody signed in → 401', async () => {
      const p = person();
      const intake = await intakeFor(t, desk.intake, p);
      await bookFor(t, desk.intake, intake.id, desk.supporterId);
      expectStatus(
        await t.http().get(`/api/v1/callers/${intake.callerId}`).set(bearer(desk.supporter)),
        403,
        'forbidden',
      );
      expectStatus(await t.http().get(`/api/v1/callers/${intake.callerId}`), 401, 'unauthorized');
    });
  });

  describe('least disclosure to a supporter', () => {
    it("GET /bookings shows the supporter's own callers as {name, phone, email} only", async () => {
      const p = person();
      const intake = await intakeFor(t, desk.intake, p);
      const b = await bookFor(t, desk.intake, intake.id, desk.supporterId);

      const res = await t.http().get('/api/v1/bookings').set(bearer(desk.supporter));
      expect(res.status).toBe(200);
      const mine = res.body.bookings as { id: string; supporterId: string; caller: Record<string, unknown> }[];
      expect(mine.length).toBeGreaterThan(0);
      for (const booking of mine) {
        expect(booking.supporterId).toBe(desk.supporterId);
        expect(Object.keys(booking.caller).sort()).toEqual(['email', 'name', 'phone']);
      }
      expect(mine.find((x) => x.id === b.id)!.caller).toEqual({ name: p.name, phone: p.e164, email: p.email });
      for (const secret of [p.ethnicity, p.specialty, p.workplace, p.gender]) expect(res.text).not.toContain(secret);
      expect(res.text).not.toMatch(
        /"(ethnicity|age|specialty|workplace|gender|risk|immediateDanger|gmcInvestigation|preferences)"/,
      );

      const one = await t.http().get(`/api/v1/bookings/${b.id}`).set(bearer(desk.supporter));
      expect(one.status).toBe(200);
      expect(one.body.caller).toEqual({ name: p.name, phone: p.e164, email: p.email });
      expect(one.text).not.toMatch(
        /"(ethnicity|age|specialty|workplace|gender|risk|immediateDanger|gmcInvestigation|preferences)"/,
      );
    });

    it("a supporter never sees another supporter's bookings or callers", async () => {
      const p = person();
      const intake = await intakeFor(t, desk.intake, p);
      const other = await makeCounsellor(t, desk.admin);
      const b = await bookFor(t, desk.intake, intake.id, other.id);
      const res = await t.http().get('/api/v1/bookings').query({ supporterId: other.id }).set(bearer(desk.supporter));
      expect(res.status).toBe(200);
      expect((res.body.bookings as { id: string }[]).map((x) => x.id)).not.toContain(b.id);
      expect(res.text).not.toContain(p.name);
      expect(res.text).not.toContain(p.e164);
    });

    it('a supporter gets 403 on /callers, /intakes, /audit, /escalations, export, erase and the feedback summary', async () => {
      const p = person();
      const intake = await intakeFor(t, desk.intake, p);
      await bookFor(t, desk.intake, intake.id, desk.supporterId);
      const s = bearer(desk.supporter);
      const calls = [
        t.http().get('/api/v1/callers').query({ phone: p.phone }).set(s),
        t.http().get(`/api/v1/callers/${intake.callerId}`).set(s),
        t.http().get(`/api/v1/callers/${intake.callerId}/export`).set(s),
        t.http().post(`/api/v1/callers/${intake.callerId}/erase`).set(s),
        t.http().get('/api/v1/intakes').set(s),
        t.http().get(`/api/v1/intakes/${intake.id}`).set(s),
        t.http().get(`/api/v1/intakes/${intake.id}/matches`).set(s),
        t.http().get('/api/v1/audit').set(s),
        t.http().get('/api/v1/escalations').set(s),
        t.http().get('/api/v1/feedback/summary').set(s),
      ];
      for (const res of await Promise.all(calls)) {
        expectStatus(res, 403, 'forbidden');
        expect(res.text).not.toContain(p.name);
      }
      const [caller] = await t.ds.query(`SELECT erased_at FROM callers WHERE id = $1`, [intake.callerId]);
      expect(caller.erased_at).toBeNull();
    });
  });
});
