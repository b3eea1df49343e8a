/**
 * Issue 17, the call taker's side (items 1, 2, 4, 5, 6), in Chromium against the real API: the caller panel,
 * every free time day by day in both zones, the read-back before booking, Undo within the grace period, the
 * signposted record and the escalation form, Yes → No confirmed, and a sign-in that ends mid-call.
 */
import jwt from 'jsonwebtoken';
import type { Browser, Page } from 'playwright-core';
import { PASSWORD, startTestApp, type TestApp } from '../support/test-app';
import { launch, listen, newPage, shot, signIn } from './support/browser';

const EVERY_DAY = [1, 2, 3, 4, 5, 6, 7];
const JWT_SECRET = 'test-secret-test-secret-test-secret-0123456789';

/** "(caller: Thu 3 Dec, 13:00–13:50 GMT+5:30)" → [start, end] in minutes of the caller's day. */
function callerMinutes(text: string): [number, number] | null {
  const m = /caller: [^,]+, (\d{2}):(\d{2})–(\d{2}):(\d{2})/.exec(text);
  return m ? [Number(m[1]) * 60 + Number(m[2]), Number(m[3]) * 60 + Number(m[4])] : null;
}

/** The session in this tab, its token re-signed to end `seconds` from now (negative: already ended). */
async function tokenEndingIn(page: Page, seconds: number): Promise<void> {
  const raw = await page.evaluate<string>(`sessionStorage.getItem('dsl.session')`);
  const session = JSON.parse(raw) as { token: string };
  const claims = jwt.decode(session.token) as Record<string, unknown>;
  session.token = jwt.sign({ ...claims, exp: Math.floor(Date.now() / 1000) + seconds }, JWT_SECRET, {
    algorithm: 'HS256',
  });
  await page.evaluate(`sessionStorage.setItem('dsl.session', ${JSON.stringify(JSON.stringify(session))})`);
}

describe('web console: a whole call (issue 17: times, read-back, undo, caller, at-risk record, sign-in expiry)', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let admin: string;

  beforeAll(async () => {
    [t, browser] = await Promise.all([
      startTestApp({ CONFIRMATION_GRACE_SECONDS: '40', VIDEO_ROOM_BASE_URL: 'https://meet.example.org/support' }),
      launch(),
    ]);
    base = await listen(t);
    admin = (await t.signIn('admin')).token;
    const auth = { Authorization: `Bearer ${admin}` };
    for (const [displayName, timeZone] of [
      ['Dr Day Peer', 'Europe/London'],
      ['Dr Other Peer', 'Europe/Paris'],
    ]) {
      const peer = await t
        .http()
        .post('/api/v1/supporters')
        .set(auth)
        .send({
          kind: 'peer',
          displayName,
          email: `${displayName.replace(/\W/g, '').toLowerCase()}@test.local`,
          timeZone,
          maxActiveCases: 5,
          languages: ['en'],
          modalities: ['phone', 'video'],
        });
      expect(peer.status).toBe(201);
      const rules = await t
        .http()
        .put(`/api/v1/supporters/${peer.body.id}/availability`)
        .set(auth)
        .send({ weekly: EVERY_DAY.map((weekday) => ({ weekday, start: '08:00', end: '20:00' })) });
      expect(rules.status).toBe(200);
    }
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function newIntake(token: string, phone: string, timeZone: string): Promise<{ id: string; callerId: string }> {
    const res = await t
      .http()
      .post('/api/v1/intakes')
      .set({ Authorization: `Bearer ${token}` })
      .send({
        service: 'peer_support',
        caller: { name: 'Dr Priya Abroad', phone, email: 'priya.abroad@test.local', role: 'doctor', timeZone },
        preferences: { modality: 'video', languages: ['en'] },
        risk: { immediateDanger: false },
        consent: { privacyNotice: true },
      });
    expect(res.status).toBe(201);
    return res.body as { id: string; callerId: string };
  }

  it('caller panel; every free time day by day in both zones; read-back; others hidden after booking; Undo sends nothing', async () => {
    const { email, token } = await t.signIn('intake');
    const intake = await newIntake(token, '07700 900471', 'Asia/Kolkata');
    const { context, page, errors } = await newPage(browser);
    await signIn(page, base, email, PASSWORD);
    await page.goto(`${base}/intakes/${intake.id}`);

    // 2. the caller panel, read through the audited caller endpoint
    const panel = page.getByTestId('caller-panel');
    await panel.getByTestId('caller-name').waitFor();
    await expect(panel.getByTestId('caller-name').textContent()).resolves.toBe('Dr Priya Abroad');
    await expect(panel.getByTestId('caller-phone').getAttribute('href')).resolves.toBe('tel:+447700900471');
    await expect(panel.getByTestId('caller-email').textContent()).resolves.toBe('priya.abroad@test.local');
    await expect(panel.getByTestId('caller-zone-panel').textContent()).resolves.toContain('Asia/Kolkata');
    await expect(panel.getByTestId('caller-preferences').textContent()).resolves.toContain('by video');
    await expect(panel.getByTestId('caller-consent').textContent()).resolves.toMatch(/\d{2}:\d{2}/);
    const reads = await t.ds.query(
      `SELECT count(*)::int AS n FROM audit_events WHERE caller_id = $1 AND action = 'caller.read'`,
      [intake.callerId],
    );
    expect(reads[0].n).toBeGreaterThanOrEqual(1);

    // 1. every free time, day by day, with the caller's time beside; only sociable hours in both zones
    const candidate = page.getByTestId('candidate').filter({ hasText: 'Dr Day Peer' });
    await candidate.getByText('All free times with Dr Day Peer, day by day').click();
    const picker = candidate.getByTestId('slot-picker');
    await picker.getByTestId('slot-day').nth(6).waitFor();
    await expect(picker.getByTestId('slot-day').count()).resolves.toBe(7);
    await picker.locator('.slot-list button').first().waitFor();
    const texts = await picker.locator('.slot-list button').allTextContents();
    expect(texts.length).toBeGreaterThan(3 * 4); // more than the three "first free times", and on several days
    for (const text of texts) {
      const mins = callerMinutes(text);
      expect(mins).not.toBeNull();
      expect(mins![0]).toBeGreaterThanOrEqual(8 * 60);
      expect(mins![1]).toBeLessThanOrEqual(20 * 60);
    }
    await picker.getByRole('button', { name: 'More times with Dr Day Peer' }).click();
    await picker.getByTestId('slot-day').nth(13).waitFor();
    await expect(picker.getByTestId('slot-day').count()).resolves.toBe(14);

    // the date picker starts the days where asked
    const later = new Date(Date.now() + 20 * 86_400_000);
    const iso = later.toISOString().slice(0, 10);
    await picker.getByLabel('Show free times from').fill(iso);
    const dayName = new Intl.DateTimeFormat('en-GB', {
      weekday: 'long',
      day: 'numeric',
      month: 'long',
      timeZone: 'UTC',
    }).format(later);
    await picker.getByTestId('slot-day').first().getByRole('heading', { name: dayName }).waitFor();
    await shot(page, 'h17-01-day-by-day-times');

    // a supporter in another zone: their own time beside too
    const paris = page.getByTestId('candidate').filter({ hasText: 'Dr Other Peer' });
    await paris.getByText('All free times with Dr Other Peer, day by day').click();
    const parisSlot = paris.getByTestId('slot-picker').locator('.slot-list button').first();
    await parisSlot.waitFor();
    await expect(parisSlot.textContent()).resolves.toMatch(/\(supporter: .*(CET|CEST|GMT\+1|GMT\+2)\).*\(caller: /);
    await paris.getByText('All free times with Dr Other Peer, day by day').click();

    // 4. choosing a time reads it back before anything is booked
    const chosen = picker.locator('.slot-list button').first();
    await chosen.click();
    const confirm = candidate.getByTestId('booking-confirm');
    await expect(confirm.getByTestId('confirm-supporter').textContent()).resolves.toBe('Dr Day Peer');
    await expect(confirm.getByTestId('confirm-when').textContent()).resolves.toMatch(/(GMT|BST)/);
    await expect(confirm.getByTestId('confirm-caller-when').textContent()).resolves.toContain('Asia/Kolkata');
    await expect(confirm.getByTestId('confirm-modality').textContent()).resolves.toBe('Video');
    await expect(t.ds.query(`SELECT 1 FROM bookings WHERE intake_id = $1`, [intake.id])).resolves.toHaveLength(0);
    await shot(page, 'h17-02-read-back');
    // on a phone (390 px) the caller panel, the day-by-day times and the read-back fit the screen
    await page.setViewportSize({ width: 390, height: 844 });
    for (const id of ['caller-panel', 'slot-picker', 'booking-confirm']) {
      const right = await page.evaluate(
        `Math.max(...[...document.querySelectorAll('[data-testid="${id}"], [data-testid="${id}"] *')].map((e) => e.getBoundingClientRect().right))`,
      );
      expect({ id, right }).toEqual({ id, right: expect.any(Number) });
      expect({ id, overflows: (right as number) > 390 }).toEqual({ id, overflows: false });
    }
    await shot(page, 'h17-02b-read-back-390');
    await page.setViewportSize({ width: 1280, height: 900 });
    // a double click books once
    await confirm.getByRole('button', { name: 'Book this session' }).dblclick();
    await page.getByTestId('booking-reference').waitFor();
    const bookings: { id: string; status: string }[] = await t.ds.query(
      `SELECT id, status FROM bookings WHERE intake_id = $1`,
      [intake.id],
    );
    expect(bookings).toHaveLength(1);
    await page.getByTestId('undo-window').waitFor();

    // after booking, only this supporter's times are offered
    await page.getByRole('heading', { name: 'More sessions with Dr Day Peer' }).waitFor();
    await page.getByTestId('others-hidden').waitFor();
    await expect(page.getByTestId('candidate').filter({ hasText: 'Dr Other Peer' }).count()).resolves.toBe(0);
    await shot(page, 'h17-03-booked-with-undo');

    // the confirmations wait out the grace period
    const due: { due_at: Date; status: string }[] = await t.ds.query(
      `SELECT due_at, status FROM outbox_messages WHERE booking_id = $1 AND kind = 'confirmation'`,
      [bookings[0].id],
    );
    expect(due.length).toBeGreaterThan(0);
    for (const d of due) {
      expect(d.status).toBe('pending');
      expect(new Date(d.due_at).getTime()).toBeGreaterThan(Date.now());
    }

    // Undo: cancelled silently, the intake open again, every candidate back
    await page.getByRole('button', { name: /Undo this booking/ }).click();
    await page.getByTestId('booking-undone').waitFor();
    const after: { status: string }[] = await t.ds.query(`SELECT status FROM bookings WHERE id = $1`, [bookings[0].id]);
    expect(after[0].status).toBe('cancelled');
    const messages: { status: string; kind: string }[] = await t.ds.query(
      `SELECT status, kind FROM outbox_messages WHERE booking_id = $1`,
      [bookings[0].id],
    );
    expect(messages.every((m) => m.status === 'cancelled' && m.kind !== 'cancellation')).toBe(true);
    await page.getByTestId('candidate').filter({ hasText: 'Dr Other Peer' }).waitFor();
    await shot(page, 'h17-04-undone');

    // booked again, then moved to the other supporter (same time) with a reason
    const again = page.getByTestId('candidate').filter({ hasText: 'Dr Day Peer' });
    await again.locator('.slot-list button').first().click();
    await again.getByTestId('booking-confirm').getByRole('button', { name: 'Book this session' }).click();
    await page.getByRole('heading', { name: 'More sessions with Dr Day Peer' }).waitFor();
    const reassign = page.getByTestId('reassign');
    await reassign.getByText('Reassign a session to another supporter').click();
    await reassign.getByRole('button', { name: 'Reassign the session' }).click();
    await expect(reassign.getByTestId('error-summary').textContent()).resolves.toContain('Choose the supporter');
    await reassign.getByLabel('Move it to').selectOption({ label: 'Dr Other Peer' });
    await reassign.getByLabel('Why it moves').fill('Dr Day Peer knows the caller socially');
    await reassign.getByRole('button', { name: 'Reassign the session' }).click();
    await page.getByRole('heading', { name: 'More sessions with Dr Other Peer' }).waitFor();
    const moved: { supporter: string }[] = await t.ds.query(
      `SELECT s.display_name AS supporter FROM bookings b JOIN supporters s ON s.id = b.supporter_id WHERE b.intake_id = $1 AND b.status = 'confirmed'`,
      [intake.id],
    );
    expect(moved).toEqual([{ supporter: 'Dr Other Peer' }]);
    await shot(page, 'h17-08-reassigned');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('at-risk: Yes → No asks first; the signposted call is recorded (no booking) and an escalation can be added', async () => {
    const { email } = await t.signIn('intake');
    const { context, page, errors } = await newPage(browser);
    await signIn(page, base, email, PASSWORD);
    await page.goto(`${base}/intakes/new`);
    await page.locator('#risk').getByLabel('Yes').check();
    await page.getByTestId('signposting').waitFor();

    // taking back a Yes needs a second, deliberate step
    await page.locator('#risk').getByLabel('No').click();
    const ask = page.getByTestId('confirm-risk-no');
    await ask.waitFor();
    await ask.getByRole('button', { name: 'Keep Yes' }).click();
    await expect(page.locator('#risk').getByLabel('Yes').isChecked()).resolves.toBe(true);
    await page.getByTestId('signposting').waitFor();

    // record the call
    const form = page.getByTestId('signposted-record');
    await form.getByRole('button', { name: 'Save the signposted call' }).click();
    await expect(form.getByTestId('error-summary').textContent()).resolves.toContain("Enter the caller's name");
    await form.getByLabel('Name').fill('Dr At Risk');
    await form.getByLabel('Phone number').fill('07700 900472');
    await form.getByLabel('Counselling').check();
    await form.getByLabel('Doctor').check();
    await form.getByLabel('The caller agrees to the privacy notice').check();
    await form.getByRole('button', { name: 'Save the signposted call' }).click();
    const saved = page.getByTestId('signposted-saved');
    await saved.waitFor();
    await expect(saved.textContent()).resolves.toMatch(/By phone, .*Advised: .*999/);
    await shot(page, 'h17-05-signposted-recorded');
    const rows: { id: string; status: string; channel: string; immediate_danger: boolean }[] = await t.ds.query(
      `SELECT i.id, i.status, i.channel, i.immediate_danger FROM intakes i JOIN callers c ON c.id = i.caller_id WHERE c.name = 'Dr At Risk'`,
    );
    expect(rows).toEqual([expect.objectContaining({ status: 'signposted', channel: 'phone', immediate_danger: true })]);
    await expect(t.ds.query(`SELECT 1 FROM bookings WHERE intake_id = $1`, [rows[0].id])).resolves.toHaveLength(0);

    // the escalation form on the intake page
    await saved.getByRole('link', { name: 'Open the record' }).click();
    await page.getByRole('heading', { level: 1, name: 'Dr At Risk' }).waitFor();
    const escalation = page.getByTestId('escalation');
    await escalation.getByText('Record an escalation').click();
    await escalation.getByRole('button', { name: 'Record the escalation' }).click();
    await expect(escalation.getByTestId('error-summary').textContent()).resolves.toContain('Select what the risk is');
    await escalation.getByLabel('Risk to the caller themselves').check();
    await escalation.getByLabel('What happened').fill('Caller described a plan; stayed on the line.');
    await escalation.getByLabel('Action taken').fill('Ambulance called at the caller’s request.');
    await escalation.getByRole('button', { name: 'Record the escalation' }).click();
    await escalation.getByText('Escalation recorded').waitFor();
    const esc = await t.ds.query(`SELECT kind FROM escalations WHERE intake_id = $1`, [rows[0].id]);
    expect(esc).toEqual([{ kind: 'risk_to_self' }]);
    await shot(page, 'h17-06-escalation');

    // a Yes changed to No, confirmed, opens the booking path
    await page.goto(`${base}/intakes/new`);
    await page.locator('#risk').getByLabel('Yes').check();
    await page.locator('#risk').getByLabel('No').click();
    await page.getByTestId('confirm-risk-no').getByRole('button', { name: 'Yes, change to No' }).click();
    await page.getByLabel('Phone number').waitFor();
    await expect(page.getByTestId('signposting').count()).resolves.toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a sign-in that ends mid-call: warned before; the unsaved form comes back after signing in again; sign-out clears it', async () => {
    const { email } = await t.signIn('intake');
    const { context, page, errors } = await newPage(browser);
    await signIn(page, base, email, PASSWORD);
    await tokenEndingIn(page, 4 * 60);
    await page.goto(`${base}/intakes/new`);
    await expect(page.getByTestId('session-warning').textContent()).resolves.toMatch(/ends in [45] minutes/);

    await page.locator('#risk').getByLabel('No').check();
    // the phone look-up answers first (it would otherwise meet the ended sign-in below, and end it itself)
    const lookedUp = page.waitForResponse((r) => r.url().includes('/api/v1/search?'));
    await page.getByLabel('Phone number').fill('07700 900473');
    await lookedUp;
    await page.getByLabel('Counselling').check();
    await page.getByLabel('Name', { exact: true }).fill('Dr Kept Draft');
    await page.locator('#role').getByLabel('Doctor').check();
    await page.locator('#gmc').getByLabel('No').check();
    await page.getByLabel('The caller agrees to the privacy notice').check();

    // the sign-in ends; saving is refused and asks to sign in again
    await tokenEndingIn(page, -10);
    await page.getByRole('button', { name: 'Save and find a supporter' }).click();
    await page.waitForURL(/\/signin\?expired=1/);
    await page.getByLabel('E-mail address').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/intakes\/new/);
    await page.getByTestId('draft-restored').waitFor();
    await expect(page.getByLabel('Name', { exact: true }).inputValue()).resolves.toBe('Dr Kept Draft');
    await expect(page.getByLabel('Phone number').inputValue()).resolves.toBe('07700 900473');
    await expect(page.getByLabel('Counselling').isChecked()).resolves.toBe(true);
    await shot(page, 'h17-07-draft-restored');

    // sign out: nothing is left behind
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/signin/);
    await expect(
      page.evaluate(`Object.keys(sessionStorage).filter((k) => k.startsWith('dsl.draft.')).length`),
    ).resolves.toBe(0);

    // and saving clears it too
    await signIn(page, base, email, PASSWORD);
    await page.goto(`${base}/intakes/new`);
    await expect(page.getByTestId('draft-restored').count()).resolves.toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });
});
