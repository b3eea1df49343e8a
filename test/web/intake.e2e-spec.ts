/**
 * The web console, intake side, in a real browser against the real API:
 * take a call, see matches (and who is excluded, and why), book a shown slot,
 * read the reference; then the caller cancels on their manage page.
 */
import type { Browser } from 'playwright-core';
import { PASSWORD, startTestApp, type TestApp } from '../support/test-app';
import { launch, listen, newPage, shot, signIn } from './support/browser';

const EVERY_DAY = [1, 2, 3, 4, 5, 6, 7];

describe('web console: intake', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let admin: string;

  beforeAll(async () => {
    [t, browser] = await Promise.all([startTestApp(), launch()]);
    base = await listen(t);
    admin = (await t.signIn('admin')).token;
    const auth = { Authorization: `Bearer ${admin}` };
    const peer = await t
      .http()
      .post('/api/v1/supporters')
      .set(auth)
      .send({
        kind: 'peer',
        displayName: 'Dr Web Peer',
        email: 'web.peer@test.local',
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
    const counsellor = await t.http().post('/api/v1/supporters').set(auth).send({
      kind: 'counsellor',
      displayName: 'Web Counsellor',
      email: 'web.counsellor@test.local',
      timeZone: 'Europe/London',
      maxActiveCases: 5,
    });
    expect(counsellor.status).toBe(201);
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('takes a call, books a shown slot and shows the reference; the caller then cancels on the manage page', async () => {
    const { email } = await t.signIn('intake');
    const { context, page, errors } = await newPage(browser);
    await page.goto(`${base}/intakes`);
    await page.waitForURL(/\/signin/);
    await shot(page, '01-sign-in');
    await signIn(page, base, email, PASSWORD);
    await page.getByRole('heading', { level: 1, name: 'Intakes' }).waitFor();
    await shot(page, '02-intake-queue');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'New call' }).click();
    await page.getByRole('heading', { level: 1, name: 'New call' }).waitFor();
    // the risk question comes first, and nothing else is asked before it is answered
    await expect(page.getByLabel('Phone number').count()).resolves.toBe(0);
    await page.locator('#risk').getByLabel('No').check();
    await page.getByLabel('Phone number').fill('07700 900461');
    await page.getByLabel('Peer support').check();
    await page.getByLabel('Name', { exact: true }).fill('Dr Alex Caller');
    await page.getByLabel('E-mail address (optional)').fill('alex.caller@test.local');
    await page.locator('#role').getByLabel('Doctor').check();
    await page.locator('#gmc').getByLabel('No').check();
    await page.getByLabel('The caller agrees to the privacy notice').check();
    await shot(page, '03-new-call');
    await page.getByRole('button', { name: 'Save and find a supporter' }).click();

    // the match list, with reasons, and the excluded supporters with theirs
    const candidate = page.getByTestId('candidate').filter({ hasText: 'Dr Web Peer' });
    await candidate.waitFor();
    await expect(candidate.locator('.reasons li').count()).resolves.toBeGreaterThan(0);
    const excluded = page.getByTestId('excluded').getByRole('row').filter({ hasText: 'Web Counsellor' });
    await expect(excluded.textContent()).resolves.toMatch(/counselling/i);
    await shot(page, '04-matches');

    // a shown slot opens the read-back; only its "Book" books; the reference is shown large
    const slot = candidate.locator('.slot-list button').first();
    const slotText = (await slot.textContent()) ?? '';
    expect(slotText).toMatch(/(GMT|BST)/);
    await slot.click();
    const confirm = page.getByTestId('booking-confirm');
    await expect(confirm.getByTestId('confirm-supporter').textContent()).resolves.toBe('Dr Web Peer');
    await confirm.getByRole('button', { name: 'Book this session' }).click();
    const reference = page.getByTestId('booking-reference');
    await reference.waitFor();
    const ref = ((await reference.textContent()) ?? '').trim();
    expect(ref).toMatch(/^PS-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{2}$/);
    const fontSize = Number(
      await page.evaluate(
        `parseFloat(getComputedStyle(document.querySelector('[data-testid="booking-reference"]')).fontSize)`,
      ),
    );
    expect(fontSize).toBeGreaterThanOrEqual(40);
    await page.getByTestId('intake-bookings').getByRole('cell', { name: ref, exact: true }).waitFor();
    await shot(page, '05-booking-confirmed');

    const booking = await t.ds.query(`SELECT id FROM bookings WHERE reference = $1`, [ref]);
    expect(booking).toHaveLength(1);

    // the manage link goes to the caller only (the outbox); its token is nowhere else
    const messages: { body_text: string }[] = await t.ds.query(
      `SELECT body_text FROM outbox_messages WHERE booking_id = $1 ORDER BY created_at`,
      [booking[0].id],
    );
    const token = messages.map((m) => /\/manage\/([A-Za-z0-9_-]+)/.exec(m.body_text)?.[1]).find(Boolean);
    expect(token).toBeTruthy();

    // a caller abroad: their own browser, their own zone
    const caller = await newPage(browser, { timezoneId: 'Europe/Paris' });
    await caller.page.goto(`${base}/manage/${token}`);
    const details = caller.page.getByTestId('manage-booking');
    await details.waitFor();
    await expect(details.textContent()).resolves.toContain(ref);
    await expect(details.textContent()).resolves.toContain('Europe/Paris');
    await expect(details.textContent()).resolves.toMatch(/CET|CEST|GMT\+1|GMT\+2/);
    await expect(caller.page.getByRole('navigation', { name: 'Main' }).count()).resolves.toBe(0);
    await shot(caller.page, '07-manage');
    await caller.page.getByRole('button', { name: 'Cancel this appointment' }).click();
    await caller.page.getByRole('heading', { name: 'Are you sure you want to cancel?' }).waitFor();
    await shot(caller.page, '08-manage-confirm');
    await caller.page.getByRole('button', { name: 'Yes, cancel it' }).click();
    await caller.page.getByTestId('manage-cancelled').waitFor();
    await expect(caller.page.getByTestId('manage-status').textContent()).resolves.toBe('Cancelled');
    await shot(caller.page, '09-manage-cancelled');
    const after = await t.ds.query(`SELECT status FROM bookings WHERE id = $1`, [booking[0].id]);
    expect(after[0].status).toBe('cancelled');

    // staff see it cancelled on the intake page
    await page.reload();
    await page
      .getByTestId('intake-bookings')
      .getByRole('row')
      .filter({ hasText: ref })
      .getByText('Cancelled')
      .waitFor();
    await page.getByTestId('matches').waitFor();
    await shot(page, '06-intake-detail');

    expect(errors).toEqual([]);
    expect(caller.errors).toEqual([]);
    await caller.context.close();
    await context.close();
  });

  it('answering yes to the risk question shows the signposting and asks nothing more', async () => {
    const { email } = await t.signIn('intake');
    const { context, page, errors } = await newPage(browser);
    await signIn(page, base, email, PASSWORD);
    await page.goto(`${base}/intakes/new`);
    await page.locator('#risk').getByLabel('Yes').check();
    const script = page.getByTestId('signposting');
    await script.waitFor();
    const text = (await script.textContent()) ?? '';
    expect(text).toContain('not an emergency service');
    expect(text).toContain('999');
    expect(text).toContain('A&E');
    expect(text).toContain('NHS 111');
    expect(text).toContain('GP');
    // nothing of the booking path is asked: only the short record of the signposted call (issue 17 item 5), after the script
    await expect(
      page.locator('form.call-form input:not([type=radio]), form.call-form select, form.call-form textarea').count(),
    ).resolves.toBe(0);
    await expect(page.getByRole('button', { name: 'Save and find a supporter' }).count()).resolves.toBe(0);
    await page.getByTestId('signposted-record').waitFor();
    await shot(page, '10-signposting');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('books a series from the matches, then reschedules and cancels a session on the intake page', async () => {
    const { email, token } = await t.signIn('intake');
    const created = await t
      .http()
      .post('/api/v1/intakes')
      .set({ Authorization: `Bearer ${token}` })
      .send({
        service: 'peer_support',
        caller: { name: 'Dr Series Caller', phone: '07700 900462', role: 'doctor' },
        risk: { immediateDanger: false },
        consent: { privacyNotice: true },
      });
    expect(created.status).toBe(201);
    const { context, page, errors } = await newPage(browser);
    await signIn(page, base, email, PASSWORD);
    await page.goto(`${base}/intakes/${created.body.id}`);

    const candidate = page.getByTestId('candidate').filter({ hasText: 'Dr Web Peer' });
    await candidate.getByText('Book a series with Dr Web Peer').click();
    await candidate.getByLabel('Number of sessions').fill('3');
    await candidate.getByLabel('Every 2 weeks').check();
    await candidate.getByRole('button', { name: 'Check the series' }).click();
    await expect(candidate.getByTestId('booking-confirm').textContent()).resolves.toContain(
      '3 sessions, every 2 weeks',
    );
    await candidate.getByRole('button', { name: 'Book these sessions' }).click();
    await page.getByTestId('booking-confirmed').getByText('3 sessions booked').waitFor();
    const rows = page.getByTestId('intake-bookings').locator('tbody tr');
    await rows.nth(2).waitFor();
    await expect(rows.count()).resolves.toBe(3);
    const stored: { start: Date }[] = await t.ds.query(
      `SELECT starts_at AS start FROM bookings WHERE intake_id = $1 ORDER BY starts_at`,
      [created.body.id],
    );
    expect(stored).toHaveLength(3);
    const gapDays = (stored[1].start.getTime() - stored[0].start.getTime()) / 86_400_000;
    expect(Math.round(gapDays)).toBe(14);

    // reschedule the first: a new slot from the supporter's free times
    const first = rows.first();
    const ref = ((await first.locator('td').first().textContent()) ?? '').trim();
    await first.getByRole('button', { name: `Reschedule ${ref}` }).click();
    const select = first.getByLabel('New time');
    await select.waitFor();
    const options = await select.locator('option').allTextContents();
    expect(options.length).toBeGreaterThan(1);
    await select.selectOption({ index: 2 });
    const chosen = await select.inputValue();
    await first.getByRole('button', { name: 'Move the session' }).click();
    await page
      .getByTestId('intake-bookings')
      .getByRole('button', { name: `Reschedule ${ref}` })
      .waitFor();
    const moved = await t.ds.query(`SELECT starts_at FROM bookings WHERE reference = $1`, [ref]);
    expect(new Date(moved[0].starts_at).toISOString()).toBe(new Date(chosen).toISOString());

    // cancel needs a reason
    const row = page.getByTestId('intake-bookings').getByRole('row').filter({ hasText: ref });
    await row.getByRole('button', { name: `Cancel ${ref}` }).click();
    await row.getByRole('button', { name: 'Cancel the session' }).click();
    await expect(row.getByTestId('error-summary').textContent()).resolves.toContain(
      'Enter why the session is cancelled',
    );
    await row.getByLabel('Reason for cancelling').fill('Caller asked by phone');
    await row.getByRole('button', { name: 'Cancel the session' }).click();
    await row.getByText('Cancelled', { exact: true }).waitFor();
    const cancelled = await t.ds.query(`SELECT status FROM bookings WHERE reference = $1`, [ref]);
    expect(cancelled[0].status).toBe('cancelled');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('lists intakes newest first, filters them and loads more', async () => {
    const { email, token } = await t.signIn('intake');
    for (let i = 0; i < 22; i++) {
      const res = await t
        .http()
        .post('/api/v1/intakes')
        .set({ Authorization: `Bearer ${token}` })
        .send({
          service: i % 2 ? 'counselling' : 'peer_support',
          caller: {
            name: `Dr Queue ${String(i).padStart(2, '0')}`,
            phone: `07700 9005${String(i).padStart(2, '0')}`,
            role: 'doctor',
          },
          risk: { immediateDanger: i % 5 === 0 },
          consent: { privacyNotice: true },
        });
      expect(res.status).toBe(201);
    }
    const { context, page, errors } = await newPage(browser);
    await signIn(page, base, email, PASSWORD);
    const body = page.getByTestId('intake-queue').locator('tbody tr');
    await page.getByTestId('intake-queue').getByText('Dr Queue 21').waitFor();
    await expect(body.first().textContent()).resolves.toContain('Dr Queue 21');
    await expect(body.count()).resolves.toBe(20);
    await page.getByRole('button', { name: 'Load more' }).click();
    await page.getByTestId('intake-queue').getByText('Dr Queue 00').waitFor();
    const total = await body.count();
    expect(total).toBeGreaterThan(20);

    await page.getByLabel('Status').selectOption('signposted');
    await page.waitForURL(/status=signposted/);
    await page.getByTestId('intake-queue').getByText('Dr Queue 01').waitFor({ state: 'detached' });
    const statuses = await page.getByTestId('intake-queue').locator('tbody tr td:nth-child(5)').allTextContents();
    expect(statuses.length).toBeGreaterThanOrEqual(5);
    expect(new Set(statuses)).toEqual(new Set(['Signposted']));
    await page.getByLabel('Service').selectOption('counselling');
    await page.waitForURL(/service=counselling/);
    // Dr Queue 00 is signposted peer support: gone once the service filter applies
    await page.getByTestId('intake-queue').getByText('Dr Queue 00').waitFor({ state: 'detached' });
    await expect(page.getByTestId('intake-queue').locator('tbody').textContent()).resolves.toMatch(
      /Dr Queue 15[\s\S]*Dr Queue 05/,
    );
    await expect(body.count()).resolves.toBe(2);
    expect(errors).toEqual([]);
    await context.close();
  });
});
