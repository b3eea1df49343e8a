/**
 * Self-referral (CONTRACT "Self-referral (no login)"): POST /api/v1/requests,
 * public and limited to 5 requests an hour per IP. supertest requests come
 * from 127.0.0.1 and the API trusts X-Forwarded-For from loopback, so every
 * test sends from its own made-up address (a fresh limit each).
 */
import type { Response } from 'supertest';
import { startTestApp, TestApp } from '../support/test-app';
import {
  auth,
  dramaPhone,
  expectProblem,
  getMatches,
  intakeBody,
  postIntake,
  uniqueEmail,
} from '../support/intake-factories';

const REFERENCE = /^RQ-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{2}$/;

let ipSeq = 0;
/** A documentation-range address (TEST-NET-3) no other test uses. */
function freshIp(): string {
  const n = ++ipSeq;
  return `203.0.${Math.floor(n / 250)}.${(n % 250) + 1}`;
}

interface RequestInput {
  service?: 'peer_support' | 'counselling';
  caller?: Record<string, unknown>;
  preferredTimes?: string;
  message?: string;
  immediateDanger?: boolean;
  gmcInvestigation?: boolean;
  website?: string;
  extra?: Record<string, unknown>;
}

function requestBody(input: RequestInput = {}): Record<string, unknown> {
  return {
    service: input.service ?? 'peer_support',
    caller: {
      name: 'Dr Quentin Example',
      phone: dramaPhone().national,
      role: 'doctor',
      timeZone: 'Europe/London',
      ...(input.caller ?? {}),
    },
    ...(input.preferredTimes !== undefined ? { preferredTimes: input.preferredTimes } : {}),
    ...(input.message !== undefined ? { message: input.message } : {}),
    risk: { immediateDanger: input.immediateDanger ?? false },
    gmcInvestigation: input.gmcInvestigation ?? false,
    consent: { privacyNotice: true },
    ...(input.website !== undefined ? { website: input.website } : {}),
    ...(input.extra ?? {}),
  };
}

describe('Self-referral: POST /requests', () => {
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

  function postRequest(body: Record<string, unknown>, ip: string = freshIp()): Promise<Response> {
    return t.http().post('/api/v1/requests').set('X-Forwarded-For', ip).send(body);
  }

  /** The web intake a request made, found by the reference the person was given. */
  async function intakeByReference(reference: string, status?: string): Promise<Record<string, any>> {
    const q = status ? `&status=${status}` : '';
    const res = await t.http().get(`/api/v1/intakes?channel=web&limit=200${q}`).set(auth(intakeToken));
    expect(res.status).toBe(200);
    const found = (res.body.intakes as Record<string, any>[]).filter((i) => i.reference === reference);
    expect(found).toHaveLength(1);
    return found[0];
  }

  async function counts(): Promise<{ intakes: number; callers: number; outbox: number }> {
    const [row] = await t.ds.query(
      `SELECT (SELECT count(*)::int FROM intakes) AS intakes, (SELECT count(*)::int FROM callers) AS callers, (SELECT count(*)::int FROM outbox_messages) AS outbox`,
    );
    return row;
  }

  it('lands in the intake queue as an open web intake holding the caller’s words', async () => {
    const phone = dramaPhone();
    const res = await postRequest(
      requestBody({
        service: 'counselling',
        caller: { name: 'Dr Wren Webform', phone: phone.national, timeZone: 'Europe/Dublin' },
        preferredTimes: 'Tuesday evenings after 7pm',
        message: 'I have been struggling since the rota changed.',
      }),
    );
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ reference: expect.stringMatching(REFERENCE), status: 'open', callbackWorkingHours: 24 });

    const listed = await intakeByReference(res.body.reference);
    expect(listed).toEqual(
      expect.objectContaining({
        channel: 'web',
        status: 'open',
        service: 'counselling',
        callerName: 'Dr Wren Webform',
        callerTimeZone: 'Europe/Dublin',
        preferredTimes: 'Tuesday evenings after 7pm',
        message: 'I have been struggling since the rota changed.',
        reference: res.body.reference,
        supporterId: null,
      }),
    );
    const detail = await t.http().get(`/api/v1/intakes/${listed.id}`).set(auth(intakeToken));
    expect(detail.body.callerTimeZone).toBe('Europe/Dublin');
    const one = await t.http().get(`/api/v1/intakes/${listed.id}`).set(auth(intakeToken));
    expect(one.status).toBe(200);
    expect(one.body).toEqual(
      expect.objectContaining({
        channel: 'web',
        status: 'open',
        preferredTimes: 'Tuesday evenings after 7pm',
        message: 'I have been struggling since the rota changed.',
      }),
    );
    // the caller is stored as the phone intake would store them
    const [caller] = await t.ds.query('SELECT phone, time_zone, role FROM callers WHERE id = $1', [listed.callerId]);
    expect(caller).toEqual({ phone: phone.e164, time_zone: 'Europe/Dublin', role: 'doctor' });
  });

  it('keeps web and phone intakes apart in the channel filter', async () => {
    const web = await postRequest(requestBody());
    expect(web.status).toBe(201);
    const phoneIntake = await postIntake(t, intakeToken, intakeBody());
    expect(phoneIntake.status).toBe(201);

    const webList = await t.http().get('/api/v1/intakes?channel=web&limit=200').set(auth(intakeToken));
    expect(webList.status).toBe(200);
    expect(webList.body.intakes.length).toBeGreaterThan(0);
    expect(webList.body.intakes.every((i: { channel: string }) => i.channel === 'web')).toBe(true);
    expect(webList.body.intakes.map((i: { id: string }) => i.id)).not.toContain(phoneIntake.body.id);

    const phoneList = await t.http().get('/api/v1/intakes?channel=phone&limit=200').set(auth(intakeToken));
    expect(phoneList.status).toBe(200);
    expect(phoneList.body.intakes.every((i: { channel: string }) => i.channel === 'phone')).toBe(true);
    expect(phoneList.body.intakes.map((i: { reference: string | null }) => i.reference)).not.toContain(
      web.body.reference,
    );
  });

  it('recognises a returning caller by the same number written differently', async () => {
    const phone = dramaPhone();
    const spaced = `+44 ${phone.national.slice(1)}`; // 07700 900123 → +44 7700 900123
    const first = await postRequest(requestBody({ caller: { phone: phone.national } }));
    const second = await postRequest(requestBody({ caller: { phone: spaced } }));
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.body.reference).not.toBe(first.body.reference);

    const a = await intakeByReference(first.body.reference);
    const b = await intakeByReference(second.body.reference);
    expect(b.id).not.toBe(a.id);
    const [getA, getB] = await Promise.all(
      [a.id, b.id].map((id) => t.http().get(`/api/v1/intakes/${id}`).set(auth(intakeToken))),
    );
    expect(getA.status).toBe(200);
    expect(getB.status).toBe(200);
    expect(getB.body.callerId).toBe(getA.body.callerId);
    // and the intake line recognises the same person when they phone in
    const phoned = await postIntake(t, intakeToken, intakeBody({ caller: { phone: phone.digits } }));
    expect(phoned.status).toBe(201);
    expect(phoned.body.callerId).toBe(getA.body.callerId);
  });

  it('signposts a person in immediate danger: recorded as signposted, nothing matched, no acknowledgement', async () => {
    const before = await t.ds.query(`SELECT count(*)::int AS n FROM outbox_messages`);
    const res = await postRequest(requestBody({ immediateDanger: true, caller: { email: uniqueEmail('danger') } }));
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      reference: expect.stringMatching(REFERENCE),
      status: 'signposted',
      signposting: expect.objectContaining({ immediateDanger: expect.any(String), text: expect.any(String) }),
    });
    expect(res.body.signposting.text).toMatch(/999/);
    expect(res.body.signposting.text).toMatch(/111/);

    const intake = await intakeByReference(res.body.reference, 'signposted');
    expect(intake).toEqual(
      expect.objectContaining({ channel: 'web', status: 'signposted', risk: { immediateDanger: true } }),
    );
    expectProblem(await getMatches(t, intakeToken, intake.id), 422, 'intake_not_bookable');

    const notes = await t.http().get(`/api/v1/intakes/${intake.id}/notifications`).set(auth(intakeToken));
    expect(notes.status).toBe(200);
    expect(notes.body).toEqual({ notifications: [] });
    await expect(
      t.ds.query('SELECT count(*)::int AS n FROM outbox_messages WHERE intake_id = $1', [intake.id]),
    ).resolves.toEqual([{ n: 0 }]);
    await expect(t.ds.query(`SELECT count(*)::int AS n FROM outbox_messages`)).resolves.toEqual(before);
  });

  it('adds the GMC signposting when the person is under investigation, and still takes the request', async () => {
    const res = await postRequest(requestBody({ gmcInvestigation: true }));
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      reference: expect.stringMatching(REFERENCE),
      status: 'open',
      callbackWorkingHours: 24,
      signposting: expect.objectContaining({ gmcInvestigation: expect.any(String), text: expect.any(String) }),
    });
    const intake = await intakeByReference(res.body.reference);
    expect(intake).toEqual(expect.objectContaining({ status: 'open', gmcInvestigation: true }));
  });

  it('refuses the 6th request in an hour from one address with 429 rate_limited and Retry-After, counting invalid ones', async () => {
    const ip = freshIp();
    const phone = dramaPhone();
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++)
      statuses.push((await postRequest(requestBody({ caller: { phone: phone.national } }), ip)).status);
    statuses.push((await postRequest({ service: 'peer_support' }, ip)).status); // invalid: still counted
    expect(statuses).toEqual([201, 201, 201, 201, 400]);

    const sixth = await postRequest(requestBody({ caller: { phone: phone.national } }), ip);
    expectProblem(sixth, 429, 'rate_limited');
    const retryAfter = Number(sixth.headers['retry-after']);
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(3600);
    // refused before validation: an invalid body from that address is refused the same way
    expectProblem(await postRequest({ nonsense: true }, ip), 429, 'rate_limited');
    // the refused request stored nothing: four intakes for that number
    await expect(
      t.ds.query(
        `SELECT count(*)::int AS n FROM intakes i JOIN callers c ON c.id = i.caller_id WHERE c.phone = $1 AND i.channel = 'web'`,
        [phone.e164],
      ),
    ).resolves.toEqual([{ n: 4 }]);
    // another address is not affected
    expect((await postRequest(requestBody())).status).toBe(201);
  });

  it('answers a filled honeypot with a 201 and a reference, and stores nothing', async () => {
    const before = await counts();
    const res = await postRequest(
      requestBody({ website: 'http://cheap-pills.example', caller: { email: uniqueEmail('bot') } }),
    );
    expect(res.status).toBe(201);
    // the same shape as a stored request's answer
    expect(res.body).toEqual({ reference: expect.stringMatching(REFERENCE), status: 'open', callbackWorkingHours: 24 });
    expect(await counts()).toEqual(before);
    const listed = await t.http().get('/api/v1/intakes?channel=web&limit=200').set(auth(intakeToken));
    expect(listed.body.intakes.map((i: { reference: string }) => i.reference)).not.toContain(res.body.reference);
  });

  it('stores a request whose honeypot is sent empty', async () => {
    const before = await counts();
    const res = await postRequest(requestBody({ website: '' }));
    expect(res.status).toBe(201);
    const after = await counts();
    expect(after.intakes).toBe(before.intakes + 1);
    await intakeByReference(res.body.reference);
  });

  it('acknowledges by e-mail and SMS, saying when to expect a call and nothing the person typed', async () => {
    const phone = dramaPhone();
    const email = uniqueEmail('ack.person');
    const name = 'Dr Zebedee Quillfeather';
    const message = 'Panic attacks before every night shift on ward nine';
    const preferredTimes = 'Thursday lunchtimes only please';
    const res = await postRequest(
      requestBody({ caller: { name, phone: phone.national, email }, message, preferredTimes }),
    );
    expect(res.status).toBe(201);
    const intake = await intakeByReference(res.body.reference);

    const notes = await t.http().get(`/api/v1/intakes/${intake.id}/notifications`).set(auth(intakeToken));
    expect(notes.status).toBe(200);
    const kinds = (notes.body.notifications as { channel: string; kind: string }[])
      .map((n) => `${n.channel}:${n.kind}`)
      .sort();
    expect(kinds).toEqual(['email:acknowledgement', 'sms:acknowledgement']);

    const policies = await t.http().get('/api/v1/policies').set(auth(adminToken));
    expect(policies.status).toBe(200);
    const hours = policies.body.callbackWorkingHours;
    expect(Number.isInteger(hours)).toBe(true);

    const rows: {
      channel: string;
      recipient: string;
      subject: string | null;
      body_text: string;
      body_html: string | null;
      personalisation: unknown;
    }[] = await t.ds.query(
      `SELECT channel, recipient, subject, body_text, body_html, personalisation FROM outbox_messages WHERE intake_id = $1 AND kind = 'acknowledgement' ORDER BY channel`,
      [intake.id],
    );
    expect(rows.map((r) => [r.channel, r.recipient])).toEqual([
      ['email', email],
      ['sms', phone.e164],
    ]);
    const typed = [
      name,
      'Zebedee',
      'Quillfeather',
      message,
      'Panic attacks',
      'night shift',
      preferredTimes,
      'Thursday',
      phone.national,
      phone.e164,
      phone.digits,
      phone.e164.slice(3),
      email,
      email.split('@')[0],
    ];
    for (const r of rows) {
      const words = [r.subject ?? '', r.body_text, r.body_html ?? '', JSON.stringify(r.personalisation ?? {})]
        .join('\n')
        .toLowerCase();
      for (const s of typed)
        expect({ channel: r.channel, leaked: words.includes(s.toLowerCase()) ? s : null }).toEqual({
          channel: r.channel,
          leaked: null,
        });
      expect(r.body_text).toContain(`within ${hours} working hours`);
      expect(r.body_text).toContain(res.body.reference);
    }
    // the page tells the person the same
    expect(res.body.callbackWorkingHours).toBe(hours);
  });

  it("the answer and the acknowledgement follow the policy's callbackWorkingHours", async () => {
    const current = (await t.http().get('/api/v1/policies').set(auth(adminToken))).body;
    expect(
      (
        await t
          .http()
          .put('/api/v1/policies')
          .set(auth(adminToken))
          .send({ ...current, callbackWorkingHours: 8 })
      ).status,
    ).toBe(200);
    try {
      const res = await postRequest(requestBody());
      expect(res.status).toBe(201);
      expect(res.body.callbackWorkingHours).toBe(8);
      const [row] = await t.ds.query(
        `SELECT o.body_text FROM outbox_messages o JOIN intakes i ON i.id = o.intake_id WHERE i.reference = $1 AND o.channel = 'sms'`,
        [res.body.reference],
      );
      expect(row.body_text).toContain('within 8 working hours');
    } finally {
      await t.http().put('/api/v1/policies').set(auth(adminToken)).send(current);
    }
  });

  it('acknowledges by SMS only when no e-mail is given', async () => {
    const res = await postRequest(requestBody());
    expect(res.status).toBe(201);
    const intake = await intakeByReference(res.body.reference);
    const notes = await t.http().get(`/api/v1/intakes/${intake.id}/notifications`).set(auth(intakeToken));
    expect(notes.status).toBe(200);
    expect(notes.body.notifications).toEqual([
      expect.objectContaining({ channel: 'sms', kind: 'acknowledgement', status: 'pending', attempts: 0 }),
    ]);
  });

  it('refuses unknown fields with 400, at the top and inside caller', async () => {
    const before = await counts();
    const top = await postRequest(requestBody({ extra: { favouriteColour: 'blue' } }));
    expectProblem(top, 400, 'validation_failed');
    expect(top.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'favouriteColour' })]));
    // the phone intake's extra fields are not part of the public form
    const nested = await postRequest(requestBody({ caller: { specialty: 'Anaesthetics' } }));
    expectProblem(nested, 400, 'validation_failed');
    expect(nested.body.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: 'caller.specialty' })]),
    );
    const prefs = await postRequest(requestBody({ extra: { preferences: { modality: 'video' } } }));
    expectProblem(prefs, 400, 'validation_failed');
    expect(await counts()).toEqual(before);
  });

  it('refuses a request without consent to the privacy notice with 400', async () => {
    const before = await counts();
    const refused = await postRequest({ ...requestBody(), consent: { privacyNotice: false } });
    expectProblem(refused, 400, 'validation_failed');
    expect(refused.body.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: expect.stringMatching(/^consent/) })]),
    );
    const missing = requestBody();
    delete missing.consent;
    expectProblem(await postRequest(missing), 400, 'validation_failed');
    expect(await counts()).toEqual(before);
  });

  it('refuses other invalid answers with 400 and field errors', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [requestBody({ preferredTimes: 'x'.repeat(501) }), 'preferredTimes'],
      [requestBody({ message: 'x'.repeat(2001) }), 'message'],
      [requestBody({ caller: { phone: 'call me maybe' } }), 'caller.phone'],
      [requestBody({ caller: { email: 'not-an-address' } }), 'caller.email'],
      [requestBody({ caller: { role: 'nurse' } }), 'caller.role'],
      [requestBody({ caller: { timeZone: 'Mars/Olympus' } }), 'caller.timeZone'],
      [{ ...requestBody(), risk: {} }, 'risk.immediateDanger'],
    ];
    for (const [body, field] of cases) {
      const res = await postRequest(body);
      expectProblem(res, 400, 'validation_failed');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    // the longest allowed words are taken
    const longest = await postRequest(requestBody({ preferredTimes: 'p'.repeat(500), message: 'm'.repeat(2000) }));
    expect(longest.status).toBe(201);
  });

  it('answers the same way for a known and an unknown number', async () => {
    const known = dramaPhone();
    const existing = await postIntake(t, intakeToken, intakeBody({ caller: { phone: known.national } }));
    expect(existing.status).toBe(201);
    const unknown = dramaPhone();

    const a = await postRequest(requestBody({ caller: { phone: known.e164 } }));
    const b = await postRequest(requestBody({ caller: { phone: unknown.national } }));
    expect(a.status).toBe(201);
    expect(b.status).toBe(a.status);
    expect(Object.keys(b.body).sort()).toEqual(Object.keys(a.body).sort());
    expect(Object.keys(a.body).sort()).toEqual(['callbackWorkingHours', 'reference', 'status']);
    expect([a.body.status, b.body.status]).toEqual(['open', 'open']);
    expect(a.body.reference).toMatch(REFERENCE);
    expect(b.body.reference).toMatch(REFERENCE);
    expect(a.headers['content-type']).toBe(b.headers['content-type']);
    // the known number did join its caller
    const joined = await intakeByReference(a.body.reference);
    expect(joined.callerId).toBe(existing.body.callerId);
  });

  // Anyone can post this form without signing in. Recognising a returning caller must not let
  // an anonymous form replace a known caller's phone or e-mail: booking confirmations (with their
  // manage link) would then go to whoever filled in the form.
  it('does not let an anonymous request change a known caller’s phone or e-mail', async () => {
    const own = dramaPhone();
    const email = uniqueEmail('known.caller');
    const phoned = await postIntake(
      t,
      intakeToken,
      intakeBody({ caller: { name: 'Dr Known Caller', phone: own.national, email } }),
    );
    expect(phoned.status).toBe(201);

    // someone else's number with the known e-mail, then the known number with someone else's e-mail
    const other = dramaPhone();
    expect(
      (await postRequest(requestBody({ caller: { name: 'Someone Else', phone: other.national, email } }))).status,
    ).toBe(201);
    expect(
      (
        await postRequest(
          requestBody({ caller: { name: 'Someone Else', phone: own.national, email: uniqueEmail('someone.else') } }),
        )
      ).status,
    ).toBe(201);

    const [caller] = await t.ds.query('SELECT phone, email FROM callers WHERE id = $1', [phoned.body.callerId]);
    expect(caller).toEqual({ phone: own.e164, email });
  });

  it('needs no sign-in, while the queue of web requests does', async () => {
    expect((await postRequest(requestBody())).status).toBe(201);
    expect((await t.http().get('/api/v1/intakes?channel=web')).status).toBe(401);
  });
});
