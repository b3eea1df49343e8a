import { createHash } from 'node:crypto';
import { bearer, expectProblem } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';
import { book, Desk, manageTokenOf, newIntake, openDesk, outboxOf } from './helpers';

describe('caller self-service: /manage/:token (no login)', () => {
  let t: TestApp;
  let desk: Desk;

  beforeAll(async () => {
    t = await startTestApp({ PUBLIC_URL: 'https://support.example' });
    desk = await openDesk(t, { displayName: 'Dr Priya Shah' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('GET shows the reference, time, modality, status and supporter first name, and nothing else', async () => {
    const caller = await newIntake(t, desk);
    const b = await book(t, desk, caller.intakeId);
    const token = await manageTokenOf(t, b.id);
    const res = await t.http().get(`/api/v1/manage/${token}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      reference: b.reference,
      start: b.start,
      end: b.end,
      modality: expect.stringMatching(/^(phone|video)$/),
      status: 'confirmed',
      supporterFirstName: 'Priya',
      // a phone session (no VIDEO_ROOM_BASE_URL here): no join link
      videoUrl: null,
    });
    expect(res.text).not.toContain(caller.name);
    expect(res.text).not.toContain(caller.email!);
    expect(res.text).not.toContain(b.id);
  });

  it('the link in the messages is PUBLIC_URL/manage/<token>, and only a SHA-256 hash of the token is stored', async () => {
    const caller = await newIntake(t, desk);
    const b = await book(t, desk, caller.intakeId);
    const sms = (await outboxOf(t, b.id)).find((r) => r.channel === 'sms' && r.kind === 'confirmation')!;
    expect(sms.body_text).toMatch(/https:\/\/support\.example\/manage\/[A-Za-z0-9_-]{43}\b/);
    const token = await manageTokenOf(t, b.id);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    const [row] = await t.ds.query(`SELECT manage_token_hash FROM bookings WHERE id = $1`, [b.id]);
    expect(row.manage_token_hash).toBe(createHash('sha256').update(token).digest('hex'));
    const [{ n }] = await t.ds.query(
      `SELECT count(*)::int AS n FROM bookings WHERE row_to_json(bookings)::text LIKE '%' || $1 || '%'`,
      [token],
    );
    expect(n).toBe(0);
  });

  it('POST cancel → 200 cancelled; the slot is free, a cancellation is sent, and asking again changes nothing', async () => {
    const caller = await newIntake(t, desk);
    const b = await book(t, desk, caller.intakeId);
    const token = await manageTokenOf(t, b.id);
    const res = await t.http().post(`/api/v1/manage/${token}/cancel`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(
      expect.objectContaining({ reference: b.reference, status: 'cancelled', supporterFirstName: 'Priya' }),
    );
    expect(Object.keys(res.body).sort()).toEqual([
      'end',
      'modality',
      'reference',
      'start',
      'status',
      'supporterFirstName',
      'videoUrl',
    ]);

    const staffView = await t.http().get(`/api/v1/bookings/${b.id}`).set(bearer(desk.intake));
    expect(staffView.body.status).toBe('cancelled');
    expect(staffView.body.sequence).toBe(1);
    const rows = await outboxOf(t, b.id);
    expect(
      rows
        .filter((r) => r.kind === 'cancellation')
        .map((r) => r.channel)
        .sort(),
    ).toEqual(['email', 'sms']);
    expect(rows.filter((r) => r.kind === 'reminder').every((r) => r.status === 'cancelled')).toBe(true);
    const history = await t.http().get(`/api/v1/bookings/${b.id}/history`).set(bearer(desk.intake));
    expect(
      history.body.events.map((e: { kind: string; actorRole: string | null }) => [e.kind, e.actorRole]),
    ).toContainEqual(['cancelled', 'caller']);

    // The same time can be booked again.
    const again = await newIntake(t, desk);
    await book(t, desk, again.intakeId, b.start);

    const twice = await t.http().post(`/api/v1/manage/${token}/cancel`);
    expect(twice.status).toBe(200);
    expect(twice.body.status).toBe('cancelled');
    expect((await outboxOf(t, b.id)).filter((r) => r.kind === 'cancellation')).toHaveLength(2);
    expect((await t.http().get(`/api/v1/manage/${token}`)).body.status).toBe('cancelled');
  });

  it.each([
    ['a well-formed unknown token', 'A'.repeat(43)],
    ['a malformed token', 'not-a-token'],
  ])('%s → 404 not_found (GET and POST cancel)', async (_label, token) => {
    expectProblem(await t.http().get(`/api/v1/manage/${token}`), 404, 'not_found');
    expectProblem(await t.http().post(`/api/v1/manage/${token}/cancel`), 404, 'not_found');
  });

  it('needs no Authorization, and ignores one', async () => {
    const caller = await newIntake(t, desk);
    const b = await book(t, desk, caller.intakeId);
    const token = await manageTokenOf(t, b.id);
    expect((await t.http().get(`/api/v1/manage/${token}`).set('Authorization', 'Bearer nonsense')).status).toBe(200);
  });
});

describe('caller self-service: rate limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('more than 30 requests a minute from one address → 429 rate_limited with Retry-After', async () => {
    for (let i = 0; i < 30; i++) expect((await t.http().get(`/api/v1/manage/${'B'.repeat(43)}`)).status).toBe(404);
    const res = await t.http().get(`/api/v1/manage/${'B'.repeat(43)}`);
    expectProblem(res, 429, 'rate_limited');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expectProblem(await t.http().post(`/api/v1/manage/${'B'.repeat(43)}/cancel`), 429, 'rate_limited');
  });
});

describe('privacy hooks: messagesOfCaller and eraseCaller', () => {
  let t: TestApp;
  let desk: Desk;
  beforeAll(async () => {
    t = await startTestApp();
    desk = await openDesk(t);
  });
  afterAll(async () => {
    await t.close();
  });

  it('lists a caller’s messages, then erasure cancels the pending ones and removes address and words', async () => {
    const { NotificationsService } = await import('../../libs/notifications/src');
    const service = t.app.get(NotificationsService);
    const caller = await newIntake(t, desk);
    const b = await book(t, desk, caller.intakeId);
    const before = await service.messagesOfCaller(caller.callerId);
    expect(before.length).toBe(4);
    expect(before.some((m) => m.recipient === caller.email && m.body.includes(b.reference))).toBe(true);

    await t.ds.transaction((m) => service.eraseCaller(caller.callerId, m));
    const rows = await outboxOf(t, b.id);
    expect(
      rows.every((r) => r.status === 'cancelled' && r.recipient === '[erased]' && r.body_text === '[erased]'),
    ).toBe(true);
    expect(JSON.stringify(rows)).not.toContain(caller.email!);
    expect(JSON.stringify(rows)).not.toContain(b.reference);
  });
});
