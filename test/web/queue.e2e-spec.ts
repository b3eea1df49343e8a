/**
 * The queue as intake staff use it: filters by channel, status and date, the
 * overdue call-backs of web requests flagged and filterable, and the list
 * refreshing itself (with a way to pause it).
 */
import type { Browser } from 'playwright-core';
import { callbackOverdueCutoff } from '../../libs/rules/src';
import { PASSWORD, startTestApp, type TestApp } from '../support/test-app';
import { intakeFor, openDesk, person, webRequestFor, type Desk } from '../support/privacy-factories';
import { launch, listen, newPage, shot, signIn } from './support/browser';

describe('web console: the queue', () => {
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

  it('flags overdue call-backs, filters them and by channel and date, and refreshes by itself', async () => {
    const late = person();
    const onTime = person();
    const phone = person();
    await webRequestFor(t, late);
    await webRequestFor(t, onTime);
    await intakeFor(t, desk.intake, phone);
    const cutoff = callbackOverdueCutoff(new Date(), 24);
    await t.ds.query(`UPDATE intakes i SET created_at = $2 FROM callers c WHERE c.id = i.caller_id AND c.phone = $1`, [
      late.e164,
      new Date(cutoff.getTime() - 3_600_000),
    ]);

    const { email } = await t.signIn('intake');
    const { context, page, errors } = await newPage(browser);
    await page.clock.install();
    await signIn(page, base, email, PASSWORD);
    await page.goto(`${base}/intakes`);
    const queue = page.getByTestId('intake-queue');
    const lateRow = queue.getByRole('row').filter({ hasText: late.name });
    await lateRow.getByText('Call-back overdue').waitFor();
    await expect(
      queue.getByRole('row').filter({ hasText: onTime.name }).getByText('Call-back overdue').count(),
    ).resolves.toBe(0);
    await expect(queue.getByRole('row').filter({ hasText: onTime.name }).textContent()).resolves.toContain(
      'call back by',
    );
    await page.getByTestId('overdue-count').getByText('1 overdue call-back').waitFor();
    await shot(page, 'h17-11-queue-overdue');

    // only the overdue ones (keyboard: Space on the checkbox)
    await page.getByLabel('Only overdue call-backs').focus();
    await page.keyboard.press('Space');
    await page.waitForURL(/overdue=1/);
    await queue.getByRole('row').filter({ hasText: onTime.name }).waitFor({ state: 'detached' });
    await expect(queue.locator('tbody tr').count()).resolves.toBe(1);
    await page.getByLabel('Only overdue call-backs').uncheck();

    // channel and date
    await page.getByLabel('Channel').selectOption('phone');
    await queue.getByRole('row').filter({ hasText: late.name }).waitFor({ state: 'detached' });
    await queue.getByRole('row').filter({ hasText: phone.name }).waitFor();
    await page.getByLabel('Channel').selectOption('');
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    await page.getByLabel('Received until').fill(yesterday);
    await page.waitForURL(/to=/);
    await queue.getByRole('row').filter({ hasText: phone.name }).waitFor({ state: 'detached' });
    await page.getByLabel('Received until').fill('');

    // a new web request appears without a reload after 30 s; paused, it does not
    const newcomer = person();
    await webRequestFor(t, newcomer);
    await page.clock.runFor(31_000);
    await queue.getByRole('row').filter({ hasText: newcomer.name }).waitFor();
    await page.getByRole('button', { name: 'Pause automatic refresh' }).click();
    await page.getByText('Automatic refresh paused.').waitFor();
    const another = person();
    await webRequestFor(t, another);
    await page.clock.runFor(61_000);
    await expect(queue.getByRole('row').filter({ hasText: another.name }).count()).resolves.toBe(0);
    await page.getByRole('button', { name: 'Refresh now' }).click();
    await queue.getByRole('row').filter({ hasText: another.name }).waitFor();

    await page.setViewportSize({ width: 390, height: 844 });
    const over = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(over).toBeLessThanOrEqual(0);
    await shot(page, 'h17-12-queue-390');
    expect(errors).toEqual([]);
    await context.close();
  });
});
