/**
 * Phone widths and the details a caller gives: at 390 px the intake's
 * bookings stack with their actions on screen; at 320 px no select runs off
 * the page; languages are chosen by name, time zones found by typing, and the
 * privacy notice to read out is on screen at consent.
 */
import type { Browser, Page } from 'playwright-core';
import { PASSWORD, startTestApp, type TestApp } from '../support/test-app';
import { bookFor, intakeFor, openDesk, person, type Desk } from '../support/privacy-factories';
import { launch, listen, newPage, shot, signIn } from './support/browser';

async function overflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}
/** Every select lies inside the viewport. */
async function selectsInside(page: Page, width: number): Promise<void> {
  const rights = await page
    .locator('select')
    .evaluateAll((els) => els.map((e) => Math.round(e.getBoundingClientRect().right)));
  expect(rights.length).toBeGreaterThan(0);
  for (const r of rights) expect(r).toBeLessThanOrEqual(width);
}

describe('web console: phone widths, languages, time zones, the privacy notice', () => {
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

  it("at 390 px the intake's bookings do not overflow and Reschedule/Cancel are on screen", async () => {
    const intake = await intakeFor(t, desk.intake, person());
    await bookFor(t, desk.intake, intake.id, desk.supporterId);
    const { email } = await t.signIn('intake');
    const { context, page, errors } = await newPage(browser);
    await page.setViewportSize({ width: 390, height: 844 });
    await signIn(page, base, email, PASSWORD);
    await page.goto(`${base}/intakes/${intake.id}`);
    const table = page.getByTestId('intake-bookings');
    await table.waitFor();
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    for (const name of [/^Reschedule/, /^Cancel/]) {
      const box = (await table.getByRole('button', { name }).boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(390);
    }
    await shot(page, 'h17-13-intake-bookings-390');
    await table.getByRole('button', { name: /^Reschedule/ }).click();
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('at 320 px no select overflows: the new call, the supporter form, ask for support', async () => {
    const admin = await t.signIn('admin');
    const { context, page, errors } = await newPage(browser);
    await page.setViewportSize({ width: 320, height: 700 });
    await signIn(page, base, admin.email, PASSWORD);
    await page.goto(`${base}/intakes/new`);
    await page.locator('#risk').getByLabel('No').check();
    await page.getByLabel('Phone number').waitFor();
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await selectsInside(page, 320);
    await shot(page, 'h17-14-new-call-320');
    await page.goto(`${base}/admin/supporters/new`);
    await page.getByLabel('Time zone', { exact: true }).waitFor();
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await selectsInside(page, 320);
    await page.goto(`${base}/ask-for-support`);
    await page.getByRole('heading', { level: 1, name: 'Ask for support' }).waitFor();
    const answer = page.locator('#risk').getByLabel('No');
    if (await answer.count()) await answer.check();
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await selectsInside(page, 320);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a new call: languages by name (keyboard), the time zone found by typing a city, the notice read out at consent', async () => {
    const p = person();
    const { email } = await t.signIn('intake');
    const { context, page, errors } = await newPage(browser);
    await signIn(page, base, email, PASSWORD);
    await page.goto(`${base}/intakes/new`);
    await page.locator('#risk').getByLabel('No').check();
    await page.getByLabel('Phone number').fill(p.phone);
    await page.getByLabel('Counselling').check();
    await page.getByLabel('Name', { exact: true }).fill(p.name);
    await page.locator('#role').getByLabel('Doctor').check();
    await page.locator('#gmc').getByLabel('No').check();

    // time zone: common ones first; typing narrows the list
    const zone = page.getByLabel("Caller's time zone");
    await expect(zone.locator('optgroup').first().getAttribute('label')).resolves.toBe('Common');
    await expect(zone.locator('option').first().getAttribute('value')).resolves.toBe('Europe/London');
    await page.getByLabel('Narrow the list: type a city or region').fill('singap');
    await page.getByText('zone matches').or(page.getByText('zones match')).first().waitFor();
    await zone.selectOption('Asia/Singapore');
    await expect(zone.locator('option').count()).resolves.toBeLessThan(5);

    // languages: chosen by their names, with the keyboard
    const lang = page.getByLabel('Languages (optional)');
    await lang.focus();
    await lang.selectOption({ label: 'Welsh' });
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.getByRole('list', { name: 'Chosen languages' }).getByText('Welsh').waitFor();
    await lang.selectOption({ label: 'Polish' });
    await page.getByRole('button', { name: 'Add language' }).click();
    await page.getByRole('button', { name: 'Remove Polish' }).click();
    await lang.selectOption({ label: 'Urdu' });
    await page.getByRole('button', { name: 'Add language' }).click();

    const script = page.getByTestId('privacy-notice-script');
    await expect(script.textContent()).resolves.toMatch(/Read this to the caller[\s\S]*delete it[\s\S]*Do you agree/);
    await shot(page, 'h17-15-new-call-consent');
    await page.getByLabel('The caller agrees to the privacy notice').check();
    await page.getByRole('button', { name: 'Save and find a supporter' }).click();
    await page.waitForURL(/\/intakes\/[0-9a-f-]{36}/);
    const [row] = await t.ds.query(
      `SELECT i.preferences, c.time_zone FROM intakes i JOIN callers c ON c.id = i.caller_id WHERE c.phone = $1`,
      [p.e164],
    );
    expect(row).toEqual({
      preferences: expect.objectContaining({ languages: ['cy', 'ur'] }),
      time_zone: 'Asia/Singapore',
    });
    expect(errors).toEqual([]);
    await context.close();
  });
});
