/**
 * The web console, supporter side: my week, weekly availability (a peer
 * window outside sociable hours is refused, and the form says why), time off.
 */
import type { Browser } from 'playwright-core';
import { PASSWORD, startTestApp, type TestApp } from '../support/test-app';
import { launch, listen, newPage, shot, signIn } from './support/browser';

describe('web console: supporter', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let supporterId: string;
  let email: string;

  beforeAll(async () => {
    [t, browser] = await Promise.all([startTestApp(), launch()]);
    base = await listen(t);
    const admin = { Authorization: `Bearer ${(await t.signIn('admin')).token}` };
    const peer = await t.http().post('/api/v1/supporters').set(admin).send({
      kind: 'peer',
      displayName: 'Dr Sam Peer',
      email: 'sam.peer@test.local',
      timeZone: 'Europe/London',
      maxActiveCases: 3,
    });
    expect(peer.status).toBe(201);
    supporterId = peer.body.id;
    const rules = await t
      .http()
      .put(`/api/v1/supporters/${supporterId}/availability`)
      .set(admin)
      .send({
        weekly: [
          { weekday: 1, start: '18:00', end: '20:00' },
          { weekday: 3, start: '09:00', end: '12:00' },
        ],
      });
    expect(rules.status).toBe(200);
    // one sign-in per supporter
    email = (await t.signIn('supporter', supporterId)).email;
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('a peer who sets a 21:00–22:00 window is told it is outside sociable hours, at the form', async () => {
    const { context, page, errors } = await newPage(browser);
    await signIn(page, base, email, PASSWORD);

    // lands on My week, in their own zone, with their availability on the calendar
    await page.getByRole('heading', { level: 1, name: 'My week' }).waitFor();
    await expect(page.locator('main').textContent()).resolves.toContain('Europe/London');
    const monday = page.getByTestId('week').locator('section').first();
    await monday.getByText('18:00–20:00').waitFor();
    await expect(monday.textContent()).resolves.toContain('Available');
    await shot(page, '11-my-week');
    await page.getByRole('button', { name: 'Next week →' }).click();
    await page.waitForURL(/week=\d{4}-\d{2}-\d{2}/);
    await page.getByTestId('week').locator('section').first().getByText('Available').waitFor();
    await expect(page.getByTestId('week').locator('section').first().textContent()).resolves.toContain('18:00–20:00');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Availability' }).click();
    await page.getByRole('heading', { level: 1, name: 'Your weekly availability' }).waitFor();
    await page.locator('#rule-0-start').fill('21:00');
    await page.locator('#rule-0-end').fill('22:00');
    await page.getByRole('button', { name: 'Save availability' }).click();

    const summary = page.getByTestId('error-summary');
    await summary.waitFor();
    const text = (await summary.textContent()) ?? '';
    expect(text).toMatch(/sociable hours/i);
    expect(text).toContain('21:00–22:00');
    // the message links to the window's field, and the window itself is marked
    const link = summary.getByRole('link').first();
    await expect(link.getAttribute('href')).resolves.toBe('#rule-0-start');
    await expect(page.locator('#rule-0-error').textContent()).resolves.toMatch(/outside the sociable hours/);
    await expect(
      page.evaluate(`document.activeElement && document.activeElement.getAttribute('data-testid')`),
    ).resolves.toBe('error-summary');
    await shot(page, '12-availability-error');
    await link.click();
    await expect(page.evaluate('document.activeElement && document.activeElement.id')).resolves.toBe('rule-0-start');

    // nothing was stored
    const stored = await t
      .http()
      .get(`/api/v1/supporters/${supporterId}/availability`)
      .set({ Authorization: `Bearer ${(await t.signIn('admin')).token}` });
    expect(stored.body.weekly).toContainEqual({ weekday: 1, start: '18:00', end: '20:00' });

    // a window inside the hours saves
    await page.locator('#rule-0-start').fill('17:00');
    await page.locator('#rule-0-end').fill('19:00');
    await page.getByRole('button', { name: 'Add a window' }).click();
    await page.locator('#rule-2-weekday').selectOption('6');
    await page.locator('#rule-2-start').fill('10:00');
    await page.locator('#rule-2-end').fill('11:30');
    await page.getByRole('button', { name: 'Save availability' }).click();
    await page.getByText('Availability saved').waitFor();
    const saved = await t.ds.query(`SELECT count(*)::int AS n FROM availability_rules WHERE supporter_id = $1`, [
      supporterId,
    ]);
    expect(saved[0].n).toBe(3);

    expect(errors).toEqual([]);
    await context.close();
  });

  it('adds and removes time off, and sees it on the week', async () => {
    const { context, page, errors } = await newPage(browser);
    await signIn(page, base, email, PASSWORD);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Time off' }).click();
    await page.getByRole('heading', { level: 1, name: 'Time off' }).waitFor();
    await page.getByLabel('Reason (optional)').fill('Conference');
    await page.getByRole('button', { name: 'Add time off' }).click();
    const row = page.getByTestId('time-off').getByRole('row').filter({ hasText: 'Conference' });
    await row.waitFor();
    await expect(row.textContent()).resolves.toMatch(/GMT|BST/);
    await shot(page, '13-time-off');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My week' }).click();
    await page.getByTestId('week').getByText('Time off: Conference').waitFor();

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Time off' }).click();
    await page
      .getByTestId('time-off')
      .getByRole('button', { name: /Remove/ })
      .click();
    await page.getByText('No time off booked.').waitFor();
    const left = await t.ds.query(`SELECT count(*)::int AS n FROM time_off WHERE supporter_id = $1`, [supporterId]);
    expect(left[0].n).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });
});
