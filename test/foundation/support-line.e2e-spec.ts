import { startTestApp, TestApp } from '../support/test-app';
import { DEFAULT_POLICIES, expectValidation } from '../support/factories';
import { bearer, bookFor, intakeFor, openDesk, person, type Desk, webRequestFor } from '../support/privacy-factories';

describe("the line's own number and the emergency numbers (policies, GET /contact, messages)", () => {
  let t: TestApp;
  let desk: Desk;

  beforeAll(async () => {
    t = await startTestApp();
    desk = await openDesk(t);
  });
  afterAll(async () => {
    await t.close();
  });

  const put = (body: Record<string, unknown>, token = desk.admin) =>
    t
      .http()
      .put('/api/v1/policies')
      .set(bearer(token))
      .send({ ...DEFAULT_POLICIES, ...body });
  const contact = () => t.http().get('/api/v1/contact');

  it('GET /contact needs no sign-in: no number until an admin sets one, the UK emergency numbers by default', async () => {
    const res = await contact();
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ supportLinePhone: null, emergencyNumbers: DEFAULT_POLICIES.emergencyNumbers });
  });

  it('an admin sets the number (kept as written, trimmed) and the emergency numbers; GET /policies and GET /contact show them', async () => {
    const emergencyNumbers = [
      { label: 'Emergency services', number: '999' },
      { label: 'Samaritans', number: '116 123' },
    ];
    const res = await put({ supportLinePhone: '  0800 123 4567 ', emergencyNumbers });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(expect.objectContaining({ supportLinePhone: '0800 123 4567', emergencyNumbers }));
    expect((await t.http().get('/api/v1/policies').set(bearer(desk.intake))).body).toEqual(
      expect.objectContaining({ supportLinePhone: '0800 123 4567' }),
    );
    expect((await contact()).body).toEqual({ supportLinePhone: '0800 123 4567', emergencyNumbers });
    // left out: unchanged; null: cleared
    const { supportLinePhone: _p, emergencyNumbers: _e, ...contractOnly } = DEFAULT_POLICIES;
    expect(
      (await t.http().put('/api/v1/policies').set(bearer(desk.admin)).send(contractOnly)).body.supportLinePhone,
    ).toBe('0800 123 4567');
    expect((await put({ supportLinePhone: null })).body.supportLinePhone).toBeNull();
    expect((await contact()).body.supportLinePhone).toBeNull();
    expect((await put({})).status).toBe(200);
  });

  it.each([
    [{ supportLinePhone: '12' }, ['supportLinePhone']],
    [{ supportLinePhone: 'call us' }, ['supportLinePhone']],
    [{ supportLinePhone: 8001234567 }, ['supportLinePhone']],
    [{ supportLinePhone: '' }, ['supportLinePhone']],
    [{ emergencyNumbers: 'x' }, ['emergencyNumbers']],
    [{ emergencyNumbers: [{ label: '', number: '999' }] }, ['emergencyNumbers[0].label']],
    [{ emergencyNumbers: [{ label: 'A', number: 'nine' }] }, ['emergencyNumbers[0].number']],
    [{ emergencyNumbers: [{ label: 'A' }] }, ['emergencyNumbers[0].number']],
    [{ emergencyNumbers: Array.from({ length: 6 }, () => ({ label: 'A', number: '999' })) }, ['emergencyNumbers']],
  ])('PUT %j → 400 naming %j, nothing changes', async (body, fields) => {
    const before = (await contact()).body;
    const res = await put(body);
    expectValidation(res, fields);
    expect((await contact()).body).toEqual(before);
  });

  it('intake and supporter may not change it (403)', async () => {
    expect((await put({ supportLinePhone: '0800 123 4567' }, desk.intake)).status).toBe(403);
    expect((await put({ supportLinePhone: '0800 123 4567' }, desk.supporter)).status).toBe(403);
  });

  it('confirmations, reminders and web acknowledgements carry the number, by e-mail (tel: link) and SMS', async () => {
    expect((await put({ supportLinePhone: '0800 123 4567' })).status).toBe(200);
    const p = person();
    const intake = await intakeFor(t, desk.intake, p);
    await bookFor(t, desk.intake, intake.id, desk.supporterId);
    const rows: { kind: string; channel: string; body_text: string; body_html: string | null }[] = await t.ds.query(
      // the caller's messages (the supporter's notice about the booking is not one of them)
      `SELECT kind, channel, body_text, body_html FROM outbox_messages WHERE caller_id = $1 AND kind NOT LIKE 'supporter\\_%' ORDER BY kind, channel`,
      [intake.callerId],
    );
    expect(rows.map((r) => `${r.kind}/${r.channel}`)).toEqual([
      'confirmation/email',
      'confirmation/sms',
      'reminder/email',
      'reminder/sms',
    ]);
    for (const r of rows) {
      expect(r.body_text).toContain('0800 123 4567');
      if (r.channel === 'email') expect(r.body_html).toContain('<a href="tel:08001234567">0800 123 4567</a>');
    }
    const other = person();
    await webRequestFor(t, other);
    const [ack]: { body_text: string }[] = await t.ds.query(
      `SELECT o.body_text FROM outbox_messages o JOIN callers c ON c.id = o.caller_id WHERE c.phone = $1 AND o.channel = 'sms'`,
      [other.e164],
    );
    expect(ack.body_text).toContain('Support line 0800 123 4567.');
    expect((await put({ supportLinePhone: null })).status).toBe(200);
  });
});
