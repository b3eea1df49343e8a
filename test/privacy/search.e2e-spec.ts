import { startTestApp, TestApp } from '../support/test-app';
import {
  bearer,
  bookFor,
  Desk,
  expectStatus,
  intakeFor,
  openDesk,
  person,
  Person,
  requestId,
  webRequestFor,
} from '../support/privacy-factories';

describe('GET /search: one box for references, phone numbers and names (audited, indexed)', () => {
  let t: TestApp;
  let desk: Desk;

  beforeAll(async () => {
    t = await startTestApp();
    desk = await openDesk(t);
  });
  afterAll(async () => {
    await t.close();
  });

  const search = (q: string | undefined, token?: string, headers: Record<string, string> = {}) => {
    const req = t.http().get('/api/v1/search').set(headers);
    if (token) req.set(bearer(token));
    return q === undefined ? req : req.query({ q });
  };
  const callerIdsOf = (body: { results: { caller: { id: string } }[] }) => body.results.map((r) => r.caller.id);
  const spellingsOf = (p: Person) => [
    p.phone,
    p.e164,
    p.digits,
    `+44 ${p.national.slice(0, 4)} ${p.national.slice(4)}`,
    `(0${p.national.slice(0, 4)}) ${p.national.slice(4, 7)}-${p.national.slice(7)}`,
    `0044${p.national}`,
    `+44 (0)${p.national}`,
    `07700.900.${p.digits.slice(8)}`,
  ];

  it('a phone number in every spelling finds the caller, with their open intake and upcoming session', async () => {
    const p = person();
    const intake = await intakeFor(t, desk.intake, p);
    const booking = await bookFor(t, desk.intake, intake.id, desk.supporterId);
    for (const token of [desk.intake, desk.admin]) {
      for (const spelling of spellingsOf(p)) {
        const res = await search(spelling, token);
        expect({ spelling, status: res.status }).toEqual({ spelling, status: 200 });
        expect(res.body.kind).toBe('phone');
        expect(res.body.results).toHaveLength(1);
        const [hit] = res.body.results;
        expect(hit.caller).toEqual({
          id: intake.callerId,
          name: p.name,
          phone: p.e164,
          email: p.email,
          lastSupporter: { supporterId: desk.supporterId, displayName: desk.supporterName },
        });
        expect(hit.openIntakes.map((i: { id: string; status: string }) => [i.id, i.status])).toEqual([
          [intake.id, 'booked'],
        ]);
        expect(hit.upcomingSessions.map((b: { id: string; reference: string }) => [b.id, b.reference])).toEqual([
          [booking.id, booking.reference],
        ]);
        expect(hit).not.toHaveProperty('matchedBooking');
      }
    }
  });

  it('an ended intake and a cancelled or past session are not "open" or "upcoming"', async () => {
    const p = person();
    const first = await intakeFor(t, desk.intake, p);
    const booking = await bookFor(t, desk.intake, first.id, desk.supporterId);
    expect(
      (
        await t
          .http()
          .post(`/api/v1/bookings/${booking.id}/cancel`)
          .set(bearer(desk.intake))
          .send({ reason: 'caller asked' })
      ).status,
    ).toBe(200);
    expect((await t.http().post(`/api/v1/intakes/${first.id}/close`).set(bearer(desk.intake)).send({})).status).toBe(
      200,
    );
    const res = await search(p.phone, desk.intake);
    expect(res.status).toBe(200);
    expect(res.body.results).toEqual([expect.objectContaining({ openIntakes: [], upcomingSessions: [] })]);
  });

  it('a booking reference (PS-…) in any case, with spaces or none, finds the caller and the booking', async () => {
    const p = person();
    const intake = await intakeFor(t, desk.intake, p);
    const booking = await bookFor(t, desk.intake, intake.id, desk.supporterId);
    const r = booking.reference; // PS-ABCD-EF
    const compact = r.replace(/-/g, '');
    for (const spelling of [
      r,
      r.toLowerCase(),
      compact,
      compact.toLowerCase(),
      r.replace(/-/g, ' '),
      ` ${r} `,
      `ps - ${r.slice(3)}`,
    ]) {
      const res = await search(spelling, desk.intake);
      expect({ spelling, status: res.status, kind: res.body.kind }).toEqual({
        spelling,
        status: 200,
        kind: 'reference',
      });
      expect(callerIdsOf(res.body)).toEqual([intake.callerId]);
      expect(res.body.results[0].matchedBooking).toEqual(
        expect.objectContaining({ id: booking.id, reference: r, status: 'confirmed' }),
      );
    }
  });

  it('a web request reference (RQ-…) finds the caller and the intake', async () => {
    const p = person();
    const req = await webRequestFor(t, p);
    const res = await search(req.reference.toLowerCase(), desk.intake);
    expect(res.status).toBe(200);
    expect(res.body.kind).toBe('reference');
    expect(res.body.results).toHaveLength(1);
    const [hit] = res.body.results;
    expect(hit.caller.name).toBe(p.name);
    expect(hit.matchedIntakeId).toBe(hit.openIntakes[0].id);
    expect(hit.openIntakes[0]).toEqual(
      expect.objectContaining({ channel: 'web', reference: req.reference, status: 'open' }),
    );
  });

  it('an unknown reference or number finds nobody (200, empty)', async () => {
    for (const q of ['PS-2222-22', 'RQ-ZZZZ-ZZ', '07700 900999']) {
      const res = await search(q, desk.intake);
      expect({ q, status: res.status, results: res.body.results }).toEqual({ q, status: 200, results: [] });
    }
  });

  it('a name: any part of it (3 letters or more), any case, several words all matching', async () => {
    const p = person();
    const other = person();
    const a = await intakeFor(t, desk.intake, p);
    const b = await intakeFor(t, desk.intake, other);
    for (const q of [
      p.first,
      p.first.toUpperCase(),
      p.first.slice(2, 9).toLowerCase(),
      `${p.first} ${p.last}`,
      `${p.last.slice(-5)} ${p.first.slice(-5)}`,
    ]) {
      const res = await search(q, desk.intake);
      expect({ q, status: res.status, kind: res.body.kind, ids: callerIdsOf(res.body) }).toEqual({
        q,
        status: 200,
        kind: 'name',
        ids: [a.callerId],
      });
    }
    // Shared prefix "Ysolde"/"Quarshie": both, the most recent contact first.
    const both = await search('ysolde quarshie', desk.intake);
    expect(callerIdsOf(both.body).slice(0, 2)).toEqual([b.callerId, a.callerId]);
    expect(both.body.results.length).toBeLessThanOrEqual(20);
  });

  it("LIKE's wildcards are matched literally", async () => {
    for (const q of ['%%%', '___', 'a%b_c\\d']) {
      const res = await search(q, desk.intake);
      expect({ q, status: res.status, results: res.body.results }).toEqual({ q, status: 200, results: [] });
    }
  });

  it('an erased caller is not found by name or number', async () => {
    const p = person();
    const intake = await intakeFor(t, desk.intake, p);
    expect((await t.http().post(`/api/v1/callers/${intake.callerId}/erase`).set(bearer(desk.admin))).status).toBe(200);
    expect((await search(p.first, desk.intake)).body.results).toEqual([]);
    expect((await search(p.phone, desk.intake)).body.results).toEqual([]);
  });

  it.each([
    ['', 'empty'],
    ['   ', 'blank'],
    ['Yo', 'a name under 3 letters'],
    ['Jo Li', 'only short words'],
    ['12345', 'not a possible phone number'],
    ['+44', 'not a possible phone number'],
    ['PS-123', 'a malformed reference'],
    ['RQ-OOOO-II', 'letters a reference never has'],
    ['x'.repeat(101), 'over 100 characters'],
  ])('%j (%s) → 400 naming q, nothing audited', async (q) => {
    const rid = requestId('bad-search');
    const res = await search(q, desk.intake, { 'X-Request-Id': rid });
    expectStatus(res, 400, 'validation_failed');
    expect((res.body.errors as { field: string }[]).map((e) => e.field)).toEqual(['q']);
    expect(await t.ds.query(`SELECT 1 FROM audit_events WHERE request_id = $1`, [rid])).toEqual([]);
  });

  it('without q → 400 naming q; a supporter → 403; nobody signed in → 401', async () => {
    const res = await search(undefined, desk.intake);
    expectStatus(res, 400, 'validation_failed');
    expect((res.body.errors as { field: string }[]).map((e) => e.field)).toContain('q');
    expectStatus(await search('07700 900001', desk.supporter), 403, 'forbidden');
    expectStatus(await search('07700 900001'), 401, 'unauthorized');
  });

  it('each caller found is audited as caller.search with how the query was read, never the query', async () => {
    const p = person();
    const intake = await intakeFor(t, desk.intake, p);
    for (const [q, kind] of [
      [p.phone, 'phone'],
      [p.first, 'name'],
    ] as const) {
      const rid = requestId(`search-${kind}`);
      expect((await search(q, desk.intake, { 'X-Request-Id': rid })).status).toBe(200);
      const rows: { action: string; caller_id: string; user_id: string; details: Record<string, unknown> }[] =
        await t.ds.query(`SELECT action, caller_id, user_id, details FROM audit_events WHERE request_id = $1`, [rid]);
      expect(rows).toEqual([
        { action: 'caller.search', caller_id: intake.callerId, user_id: desk.intakeId, details: { kind } },
      ]);
      expect(JSON.stringify(rows)).not.toContain(p.first);
      expect(JSON.stringify(rows)).not.toContain(p.national);
    }
  });

  it('60 searches a minute per user; the 61st → 429 rate_limited with Retry-After, other users unaffected', async () => {
    const busy = await t.signIn('intake');
    for (let n = 1; n <= 60; n++) {
      const res = await search('PS-2222-22', busy.token);
      if (res.status !== 200) throw new Error(`search ${n}: ${res.status} ${res.text}`);
    }
    const refused = await search('PS-2222-22', busy.token);
    expectStatus(refused, 429, 'rate_limited');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect((await search('PS-2222-22', desk.admin)).status).toBe(200);
  });

  // At 20,000 callers PostgreSQL rightly prefers reading the table; at 200,000 (twenty years of a busy line) the index wins.
  it('a name search over 200,000 callers is answered by the trigram index, not a sequential scan', async () => {
    // One statement longer than the API's statement_timeout: lifted for this transaction only.
    await t.ds.transaction(async (m) => {
      await m.query('SET LOCAL statement_timeout = 0');
      await m.query(
        `INSERT INTO callers (name, phone, role, last_contact_at)
       SELECT 'Caller ' || md5(g::text), '+4479' || lpad(g::text, 8, '0'), 'doctor', now() - (g || ' hours')::interval
         FROM generate_series(1, 200000) g`,
      );
    });
    await t.ds.query('ANALYZE callers');
    const plan: { 'QUERY PLAN': string }[] = await t.ds.query(
      `EXPLAIN SELECT * FROM callers c WHERE c.erased_at IS NULL AND lower(c.name) LIKE $1 ESCAPE '\\'
        ORDER BY c.last_contact_at DESC, c.id ASC LIMIT 20`,
      ['%ysolde%'],
    );
    const text = plan.map((r) => r['QUERY PLAN']).join('\n');
    expect(text).toContain('ix_callers_name_trgm');
    expect(text).not.toMatch(/Seq Scan on callers/);
    // And the endpoint still finds the one it should among them.
    const p = person();
    const intake = await intakeFor(t, desk.intake, p);
    expect(callerIdsOf((await search(p.last, desk.intake)).body)).toEqual([intake.callerId]);
  });
});
