/**
 * The line's own number: an admin sets it on the Policies page; callers then
 * see it as a tel: link on the ask-for-support page and their manage page
 * (with the emergency numbers), and after cancelling they are told whom to
 * ring instead of "your supporter will call you".
 */
import type { Browser } from 'playwright-core';
import { PASSWORD, startTestApp, type TestApp } from '../support/test-app';
import { bookFor, intakeFor, manageTokenOf, openDesk, person, type Desk } from '../support/privacy-factories';
import { launch, listen, newPage, shot, signIn } from './support/browser';

describe("web console: the support line's number", () => {
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

  it('set on the Policies page, shown to callers as tel: links; the manage page after a cancel no longer promises a call', async () => {
    const admin = await t.signIn('admin');
    const { context, page, errors } = await newPage(browser);
    await signIn(page, base, admin.email, PASSWORD);
    await page.goto(`${base}/admin/policies`);
    await page.getByRole('heading', { level: 1, name: 'Policies' }).waitFor();
    await page.getByLabel("The support line's number").fill('0800 12'); // not a number
    await page.getByRole('button', { name: 'Save policies' }).click();
    await page
      .getByTestId('error-summary')
      .getByText(/phone number/)
      .waitFor();
    await page.getByLabel("The support line's number").fill('0800 123 4567');
    await page.getByLabel('Number 3: what it is for').fill('Samaritans');
    await page.getByLabel('Number 3: number').fill('116 123');
    await page.getByRole('button', { name: 'Save policies' }).click();
    await page.getByText('Policies saved.').waitFor();
    await shot(page, 'h17-08-policies-numbers');
    const [row] = await t.ds.query(`SELECT support_line_phone, emergency_numbers FROM policies`);
    expect(row.support_line_phone).toBe('0800 123 4567');
    expect(row.emergency_numbers).toEqual([
      { label: 'Emergency services', number: '999' },
      { label: 'NHS 111 (urgent medical help)', number: '111' },
      { label: 'Samaritans', number: '116 123' },
    ]);
    await context.close();

    // The public pages, signed out.
    const pub = await newPage(browser);
    await pub.page.goto(`${base}/ask-for-support`);
    const onAsk = pub.page.getByTestId('support-line-phone');
    await expect(onAsk.getByRole('link', { name: '0800 123 4567' }).getAttribute('href')).resolves.toBe(
      'tel:08001234567',
    );

    const intake = await intakeFor(t, desk.intake, person());
    const booking = await bookFor(t, desk.intake, intake.id, desk.supporterId);
    const token = await manageTokenOf(t, booking.id);
    await pub.page.goto(`${base}/manage/${token}`);
    await pub.page.getByRole('heading', { level: 1, name: 'Your appointment' }).waitFor();
    await expect(
      pub.page.getByTestId('support-line-phone').getByRole('link', { name: '0800 123 4567' }).getAttribute('href'),
    ).resolves.toBe('tel:08001234567');
    const emergency = pub.page.getByTestId('emergency-numbers');
    await expect(emergency.getByRole('link', { name: '999' }).getAttribute('href')).resolves.toBe('tel:999');
    await expect(emergency.getByRole('link', { name: '116 123' }).getAttribute('href')).resolves.toBe('tel:116123');
    await expect(pub.page.getByText('Your supporter will call you.').count()).resolves.toBe(1);
    await pub.page.getByRole('button', { name: 'Cancel this appointment' }).click();
    await pub.page.getByRole('button', { name: 'Yes, cancel it' }).click();
    const cancelled = pub.page.getByTestId('manage-cancelled');
    await cancelled.waitFor();
    await expect(cancelled.getByRole('link', { name: '0800 123 4567' }).getAttribute('href')).resolves.toBe(
      'tel:08001234567',
    );
    await expect(pub.page.getByText('Your supporter will call you.').count()).resolves.toBe(0);
    await shot(pub.page, 'h17-09-manage-cancelled');
    expect(errors).toEqual([]);
    expect(pub.errors).toEqual([]);
    await pub.context.close();
  });
});
