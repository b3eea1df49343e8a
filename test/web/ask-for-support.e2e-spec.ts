/// <reference lib="dom" />
/**
 * The public "Ask for support" page in a real browser against the real API:
 * the risk question first (a "yes" signposts and asks nothing more), then the
 * request is sent and its reference shown; intake staff find it in the queue
 * (channel web), read the person's words and book a shown slot.
 * Each browser context sends its own X-Forwarded-For (the API trusts it from
 * loopback), so each test has its own 5-an-hour limit.
 */
import type { Browser, Page } from 'playwright-core';
import { PASSWORD, startTestApp, type TestApp } from '../support/test-app';
import { launch, listen, newPage, shot, signIn } from './support/browser';

const EVERY_DAY = [1, 2, 3, 4, 5, 6, 7];
const REFERENCE = /^RQ-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{2}$/;

describe('web console: ask for support (no login)', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;

  beforeAll(async () => {
    [t, browser] = await Promise.all([startTestApp(), launch()]);
    base = await listen(t);
    const admin = (await t.signIn('admin')).token;
    const auth = { Authorization: `Bearer ${admin}` };
    const peer = await t
      .http()
      .post('/api/v1/supporters')
      .set(auth)
      .send({
        kind: 'peer',
        displayName: 'Dr Ada Peer',
        email: 'ada.peer@test.local',
        timeZone: 'Europe/London',
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
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function fillRequest(
    page: Page,
    input: { name: string; phone: string; email?: string; preferredTimes: string; message: string },
  ): Promise<void> {
    await page.locator('#service').getByLabel('Peer support').check();
    await page.getByLabel('Your name').fill(input.name);
    await page.getByLabel('Phone number').fill(input.phone);
    if (input.email) await page.getByLabel('E-mail address (optional)').fill(input.email);
    await page.locator('#role').getByLabel('Doctor').check();
    await page.getByLabel('Good times to call (optional)').fill(input.preferredTimes);
    await page.getByLabel('Your message (optional)').fill(input.message);
    await page.locator('#gmc').getByLabel('No').check();
    await page.getByLabel('I agree to the privacy notice').check();
  }

  it('answering yes to the risk question shows where to get help now and asks nothing more', async () => {
    const { context, page, errors } = await newPage(browser);
    await context.setExtraHTTPHeaders({ 'X-Forwarded-For': '198.51.100.1' });
    await page.goto(`${base}/ask-for-support`);
    await page.getByRole('heading', { level: 1, name: 'Ask for support' }).waitFor();
    // the risk question comes first: before it is answered, nothing else is asked
    await expect(page.locator('main input:not([type=radio]), main select, main textarea').count()).resolves.toBe(0);
    await expect(page.getByLabel('Your name').count()).resolves.toBe(0);
    // no staff navigation on a public page
    await expect(page.getByRole('navigation', { name: 'Main' }).count()).resolves.toBe(0);
    await shot(page, 'ask-for-support-1-start');

    await page.locator('#risk').getByLabel('Yes').check();
    const help = page.getByTestId('signposting');
    await help.waitFor();
    const text = (await help.textContent()) ?? '';
    expect(text).toContain('not an emergency service');
    expect(text).toContain('999');
    expect(text).toContain('A&E');
    expect(text).toContain('NHS 111');
    expect(text).toContain('GP');
    await expect(page.locator('main input:not([type=radio]), main select, main textarea').count()).resolves.toBe(0);
    await expect(page.getByRole('button', { name: 'Send my request' }).count()).resolves.toBe(0);
    await shot(page, 'ask-for-support-2-risk-yes');

    // changing the answer to "no" brings the form
    await page.locator('#risk').getByLabel('No').check();
    await page.getByLabel('Your name').waitFor();
    await expect(page.getByTestId('signposting').count()).resolves.toBe(0);
    // nothing was sent, nothing stored
    await expect(t.ds.query(`SELECT count(*)::int AS n FROM intakes WHERE channel = 'web'`)).resolves.toEqual([
      { n: 0 },
    ]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('sends a request from the sign-in page link; intake staff find it in the web queue, read the words and book a slot', async () => {
    const { context, page, errors } = await newPage(browser, { timezoneId: 'Europe/Dublin' });
    await context.setExtraHTTPHeaders({ 'X-Forwarded-For': '198.51.100.2' });
    const sent: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().endsWith('/api/v1/requests')) sent.push(r.postData() ?? '');
    });

    // linked from the sign-in page
    await page.goto(`${base}/signin`);
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    await shot(page, 'ask-for-support-0-sign-in');
    await page.getByRole('link', { name: 'ask for support online' }).click();
    await page.waitForURL(/\/ask-for-support$/);
    await page.getByRole('heading', { level: 1, name: 'Ask for support' }).waitFor();

    await page.locator('#risk').getByLabel('No').check();
    // the time zone defaults to the browser's
    await expect(page.getByLabel('Your time zone').inputValue()).resolves.toBe('Europe/Dublin');
    // the honeypot: off-screen, hidden from assistive technology, out of the tab order, empty
    const honeypot = page.locator('input[name="website"]');
    await expect(honeypot.count()).resolves.toBe(1);
    await expect(honeypot.getAttribute('tabindex')).resolves.toBe('-1');
    await expect(honeypot.getAttribute('autocomplete')).resolves.toBe('off');
    await expect(honeypot.evaluate((el) => el.closest('[aria-hidden="true"]') !== null)).resolves.toBe(true);
    const box = await honeypot.boundingBox();
    expect(box === null || box.x + box.width <= 0 || box.y + box.height <= 0).toBe(true);
    await expect(honeypot.inputValue()).resolves.toBe('');

    // the form says what is missing before sending anything
    await page.getByRole('button', { name: 'Send my request' }).click();
    const summary = page.getByTestId('error-summary');
    await summary.waitFor();
    await expect(summary.textContent()).resolves.toContain('Enter your name');
    await expect(summary.textContent()).resolves.toContain('privacy notice');
    expect(sent).toEqual([]);

    const words = {
      preferredTimes: 'Wednesday mornings before clinic',
      message: 'Finding it hard to sleep after a difficult case.',
    };
    await fillRequest(page, { name: 'Dr Robin Webb', phone: '07700 900777', email: 'robin.webb@test.local', ...words });
    // each answer given clears its own error; all answered, no error is left
    await expect(page.getByTestId('error-summary').count()).resolves.toBe(0);
    await expect(page.locator('.error-message').count()).resolves.toBe(0);
    await shot(page, 'ask-for-support-3-form');
    await page.getByRole('button', { name: 'Send my request' }).click();

    const received = page.getByTestId('request-received');
    await received.waitFor();
    const reference = ((await page.getByTestId('request-reference').textContent()) ?? '').trim();
    expect(reference).toMatch(REFERENCE);
    await expect(page.getByTestId('callback-promise').textContent()).resolves.toMatch(/within \d+ working hours/);
    await shot(page, 'ask-for-support-4-received');

    // what went over the wire: the honeypot not filled, the time zone the browser's
    expect(sent).toHaveLength(1);
    const body = JSON.parse(sent[0]);
    expect(body.website ?? '').toBe('');
    expect(body).toEqual(
      expect.objectContaining({
        service: 'peer_support',
        risk: { immediateDanger: false },
        consent: { privacyNotice: true },
        gmcInvestigation: false,
        preferredTimes: words.preferredTimes,
        message: words.message,
        caller: expect.objectContaining({
          name: 'Dr Robin Webb',
          phone: '07700 900777',
          timeZone: 'Europe/Dublin',
          role: 'doctor',
        }),
      }),
    );
    const stored = await t.ds.query(
      `SELECT i.id, i.channel, i.status, c.time_zone FROM intakes i JOIN callers c ON c.id = i.caller_id WHERE i.reference = $1`,
      [reference],
    );
    expect(stored).toEqual([{ id: expect.any(String), channel: 'web', status: 'open', time_zone: 'Europe/Dublin' }]);
    expect(errors).toEqual([]);
    await context.close();

    // an intake member signs in and filters the queue by channel
    const { email } = await t.signIn('intake');
    const staff = await newPage(browser, { timezoneId: 'Europe/London' });
    await signIn(staff.page, base, email, PASSWORD);
    await staff.page.getByRole('heading', { level: 1, name: 'Intakes' }).waitFor();
    await staff.page.getByLabel('Channel').selectOption('web');
    await staff.page.waitForURL(/channel=web/);
    const row = staff.page.getByTestId('intake-queue').getByRole('row').filter({ hasText: 'Dr Robin Webb' });
    await row.waitFor();
    await expect(row.locator('.tag', { hasText: 'Web' }).count()).resolves.toBe(1);
    await shot(staff.page, 'ask-for-support-5-queue');

    await row.getByRole('link', { name: 'Dr Robin Webb' }).click();
    await staff.page.getByRole('heading', { level: 1, name: 'Dr Robin Webb' }).waitFor();
    await expect(staff.page.getByTestId('preferred-times').textContent()).resolves.toBe(words.preferredTimes);
    await expect(staff.page.getByTestId('caller-message').textContent()).resolves.toBe(words.message);
    await expect(staff.page.getByTestId('request-reference').textContent()).resolves.toBe(reference);
    // opened from the queue, not from a call just taken: the caller's zone still comes with the intake
    await expect(staff.page.getByTestId('caller-zone').textContent()).resolves.toContain('Europe/Dublin');
    const candidate = staff.page.getByTestId('candidate').filter({ hasText: 'Dr Ada Peer' });
    await candidate.waitFor();
    await expect(candidate.locator('.slot-list').textContent()).resolves.toContain('caller:');
    await shot(staff.page, 'ask-for-support-6-web-request');

    await candidate.locator('.slot-list button').first().click();
    await candidate.getByTestId('booking-confirm').getByRole('button', { name: 'Book this session' }).click();
    const bookingRef = staff.page.getByTestId('booking-reference');
    await bookingRef.waitFor();
    const ref = ((await bookingRef.textContent()) ?? '').trim();
    expect(ref).toMatch(/^PS-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{2}$/);
    await staff.page.getByTestId('intake-bookings').getByRole('cell', { name: ref, exact: true }).waitFor();
    await shot(staff.page, 'ask-for-support-7-booked');
    const booking = await t.ds.query(`SELECT intake_id FROM bookings WHERE reference = $1`, [ref]);
    expect(booking).toEqual([{ intake_id: stored[0].id }]);
    expect(staff.errors).toEqual([]);
    await staff.context.close();
  });

  it('shows a kind message with phone alternatives when the address has sent too many requests', async () => {
    const ip = '198.51.100.3';
    // five requests from this address already this hour (whatever their outcome)
    for (let i = 0; i < 5; i++) {
      const res = await t.http().post('/api/v1/requests').set('X-Forwarded-For', ip).send({});
      expect(res.status).toBe(400);
    }
    const { context, page, errors } = await newPage(browser);
    await context.setExtraHTTPHeaders({ 'X-Forwarded-For': ip });
    await page.goto(`${base}/ask-for-support`);
    await page.locator('#risk').getByLabel('No').check();
    await fillRequest(page, {
      name: 'Dr Sam Busy',
      phone: '07700 900778',
      preferredTimes: 'Any time',
      message: 'Hello',
    });
    await page.getByRole('button', { name: 'Send my request' }).click();
    const notice = page.getByTestId('too-many-requests');
    await notice.waitFor();
    const text = (await notice.textContent()) ?? '';
    expect(text).toMatch(/phone the support line/i);
    expect(text).toContain('NHS 111');
    expect(text).toContain('999');
    // the form keeps what was typed
    await expect(page.getByLabel('Your name').inputValue()).resolves.toBe('Dr Sam Busy');
    await expect(page.getByTestId('request-received').count()).resolves.toBe(0);
    // the message is where the person is: it has the focus
    await expect(notice.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    await shot(page, 'ask-for-support-8-too-many');
    expect(errors).toEqual([]);
    await context.close();
  });
});
