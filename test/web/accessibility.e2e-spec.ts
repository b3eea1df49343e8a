/**
 * axe-core (WCAG 2.1 A and AA rules) over every page of the console, as each
 * role sees it, at a desktop (1280×800) and a phone (390×844) width: no
 * violation. Pages are visited with data in them (an intake with a booking, a
 * caller record, a supporter's week), so the tables, panels and forms are
 * checked, not only empty states.
 */
import type { Browser } from 'playwright-core';
import { violations } from './support/axe';
import { PASSWORD, startTestApp, type TestApp } from '../support/test-app';
import { bookFor, intakeFor, openDesk, person, type Desk } from '../support/privacy-factories';
import { launch, listen, signIn } from './support/browser';

const VIEWPORTS = [
  { width: 1280, height: 800 },
  { width: 390, height: 844 },
];

describe('web console: accessibility (axe-core, WCAG 2.1 A/AA) on every page, desktop and phone', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let desk: Desk;
  let intakeId: string;
  let callerId: string;
  let ownSupporterId: string;

  beforeAll(async () => {
    [t, browser] = await Promise.all([startTestApp(), launch()]);
    base = await listen(t);
    desk = await openDesk(t);
    const p = person();
    const intake = await intakeFor(t, desk.intake, p);
    intakeId = intake.id;
    callerId = intake.callerId;
    await bookFor(t, desk.intake, intake.id, desk.supporterId);
    await desk.worker.runOnce();
    // a supporter of their own to sign in as (the desk's supporter already has its user)
    const own = await t
      .http()
      .post('/api/v1/supporters')
      .set({ authorization: `Bearer ${desk.admin}` })
      .send({
        kind: 'peer',
        displayName: 'Dr Ada Okafor',
        email: `ada-${Date.now()}@staff.example`,
        timeZone: 'Europe/London',
        maxActiveCases: 5,
        modalities: ['phone'],
      });
    expect(own.status).toBe(201);
    ownSupporterId = own.body.id;
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function visit(role: 'public' | 'intake' | 'admin' | 'supporter', paths: string[]): Promise<string[]> {
    const problems: string[] = [];
    // one user per role (a supporter has exactly one), signed in at each width
    const email =
      role === 'public'
        ? null
        : (role === 'supporter' ? await t.signIn('supporter', ownSupporterId) : await t.signIn(role)).email;
    for (const viewport of VIEWPORTS) {
      // bypassCSP only lets the test inject axe itself; the console's own CSP is tested elsewhere
      const context = await browser.newContext({
        viewport,
        locale: 'en-GB',
        timezoneId: 'Europe/London',
        bypassCSP: true,
      });
      context.setDefaultTimeout(15_000);
      const page = await context.newPage();
      if (email) await signIn(page, base, email, PASSWORD);
      for (const path of paths) {
        await page.goto(`${base}${path}`);
        await page.locator('h1').first().waitFor();
        // let the page's first requests settle, so what axe reads is the page with its data
        await page.waitForLoadState('networkidle');
        for (const v of await violations(page)) problems.push(`${viewport.width}px ${path}: ${v}`);
      }
      await context.close();
    }
    return problems;
  }

  it('the check can fail: an image without alt text on the sign-in page is reported', async () => {
    const context = await browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    await page.goto(`${base}/signin`);
    await page.locator('h1').first().waitFor();
    await page.evaluate(() => document.querySelector('main')!.appendChild(document.createElement('img')));
    const found = await violations(page);
    await context.close();
    expect(found.some((v) => v.startsWith('image-alt'))).toBe(true);
  });

  it('public pages: sign-in and ask for support', async () => {
    expect(await visit('public', ['/signin', '/ask-for-support'])).toEqual([]);
  });

  it('intake staff: queue, new call, an intake with its booking, search, a caller record', async () => {
    expect(
      await visit('intake', ['/intakes', '/intakes/new', `/intakes/${intakeId}`, '/search', `/callers/${callerId}`]),
    ).toEqual([]);
  });

  it('supporter: my week, availability, time off, profile', async () => {
    expect(await visit('supporter', ['/my-week', '/availability', '/time-off', '/profile'])).toEqual([]);
  });

  it('admin: supporters, a supporter, users, policies', async () => {
    expect(
      await visit('admin', [
        '/admin/supporters',
        `/admin/supporters/${desk.supporterId}`,
        `/admin/supporters/${desk.supporterId}/profile`,
        '/admin/users',
        '/admin/policies',
      ]),
    ).toEqual([]);
  });
});
