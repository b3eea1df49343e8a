import { randomUUID } from 'node:crypto';
import { startTestApp, TestApp } from '../support/test-app';
import {
  auditByRequest,
  auditOfCaller,
  AuditRow,
  bearer,
  bookFor,
  Desk,
  expectStatus,
  intakeFor,
  openDesk,
  person,
  requestId,
  webRequestFor,
} from '../support/privacy-factories';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('audit trail: every read and change of personal data, append-only, GET /audit', () => {
  let t: TestApp;
  let desk: Desk;

  beforeAll(async () => {
    t = await startTestApp();
    desk = await openDesk(t);
  });
  afterAll(async () => {
    await t.close();
  });

  /** The audit rows written under this request id, as [action, userId, role, callerId]. */
  const rowsOf = async (rid: string) =>
    (await auditByRequest(t, rid)).map((r) => [r.action, r.user_id, r.role, r.caller_id]);

  it('POST /intakes writes caller.create and intake.create under the X-Request-Id sent', async () => {
    const p = person();
    const rid = requestId('intake-create');
    const intake = await intakeFor(t, desk.intake, p, { 'X-Request-Id': rid });
    const rows = await auditByRequest(t, rid);
    // printed for the report: the audit rows one intake call writes
    console.log(
      `audit rows of one POST /intakes: ${JSON.stringify(rows.map((r) => ({ action: r.action, role: r.role, details: r.details })))}`,
    );
    expect(rows.map((r) => [r.action, r.user_id, r.role, r.caller_id])).toEqual([
      ['caller.create', desk.intakeId, 'intake', intake.callerId],
      ['intake.create', desk.intakeId, 'intake', intake.callerId],
    ]);
    expect(rows[1].details).toEqual(expect.objectContaining({ intakeId: intake.id }));

    // a returning caller: caller.update instead of caller.create
    const rid2 = requestId('intake-again');
    const again = await intakeFor(t, desk.intake, p, { 'X-Request-Id': rid2 });
    expect(again.callerId).toBe(intake.callerId);
    expect(await rowsOf(rid2)).toEqual([
      ['caller.update', desk.intakeId, 'intake', intake.callerId],
      ['intake.create', desk.intakeId, 'intake', intake.callerId],
    ]);
  });

  it('a web self-referral is audited as the public (no user)', async () => {
    const p = person();
    await webRequestFor(t, p);
    const [caller] = await t.ds.query(`SELECT id FROM callers WHERE phone = $1`, [p.e164]);
    const rows = await auditOfCaller(t, caller.id);
    expect(rows.map((r) => [r.action, r.user_id, r.role])).toEqual([
      ['caller.create', null, 'public'],
      ['intake.create', null, 'public'],
      ['request.create', null, 'public'],
    ]);
    for (const r of rows) expect(r.request_id).toMatch(UUID);
  });

  describe('each read writes one event with who, role, action, caller and the request id', () => {
    let p: ReturnType<typeof person>;
    let intakeId: string;
    let callerId: string;

    beforeAll(async () => {
      p = person();
      const intake = await intakeFor(t, desk.intake, p);
      intakeId = intake.id;
      callerId = intake.callerId;
      await bookFor(t, desk.intake, intakeId, desk.supporterId);
    });

    const cases: {
      name: string;
      action: string;
      as: 'intake' | 'admin';
      call: (rid: string) => Promise<{ status: number }>;
    }[] = [
      {
        name: 'reading an intake',
        action: 'intake.read',
        as: 'intake',
        call: (rid) => t.http().get(`/api/v1/intakes/${intakeId}`).set(bearer(desk.intake)).set('X-Request-Id', rid),
      },
      {
        name: 'listing intakes',
        action: 'intake.list',
        as: 'intake',
        call: (rid) => t.http().get('/api/v1/intakes').set(bearer(desk.intake)).set('X-Request-Id', rid),
      },
      {
        name: 'reading matches',
        action: 'matches.read',
        as: 'intake',
        call: (rid) =>
          t.http().get(`/api/v1/intakes/${intakeId}/matches`).set(bearer(desk.intake)).set('X-Request-Id', rid),
      },
      {
        name: 'looking a caller up',
        action: 'caller.lookup',
        as: 'intake',
        call: (rid) =>
          t.http().get('/api/v1/callers').query({ phone: p.phone }).set(bearer(desk.intake)).set('X-Request-Id', rid),
      },
      {
        name: 'reading the caller',
        action: 'caller.read',
        as: 'intake',
        call: (rid) => t.http().get(`/api/v1/callers/${callerId}`).set(bearer(desk.intake)).set('X-Request-Id', rid),
      },
      {
        name: 'listing bookings by caller',
        action: 'bookings.read_by_caller',
        as: 'intake',
        call: (rid) =>
          t.http().get('/api/v1/bookings').query({ callerId }).set(bearer(desk.intake)).set('X-Request-Id', rid),
      },
      {
        name: 'exporting',
        action: 'caller.export',
        as: 'admin',
        call: (rid) =>
          t.http().get(`/api/v1/callers/${callerId}/export`).set(bearer(desk.admin)).set('X-Request-Id', rid),
      },
    ];

    it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
      const rid = requestId(c.action.replace('.', '-'));
      const res = await c.call(rid);
      expect(res.status).toBe(200);
      const rows = (await auditByRequest(t, rid)).filter((r) => r.caller_id === callerId);
      expect(rows.map((r) => [r.action, r.user_id, r.role, r.caller_id, r.request_id])).toEqual([
        [c.action, c.as === 'admin' ? desk.adminId : desk.intakeId, c.as, callerId, rid],
      ]);
      expect(Number.isNaN(new Date(rows[0].at).getTime())).toBe(false);
    });

    it('erasing writes caller.erase (last, so it runs after the reads above)', async () => {
      const p2 = person();
      const other = await intakeFor(t, desk.intake, p2);
      const rid = requestId('erase');
      const res = await t
        .http()
        .post(`/api/v1/callers/${other.callerId}/erase`)
        .set(bearer(desk.admin))
        .set('X-Request-Id', rid);
      expect(res.status).toBe(200);
      expect(await rowsOf(rid)).toEqual([['caller.erase', desk.adminId, 'admin', other.callerId]]);
      const [row] = await auditByRequest(t, rid);
      // the event says what happened, never the values erased
      expect(JSON.stringify(row)).not.toContain(p2.name);
      expect(JSON.stringify(row)).not.toContain(p2.e164);
    });
  });

  it('an X-Request-Id that does not look safe is replaced by a fresh uuid', async () => {
    const p = person();
    const intake = await intakeFor(t, desk.intake, p);
    for (const unsafe of ['short', 'has spaces in it ok', 'x'.repeat(65), 'semi;colon<script>']) {
      const before: AuditRow[] = await auditOfCaller(t, intake.callerId);
      const res = await t
        .http()
        .get(`/api/v1/intakes/${intake.id}`)
        .set(bearer(desk.intake))
        .set('X-Request-Id', unsafe);
      expect(res.status).toBe(200);
      const after: AuditRow[] = await auditOfCaller(t, intake.callerId);
      const added = after.slice(before.length);
      expect(added).toHaveLength(1);
      expect(added[0].action).toBe('intake.read');
      expect(added[0].request_id).not.toBe(unsafe);
      expect(added[0].request_id).toMatch(UUID);
    }
  });

  describe('GET /audit', () => {
    let a: { callerId: string; intakeId: string };
    let b: { callerId: string; intakeId: string };

    beforeAll(async () => {
      a = await intakeFor(t, desk.intake, person()).then((i) => ({ callerId: i.callerId, intakeId: i.id }));
      b = await intakeFor(t, desk.intake, person()).then((i) => ({ callerId: i.callerId, intakeId: i.id }));
      for (let i = 0; i < 5; i++) {
        const r = await t.http().get(`/api/v1/intakes/${a.intakeId}`).set(bearer(desk.intake));
        expect(r.status).toBe(200);
      }
      const r = await t.http().get(`/api/v1/intakes/${b.intakeId}`).set(bearer(desk.admin));
      expect(r.status).toBe(200);
    });

    const audit = (query: Record<string, string | number>, token = desk.admin) =>
      t.http().get('/api/v1/audit').query(query).set(bearer(token));

    it('filters by callerId, newest first, with the event fields', async () => {
      const res = await audit({ callerId: a.callerId });
      expect(res.status).toBe(200);
      const events = res.body.events as {
        id: string;
        at: string;
        userId: string;
        role: string;
        action: string;
        callerId: string;
        requestId: string;
        details: object;
      }[];
      expect(events.length).toBe(7); // caller.create, intake.create, 5 × intake.read
      expect(new Set(events.map((e) => e.callerId))).toEqual(new Set([a.callerId]));
      expect(events.map((e) => e.action)).toEqual([...Array(5).fill('intake.read'), 'intake.create', 'caller.create']);
      const ids = events.map((e) => BigInt(e.id));
      expect([...ids].sort((x, y) => (x > y ? -1 : x < y ? 1 : 0))).toEqual(ids);
      for (const e of events) {
        expect(e).toEqual(
          expect.objectContaining({
            userId: desk.intakeId,
            role: 'intake',
            requestId: expect.any(String),
            details: expect.any(Object),
          }),
        );
        expect(e.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      }
      expect(res.body.nextCursor).toBeNull();
    });

    it('filters by userId', async () => {
      const res = await audit({ userId: desk.adminId, callerId: b.callerId });
      expect(res.status).toBe(200);
      expect((res.body.events as { action: string; userId: string }[]).map((e) => [e.action, e.userId])).toEqual([
        ['intake.read', desk.adminId],
      ]);
      const byIntake = await audit({ userId: desk.intakeId, limit: 500 });
      expect(byIntake.status).toBe(200);
      expect((byIntake.body.events as { userId: string }[]).every((e) => e.userId === desk.intakeId)).toBe(true);
      expect(byIntake.body.events.length).toBeGreaterThan(0);
    });

    it('filters by from and to (from inclusive, to exclusive)', async () => {
      const all = (await audit({ callerId: a.callerId })).body.events as { id: string; at: string }[];
      const middle = all[3];
      const from = await audit({ callerId: a.callerId, from: middle.at });
      expect(from.status).toBe(200);
      const fromEvents = from.body.events as { id: string; at: string }[];
      expect(fromEvents.map((e) => e.id)).toContain(middle.id);
      for (const e of fromEvents) expect(Date.parse(e.at)).toBeGreaterThanOrEqual(Date.parse(middle.at));
      const to = await audit({ callerId: a.callerId, to: middle.at });
      expect(to.status).toBe(200);
      const toEvents = to.body.events as { id: string; at: string }[];
      expect(toEvents.map((e) => e.id)).not.toContain(middle.id);
      for (const e of toEvents) expect(Date.parse(e.at)).toBeLessThan(Date.parse(middle.at));
      // together they cover everything, once
      expect(new Set([...fromEvents, ...toEvents].map((e) => e.id))).toEqual(new Set(all.map((e) => e.id)));
      const future = await audit({ callerId: a.callerId, from: '2999-01-01T00:00:00Z' });
      expect(future.body.events).toEqual([]);
      expectStatus(await audit({ from: 'yesterday' }), 400, 'validation_failed');
    });

    it('pages with a cursor: every event once, in order', async () => {
      const all = (await audit({ callerId: a.callerId })).body.events as { id: string }[];
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res = await audit({ callerId: a.callerId, limit: 2, ...(cursor ? { cursor } : {}) });
        expect(res.status).toBe(200);
        expect(res.body.events.length).toBeLessThanOrEqual(2);
        seen.push(...(res.body.events as { id: string }[]).map((e) => e.id));
        cursor = res.body.nextCursor;
        pages++;
      } while (cursor && pages < 20);
      expect(pages).toBe(4);
      expect(seen).toEqual(all.map((e) => e.id));
      expectStatus(await audit({ cursor: 'not-a-cursor' }), 400, 'validation_failed');
      expectStatus(await audit({ callerId: 'nope' }), 400, 'validation_failed');
    });

    it('admin only: intake 403, supporter 403, nobody 401', async () => {
      expectStatus(await audit({}, desk.intake), 403, 'forbidden');
      expectStatus(await audit({}, desk.supporter), 403, 'forbidden');
      expectStatus(await t.http().get('/api/v1/audit'), 401, 'unauthorized');
    });
  });

  describe('append-only: the trigger refuses UPDATE, DELETE and TRUNCATE, even for the table owner', () => {
    it('the test connection owns the table (so the refusal is the trigger, not a privilege)', async () => {
      const [row] = await t.ds.query(
        `SELECT tableowner = current_user AS owner FROM pg_tables WHERE schemaname = 'public' AND tablename = 'audit_events'`,
      );
      expect(row.owner).toBe(true);
    });

    it.each([
      ['UPDATE', `UPDATE audit_events SET action = 'tampered'`],
      ['UPDATE one row', `UPDATE audit_events SET user_id = NULL WHERE id = (SELECT min(id) FROM audit_events)`],
      ['DELETE', `DELETE FROM audit_events`],
      ['DELETE one row', `DELETE FROM audit_events WHERE id = (SELECT max(id) FROM audit_events)`],
      ['TRUNCATE', `TRUNCATE audit_events`],
    ])('%s is refused', async (_op, sql) => {
      const [before] = await t.ds.query(
        `SELECT count(*)::int AS n, count(*) FILTER (WHERE action = 'tampered')::int AS tampered FROM audit_events`,
      );
      expect(before.n).toBeGreaterThan(0);
      await expect(t.ds.query(sql)).rejects.toThrow(/append-only/);
      const [after] = await t.ds.query(
        `SELECT count(*)::int AS n, count(*) FILTER (WHERE action = 'tampered')::int AS tampered FROM audit_events`,
      );
      expect(after).toEqual(before);
    });

    it('INSERT still works (the service appends)', async () => {
      const [row] = await t.ds.query(
        `INSERT INTO audit_events (action, caller_id, role) VALUES ('caller.read', $1, 'system') RETURNING id`,
        [randomUUID()],
      );
      expect(row.id).toBeDefined();
    });
  });
});
