/**
 * Time off over booked sessions, as a supporter does it in the console: the
 * answer lists the sessions it overlaps, and each is moved or cancelled there.
 */
import { DateTime } from 'luxon';
import type { Browser } from 'playwright-core';
import { PASSWORD, startTestApp, type TestApp } from '../support/test-app';
import { bookFor, intakeFor, makeCounsellor, openDesk, person, type Desk } from '../support/privacy-factories';
import { launch, listen, newPage, shot, signIn } from './support/browser';

describe('web console: time off over booked sessions', () => {
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

  it('lists the overlapped sessions and moves one and cancels the other, keyboard only', async () => {
    const s = await makeCounsellor(t, desk.admin, 'Dr Time Off');
    const day = DateTime.now().setZone('Europe/London').plus({ days: 4 }).startOf('day');
    const at = (h: number) => day.set({ hour: h }).toUTC().toISO()!;
    const first = await bookFor(t, desk.intake, (await intakeFor(t, desk.intake, person())).id, s.id, at(10));
    const second = await bookFor(t, desk.intake, (await intakeFor(t, desk.intake, person())).id, s.id, at(12));
    const [user] = await t.ds.query(`SELECT email FROM users WHERE id = $1`, [s.userId]);

    const { context, page, errors } = await newPage(browser);
    await signIn(page, base, user.email, PASSWORD);
    await page.goto(`${base}/time-off`);
    await page.getByRole('heading', { level: 1, name: 'Time off' }).waitFor();
    await page.getByLabel('First day').fill(day.toISODate()!);
    await page.getByLabel('From', { exact: true }).fill('09:00');
    await page.getByLabel('Last day').fill(day.toISODate()!);
    await page.getByLabel('Until', { exact: true }).fill('13:00');
    await page.getByLabel('Reason (optional)').fill('Training');
    await page.getByRole('button', { name: 'Add time off' }).click();

    const clashes = page.getByTestId('time-off-clashes');
    await clashes.getByRole('heading', { name: 'This time off overlaps 2 booked sessions' }).waitFor();
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('clashes-heading');
    await expect(clashes.textContent()).resolves.toContain(first.reference);
    await expect(clashes.textContent()).resolves.toContain(second.reference);
    await shot(page, 'h17-10-time-off-clashes');

    // move the first: Tab to its Reschedule button, Enter, pick the first free time with the keyboard
    await clashes.getByRole('button', { name: `Reschedule ${first.reference}` }).focus();
    await page.keyboard.press('Enter');
    const select = page.getByLabel('New time');
    await select.locator('option').nth(1).waitFor({ state: 'attached' });
    await select.focus();
    await page.keyboard.press('ArrowDown');
    await page.getByRole('button', { name: 'Move the session' }).click();
    await clashes.getByText(/^Moved to /).waitFor();

    // cancel the second, with a reason
    await clashes.getByRole('button', { name: `Cancel ${second.reference}` }).click();
    await page.getByLabel('Reason for cancelling').fill('Supporter on training');
    await page.getByRole('button', { name: 'Cancel the session' }).click();
    await clashes.getByText('Cancelled.').waitFor();
    await clashes.getByText('All of them are dealt with.').waitFor();

    const rows: { id: string; status: string; starts_at: Date }[] = await t.ds.query(
      `SELECT id, status, starts_at FROM bookings WHERE id = ANY($1)`,
      [[first.id, second.id]],
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(second.id)!.status).toBe('cancelled');
    expect(byId.get(first.id)!.status).toBe('confirmed');
    const moved = byId.get(first.id)!.starts_at.getTime();
    // the new time is outside the time off (it wins for new times too)
    expect(moved < Date.parse(at(9)) || moved >= Date.parse(at(13))).toBe(true);
    await page.setViewportSize({ width: 390, height: 844 });
    const over = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(over).toBeLessThanOrEqual(0);
    expect(errors).toEqual([]);
    await context.close();
  });
});
