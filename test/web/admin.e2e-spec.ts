/**
 * The web console, admin side: supporters (list, create, edit), users (create
 * with a role and a supporter link; deactivate, which signs them out) and policies, in a real browser.
 */
import type { Browser } from 'playwright-core';
import { PASSWORD, startTestApp, type TestApp } from '../support/test-app';
import { launch, listen, newPage, shot, signIn } from './support/browser';

describe('web console: admin', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;

  beforeAll(async () => {
    [t, browser] = await Promise.all([startTestApp(), launch()]);
    base = await listen(t);
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('creates and edits a supporter, gives them a sign-in and changes the policies', async () => {
    const { email } = await t.signIn('admin');
    const { context, page, errors } = await newPage(browser);
    await signIn(page, base, email, PASSWORD);
    const nav = page.getByRole('navigation', { name: 'Main' });
    await expect(nav.getByRole('link').allTextContents()).resolves.toEqual([
      'Intakes',
      'New call',
      'Search',
      'Supporters',
      'Users',
      'Policies',
    ]);

    // create: the form checks itself first
    await nav.getByRole('link', { name: 'Supporters' }).click();
    await page.getByRole('link', { name: 'Add a supporter' }).click();
    await page.getByRole('button', { name: 'Add supporter' }).click();
    await expect(page.getByTestId('error-summary').textContent()).resolves.toContain('Select peer or counsellor');
    await page.locator('#kind').getByLabel('Counsellor').check();
    await page.getByLabel('Name', { exact: true }).fill('Robin Counsellor');
    await page.getByLabel('E-mail address').fill('robin.counsellor@test.local');
    await page.getByLabel('Time zone').selectOption('Europe/Dublin');
    await page.getByLabel('Workplaces').fill('St Elsewhere, Riverside Clinic');
    await shot(page, '15-admin-supporter-form');
    await page.getByRole('button', { name: 'Add supporter' }).click();
    await page.getByText('Supporter added').waitFor();
    const rows = await t.ds.query(
      `SELECT id, time_zone, workplaces FROM supporters WHERE display_name = 'Robin Counsellor'`,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].time_zone).toBe('Europe/Dublin');

    // edit
    await page.getByLabel('Most active cases at once').fill('7');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Changes saved.').waitFor();
    const edited = await t.ds.query(`SELECT max_active_cases FROM supporters WHERE id = $1`, [rows[0].id]);
    expect(edited[0].max_active_cases).toBe(7);

    await nav.getByRole('link', { name: 'Supporters' }).click();
    await page.getByTestId('supporters').getByRole('link', { name: 'Robin Counsellor' }).waitFor();
    await shot(page, '14-admin-supporters');

    // a supporter sign-in linked to them
    await nav.getByRole('link', { name: 'Users' }).click();
    await page.getByLabel('E-mail address').fill('robin.login@test.local');
    await page.getByLabel('Password').fill('a long enough password');
    await page.locator('#user-role').getByLabel('Supporter').check();
    await page.getByRole('combobox', { name: 'Supporter' }).selectOption({ label: 'Robin Counsellor' });
    await page.getByRole('button', { name: 'Add user' }).click();
    await page.getByText('robin.login@test.local can now sign in as supporter.').waitFor();
    await page
      .getByTestId('users')
      .getByRole('row')
      .filter({ hasText: 'robin.login@test.local' })
      .getByText('Robin Counsellor')
      .waitFor();
    await shot(page, '16-admin-users');

    // policies
    await nav.getByRole('link', { name: 'Policies' }).click();
    await page.getByLabel('Session length (minutes)').fill('45');
    // the line's working hours: a closing time before the opening is refused at the field
    await page.getByLabel('The line opens at').fill('08:00');
    await page.getByLabel('and closes at').fill('07:00');
    await page.getByRole('button', { name: 'Save policies' }).click();
    await page.getByTestId('error-summary').getByRole('link', { name: 'The line must close after it opens' }).waitFor();
    await page.getByLabel('and closes at').fill('20:00');
    await page.getByRole('group', { name: 'Answered on' }).getByLabel('Saturday').check();
    await page.getByLabel('Call back within (working hours)').fill('12');
    await page.getByRole('button', { name: 'Save policies' }).click();
    await page.getByText('Policies saved.').waitFor();
    const policies = await t
      .http()
      .get('/api/v1/policies')
      .set({ Authorization: `Bearer ${(await t.signIn('admin')).token}` });
    expect(policies.body.defaultDurationMinutes).toBe(45);
    expect(policies.body.callbackWorkingHours).toBe(12);
    expect(policies.body.workingHours).toEqual({
      timeZone: 'Europe/London',
      weekdays: [1, 2, 3, 4, 5, 6],
      start: '08:00',
      end: '20:00',
    });
    await shot(page, '17-admin-policies');

    // the new sign-in works and lands on My week
    const robin = await newPage(browser);
    await signIn(robin.page, base, 'robin.login@test.local', 'a long enough password');
    await robin.page.getByRole('heading', { level: 1, name: 'My week' }).waitFor();
    await expect(robin.page.locator('main').textContent()).resolves.toContain('Europe/Dublin');

    // the admin takes Robin's access away (after a confirmation): Robin's open console is signed out at its next call
    await nav.getByRole('link', { name: 'Users' }).click();
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Deactivate robin.login@test.local' }).click();
    await page.getByText('robin.login@test.local can no longer sign in.').waitFor();
    await page
      .getByTestId('users')
      .getByRole('row')
      .filter({ hasText: 'robin.login@test.local' })
      .getByText('Deactivated')
      .waitFor();
    await shot(page, '18-admin-user-deactivated');
    await robin.page.reload();
    await robin.page.getByText('Your session has ended').waitFor();
    await robin.context.close();

    expect(errors).toEqual([]);
    await context.close();
  });

  it('sends a signed-out visitor to sign in, and back there when the session is no longer valid', async () => {
    const { page, context } = await newPage(browser);
    await page.goto(`${base}/admin/policies`);
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    expect(new URL(page.url()).searchParams.get('next')).toBe('/admin/policies');

    // a token the API no longer accepts: the next call answers 401 and the console signs out
    const stale = JSON.stringify({
      token: 'not-a-token',
      user: { id: 'x', email: 'gone@test.local', role: 'admin', supporterId: null },
    });
    await page.evaluate(`sessionStorage.setItem('dsl.session', ${JSON.stringify(stale)})`);
    await page.goto(`${base}/admin/supporters`);
    await page.getByText('Your session has ended').waitFor();
    await expect(page.evaluate("sessionStorage.getItem('dsl.session')")).resolves.toBeNull();

    // static files and client routes are served, the API's 404 stays a problem document
    const api404 = await page.request.get(`${base}/api/v1/no-such-thing`);
    expect(api404.status()).toBe(404);
    expect(api404.headers()['content-type']).toContain('application/problem+json');
    const route = await page.request.get(`${base}/manage/some-token`);
    expect(route.status()).toBe(200);
    expect(route.headers()['content-type']).toContain('text/html');
    await context.close();
  });
});
