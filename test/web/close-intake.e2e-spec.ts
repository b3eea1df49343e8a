/**
 * Ending an intake in the console: confirm with a reason (keyboard only),
 * then reopen it; after the reopening window the console shows the API's 409.
 */
import type { Browser } from 'playwright-core';
import { PASSWORD, startTestApp, type TestApp } from '../support/test-app';
import { bookFor, intakeFor, openDesk, person, type Desk } from '../support/privacy-factories';
import { launch, listen, newPage, shot, signIn } from './support/browser';

describe('web console: close, withdraw and reopen an intake', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let desk: Desk;

  beforeAll(async () => {
    [t, browser] = await Promise.all([startTestApp({ INTAKE_REOPEN_DAYS: '3' }), launch()]);
    base = await listen(t);
    desk = await openDesk(t);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('close asks for a reason, cancels the sessions, and can be undone by reopening', async () => {
    const p = person();
    const intake = await intakeFor(t, desk.intake, p);
    const booking = await bookFor(t, desk.intake, intake.id, desk.supporterId);
    const { email } = await t.signIn('intake');
    const { context, page, errors } = await newPage(browser);
    await signIn(page, base, email, PASSWORD);
    await page.goto(`${base}/intakes/${intake.id}`);
    await page.getByRole('heading', { level: 1, name: p.name }).waitFor();

    const end = page.getByTestId('end-intake');
    await end.getByRole('button', { name: 'Close intake' }).focus();
    await page.keyboard.press('Enter');
    // the confirmation takes focus; Escape goes back without ending anything
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('Close this intake?');
    await page.keyboard.press('Escape');
    await end.getByRole('button', { name: 'Close intake' }).waitFor();
    await end.getByRole('button', { name: 'Close intake' }).click();
    await end.getByText('Its future sessions are cancelled and the caller is told.').waitFor();
    // no reason: refused in the console, nothing sent
    await end.getByRole('button', { name: 'Close the intake' }).click();
    await end.getByTestId('error-summary').getByText('Enter why the intake ends').waitFor();
    await shot(page, 'h17-05-close-confirm');
    await page.getByLabel('Reason').fill('Caller found support through their trust');
    await page.getByLabel('Reason').press('Tab');
    await page.keyboard.press('Enter');

    const ended = page.getByTestId('intake-ended');
    await ended.getByRole('heading', { name: 'Closed' }).waitFor();
    await ended.getByText('Reason: Caller found support through their trust').waitFor();
    const [b] = await t.ds.query(`SELECT status FROM bookings WHERE id = $1`, [booking.id]);
    expect(b.status).toBe('cancelled');
    await shot(page, 'h17-06-closed');

    await ended.getByRole('button', { name: 'Reopen intake' }).click();
    await end.getByRole('button', { name: 'Caller withdrew' }).waitFor();
    const [row] = await t.ds.query(`SELECT status, end_reason FROM intakes WHERE id = $1`, [intake.id]);
    expect(row).toEqual({ status: 'open', end_reason: null });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('after the window, reopening shows why it cannot be done', async () => {
    const intake = await intakeFor(t, desk.intake, person());
    const res = await t
      .http()
      .post(`/api/v1/intakes/${intake.id}/withdraw`)
      .set({ Authorization: `Bearer ${desk.intake}` })
      .send({ reason: 'Withdrew' });
    expect(res.status).toBe(200);
    await t.ds.query(`UPDATE intakes SET ended_at = now() - interval '4 days' WHERE id = $1`, [intake.id]);
    const { email } = await t.signIn('intake');
    const { context, page } = await newPage(browser);
    await signIn(page, base, email, PASSWORD);
    await page.goto(`${base}/intakes/${intake.id}`);
    const ended = page.getByTestId('intake-ended');
    await ended.getByRole('heading', { name: 'The caller withdrew' }).waitFor();
    await ended.getByRole('button', { name: 'Reopen intake' }).click();
    await ended
      .getByTestId('error-summary')
      .getByText(/can be reopened only within 3 days/)
      .waitFor();
    await page.setViewportSize({ width: 390, height: 844 });
    const over = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(over).toBeLessThanOrEqual(0);
    await shot(page, 'h17-07-reopen-too-late-390');
    await context.close();
  });
});
