/**
 * Search and the caller record, in a real browser against the real API: one
 * box finds a caller by a reference, any spelling of their number, or their
 * name; the record shows intakes, sessions, who supported them and how each
 * message went; a new call from a known number offers to continue the open
 * intake instead of opening a second one. Keyboard only where a person would.
 */
import type { Browser, Page } from 'playwright-core';
import { PASSWORD, startTestApp, type TestApp } from '../support/test-app';
import { bookFor, intakeFor, openDesk, person, type Desk } from '../support/privacy-factories';
import { launch, listen, newPage, shot, signIn } from './support/browser';

async function noHorizontalOverflow(page: Page): Promise<void> {
  const over = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(over).toBeLessThanOrEqual(0);
}

describe('web console: search and the caller record', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let desk: Desk;

  beforeAll(async () => {
    [t, browser] = await Promise.all([startTestApp(), launch()]);
    base = await listen(t);
    desk = await openDesk(t);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('finds a caller by number, reference and name, opens the record with sessions, supporters and messages', async () => {
    const p = person();
    const intake = await intakeFor(t, desk.intake, p);
    const booking = await bookFor(t, desk.intake, intake.id, desk.supporterId);
    await desk.worker.runOnce();
    const { email } = await t.signIn('intake');
    const { context, page, errors } = await newPage(browser);
    await signIn(page, base, email, PASSWORD);

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Search' }).click();
    await page.getByRole('heading', { level: 1, name: 'Search' }).waitFor();
    // Keyboard only: type into the box, Enter.
    const box = page.getByLabel('Reference, phone number or name');
    await box.focus();
    await page.keyboard.type(`+44 (0)${p.national}`);
    await page.keyboard.press('Enter');
    const results = page.getByTestId('search-results');
    await results.getByRole('heading', { name: '1 caller found by phone number' }).waitFor();
    await expect(results.getByRole('link', { name: p.name, exact: true }).count()).resolves.toBe(1);
    await expect(
      results.getByRole('link', { name: `Continue this intake of ${p.name}` }).getAttribute('href'),
    ).resolves.toBe(`/intakes/${intake.id}`);
    await expect(results.textContent()).resolves.toContain(booking.reference);
    await shot(page, 'h17-01-search-phone');

    await box.fill(booking.reference.toLowerCase().replace(/-/g, ' '));
    await box.press('Enter');
    await results.getByRole('heading', { name: '1 caller found by reference' }).waitFor();
    await expect(results.textContent()).resolves.toContain(`Booking ${booking.reference}: confirmed`);

    await box.fill(p.last.slice(3, 10).toUpperCase());
    await box.press('Enter');
    await results.getByRole('heading', { name: '1 caller found by name' }).waitFor();

    await box.fill('Jo');
    await box.press('Enter');
    await page
      .getByTestId('error-summary')
      .getByText('Search is too short: type at least 3 letters of a name')
      .waitFor();
    await expect(page.locator('#q-error').count()).resolves.toBe(1);

    await box.fill(p.phone);
    await box.press('Enter');
    await results.getByRole('heading', { name: '1 caller found by phone number' }).waitFor();
    await results.getByRole('link', { name: `Caller record of ${p.name}` }).click();
    await page.getByRole('heading', { level: 1, name: p.name }).waitFor();
    await expect(
      page.getByTestId('caller-details').getByRole('link', { name: p.e164 }).getAttribute('href'),
    ).resolves.toBe(`tel:${p.e164}`);
    await expect(page.getByTestId('supporters-seen').textContent()).resolves.toContain(
      `${desk.supporterName}: 1 session`,
    );
    const upcoming = page.getByTestId('caller-upcoming');
    await expect(upcoming.textContent()).resolves.toContain(booking.reference);
    await expect(upcoming.textContent()).resolves.toContain(desk.supporterName);
    await upcoming.getByText('Confirmation by e-mail: Sent').waitFor();
    // and whether the supporter was told, without the supporter's address
    await expect(upcoming.getByTestId('supporter-notice').textContent()).resolves.toMatch(
      /^Supporter told \(new session\) by e-mail: Sent \S/,
    );
    await expect(upcoming.textContent()).resolves.not.toContain('@');
    await expect(page.getByTestId('caller-intakes').getByRole('link').count()).resolves.toBe(1);
    await shot(page, 'h17-02-caller-record');

    // At phone width nothing overflows the page (the tables scroll in their own region).
    await page.setViewportSize({ width: 390, height: 844 });
    await noHorizontalOverflow(page);
    await shot(page, 'h17-03-caller-record-390');
    await page.goto(`${base}/search?q=${encodeURIComponent(p.phone)}`);
    await results.getByRole('heading', { name: '1 caller found by phone number' }).waitFor();
    await noHorizontalOverflow(page);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a new call from a known number shows the open intake and upcoming session and continues that intake', async () => {
    const p = person();
    const intake = await intakeFor(t, desk.intake, p);
    const booking = await bookFor(t, desk.intake, intake.id, desk.supporterId);
    const { email } = await t.signIn('intake');
    const { context, page, errors } = await newPage(browser);
    await signIn(page, base, email, PASSWORD);
    await page.goto(`${base}/intakes/new`);
    await page.getByRole('heading', { level: 1, name: 'New call' }).waitFor();
    await page.locator('#risk').getByLabel('No').check();
    await page.getByLabel('Phone number').fill(p.digits);
    const lookup = page.getByTestId('caller-lookup');
    await lookup.getByRole('heading', { name: 'Called before' }).waitFor();
    await expect(lookup.textContent()).resolves.toContain(booking.reference);
    await shot(page, 'h17-04-new-call-known-caller');
    const cont = lookup.getByRole('link', { name: `Continue this intake of ${p.name}` });
    await cont.focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(`${base}/intakes/${intake.id}`);
    const intakes: { n: string }[] = await t.ds.query(`SELECT count(*) AS n FROM intakes WHERE caller_id = $1`, [
      intake.callerId,
    ]);
    expect(Number(intakes[0].n)).toBe(1);
    expect(errors).toEqual([]);
    await context.close();
  });
});
