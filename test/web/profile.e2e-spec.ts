/**
 * The web console, a supporter's profile (issue 18): e-mails on/off and the
 * personal meeting link are saved; the private feed link is shown once with a
 * copy button and stops working when revoked; a CalDAV calendar (a real
 * Radicale) is refused in plain words with a wrong password, then connected,
 * read on demand and disconnected. A server without CALENDAR_ENCRYPTION_KEY
 * says so plainly. The manage page gives a video session's join link.
 */
import { randomBytes } from 'node:crypto';
import { DateTime } from 'luxon';
import type { Browser } from 'playwright-core';
import { PASSWORD, startTestApp, type TestApp } from '../support/test-app';
import { makeTestCalendar, putEvent, startRadicale, vevent, type RadicaleServer } from '../support/radicale';
import { book, manageTokenOf, newIntake, nextStart, openDesk } from '../notifications/helpers';
import { violations } from './support/axe';
import { launch, listen, newPage, shot, signIn } from './support/browser';

const CAL_USER = 'jo';
const CAL_PASSWORD = 'jo-app-password';

async function makeSupporter(t: TestApp, name: string): Promise<{ id: string; email: string }> {
  const admin = { Authorization: `Bearer ${(await t.signIn('admin')).token}` };
  const res = await t
    .http()
    .post('/api/v1/supporters')
    .set(admin)
    .send({
      kind: 'peer',
      displayName: name,
      email: `${randomBytes(4).toString('hex')}@test.local`,
      timeZone: 'Europe/London',
      maxActiveCases: 3,
    });
  expect(res.status).toBe(201);
  return { id: res.body.id, email: (await t.signIn('supporter', res.body.id)).email };
}

describe('web console: supporter profile', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let radicale: RadicaleServer;

  beforeAll(async () => {
    radicale = await startRadicale({ [CAL_USER]: CAL_PASSWORD });
    [t, browser] = await Promise.all([
      startTestApp({
        CALENDAR_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
        CALENDAR_ALLOWED_HOSTS: '127.0.0.1',
        VIDEO_ROOM_BASE_URL: 'https://meet.example.org/support',
      }),
      launch(),
    ]);
    base = await listen(t);
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await radicale?.stop();
  });

  it('saves e-mails off and a meeting link, refusing one that is not https, at the field', async () => {
    const s = await makeSupporter(t, 'Dr Pat Profile');
    const { context, page, errors } = await newPage(browser);
    await signIn(page, base, s.email, PASSWORD);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Profile' }).click();
    await page.getByRole('heading', { level: 1, name: 'Your profile' }).waitFor();

    const notify = page.getByLabel('E-mail me about every change to my sessions');
    await expect(notify.isChecked()).resolves.toBe(true);
    await notify.uncheck();
    await page.getByLabel('Personal meeting link (optional)').fill('http://meet.example.org/pat');
    await page.getByRole('button', { name: 'Save settings' }).click();
    const summary = page.getByTestId('error-summary');
    await summary.waitFor();
    await expect(summary.textContent()).resolves.toContain('starts with https://');
    await expect(summary.getByRole('link').first().getAttribute('href')).resolves.toBe('#meeting-url');
    await expect(page.evaluate(`document.activeElement.getAttribute('data-testid')`)).resolves.toBe('error-summary');
    const unchanged = await t
      .http()
      .get(`/api/v1/supporters/${s.id}`)
      .set({ Authorization: `Bearer ${(await t.signIn('admin')).token}` });
    expect(unchanged.body).toMatchObject({ notifyByEmail: true, meetingUrl: null });

    await page.getByLabel('Personal meeting link (optional)').fill('https://meet.example.org/pat');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Your settings are saved.').waitFor();
    const saved = await t
      .http()
      .get(`/api/v1/supporters/${s.id}`)
      .set({ Authorization: `Bearer ${(await t.signIn('admin')).token}` });
    expect(saved.body).toMatchObject({ notifyByEmail: false, meetingUrl: 'https://meet.example.org/pat' });

    // reloaded, the page shows what is stored
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Your profile' }).waitFor();
    await expect(page.getByLabel('E-mail me about every change to my sessions').isChecked()).resolves.toBe(false);
    await expect(page.getByLabel('Personal meeting link (optional)').inputValue()).resolves.toBe(
      'https://meet.example.org/pat',
    );
    expect(errors).toEqual([]);
    await context.close();
  });

  it('shows a new feed link once, copies it, and the link stops working when revoked', async () => {
    const s = await makeSupporter(t, 'Dr Fee Feed');
    const { context, page, errors } = await newPage(browser, { bypassCSP: true });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
    await signIn(page, base, s.email, PASSWORD);
    await page.goto(`${base}/profile`);
    await page.getByRole('button', { name: 'Make a new feed link' }).click();
    const field = page.getByLabel('Your calendar feed link');
    await field.waitFor();
    const url = await field.inputValue();
    // focus moves to the new link
    await expect(page.evaluate('document.activeElement && document.activeElement.id')).resolves.toBe('feed-url');
    expect(url).toMatch(/\/calendar\/[^/]+\.ics$/);
    await expect(page.getByRole('link', { name: 'Open in your calendar app' }).getAttribute('href')).resolves.toMatch(
      /^webcal:\/\/.*\.ics$/,
    );
    // the page with its one-time link passes axe at a desktop and a phone width
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      await expect(violations(page)).resolves.toEqual([]);
    }
    await page.getByRole('button', { name: 'Copy link' }).click();
    await page.getByText('Link copied.').waitFor();
    await expect(page.evaluate('navigator.clipboard.readText()')).resolves.toBe(url);
    const path = new URL(url).pathname;
    const feed = await t.http().get(path);
    expect(feed.status).toBe(200);
    expect(feed.headers['content-type']).toMatch(/^text\/calendar/);
    await shot(page, '30-profile-feed');

    await page.getByRole('button', { name: 'Stop the feed link' }).click();
    await page.getByText('The calendar feed link has stopped working.').waitFor();
    await expect(field.count()).resolves.toBe(0);
    expect((await t.http().get(path)).status).toBe(404);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('refuses a wrong app password in plain words, then connects, reads and disconnects a Radicale calendar', async () => {
    const s = await makeSupporter(t, 'Dr Cal Dav');
    const calendarUrl = await makeTestCalendar(radicale, CAL_USER, `rota-${randomBytes(3).toString('hex')}`);
    const { context, page, errors } = await newPage(browser, { bypassCSP: true });
    await signIn(page, base, s.email, PASSWORD);
    await page.goto(`${base}/profile`);

    // empty form: every field is named in the summary
    await page.getByRole('button', { name: 'Test and connect' }).click();
    const summary = page.getByTestId('error-summary');
    await summary.waitFor();
    await expect(summary.getByRole('link').count()).resolves.toBe(3);

    await page.getByLabel('Calendar address').fill(calendarUrl);
    await page.getByLabel('User name').fill(CAL_USER);
    await page.getByLabel('App password').fill('not-the-password');
    await page.getByRole('button', { name: 'Test and connect' }).click();
    await summary.getByText(/user name or app password/i).waitFor();
    const status = async () =>
      (
        await t
          .http()
          .get(`/api/v1/supporters/${s.id}/calendar`)
          .set({ Authorization: `Bearer ${(await t.signIn('admin')).token}` })
      ).body;
    expect((await status()).connected).toBe(false);

    await page.getByLabel('App password').fill(CAL_PASSWORD);
    await page.getByRole('button', { name: 'Test and connect' }).click();
    await page.getByText('Your calendar is connected.').waitFor();
    const shown = page.getByTestId('caldav-status');
    await shown.waitFor();
    await expect(page.evaluate('document.activeElement && document.activeElement.id')).resolves.toBe('caldav-title');
    await expect(shown.textContent()).resolves.toContain('Connected');
    await expect(shown.textContent()).resolves.not.toContain('Not read yet');
    expect((await status()).connected).toBe(true);
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      await expect(violations(page)).resolves.toEqual([]);
    }
    // the password is never put back into the page
    await expect(page.content()).resolves.not.toContain(CAL_PASSWORD);
    await shot(page, '31-profile-caldav');

    // a night on call (23:00–01:00 London) put into the calendar is read on demand and drawn on both days of the week
    let day = DateTime.now().setZone('Europe/London').startOf('day').plus({ days: 2 });
    if (day.weekday === 7) day = day.plus({ days: 1 }); // keep both days in one week
    const start = day.set({ hour: 23 });
    const end = start.plus({ hours: 2 });
    await putEvent(
      radicale,
      CAL_USER,
      calendarUrl,
      'oncall',
      vevent({ uid: 'oncall', start: start.toUTC().toISO()!, end: end.toUTC().toISO()! }),
    );
    await page.getByRole('button', { name: 'Read my calendar now' }).click();
    await page.getByText('Your calendar has been read.').waitFor();
    await expect(shown.textContent()).resolves.toMatch(/Busy times held\s*1/);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My week' }).click();
    const note = page.getByTestId('calendar-note');
    await note.waitFor();
    await expect(note.textContent()).resolves.toContain('1 busy time in all');
    if (day.startOf('week').toISODate() !== DateTime.now().setZone('Europe/London').startOf('week').toISODate())
      await page.getByRole('button', { name: 'Next week →' }).click();
    const itemsOn = (d: DateTime) =>
      page.locator(`section[aria-labelledby="day-${d.toISODate()}"] .week__item--busy`).allTextContents();
    await page.locator(`section[aria-labelledby="day-${day.toISODate()}"] .week__item--busy`).waitFor();
    await expect(itemsOn(day)).resolves.toEqual(['23:00–24:00 Busy in your calendar']);
    await expect(itemsOn(day.plus({ days: 1 }))).resolves.toEqual(['00:00–01:00 Busy in your calendar']);
    await expect(violations(page)).resolves.toEqual([]);
    await shot(page, '32-week-busy');
    await note.getByRole('link', { name: 'Calendar settings' }).click();
    await page.getByRole('heading', { level: 1, name: 'Your profile' }).waitFor();

    await page.getByRole('button', { name: 'Disconnect' }).click();
    await page.getByText('Your calendar is disconnected.', { exact: false }).waitFor();
    await page.getByRole('button', { name: 'Test and connect' }).waitFor();
    expect((await status()).connected).toBe(false);
    expect(errors).toEqual([]);
    await context.close();
  });
  it('the manage page links a video session to its room, and a phone session to none', async () => {
    const desk = await openDesk(t, { modalities: ['phone', 'video'] });
    const video = await book(t, desk, (await newIntake(t, desk)).intakeId, nextStart(), { modality: 'video' });
    const phone = await book(t, desk, (await newIntake(t, desk)).intakeId, nextStart(4), { modality: 'phone' });
    const { context, page, errors } = await newPage(browser);
    await page.goto(`${base}/manage/${await manageTokenOf(t, video.id)}`);
    const link = page.getByRole('link', { name: 'Join the video call' });
    await link.waitFor();
    await expect(link.getAttribute('href')).resolves.toMatch(
      /^https:\/\/meet\.example\.org\/support\/[A-Za-z0-9_-]{22}$/,
    );
    await page.goto(`${base}/manage/${await manageTokenOf(t, phone.id)}`);
    await page.getByText('Your supporter will call you.').waitFor();
    await expect(page.getByRole('link', { name: 'Join the video call' }).count()).resolves.toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe('web console: supporter profile without CALENDAR_ENCRYPTION_KEY', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;

  beforeAll(async () => {
    [t, browser] = await Promise.all([startTestApp({ CALENDAR_ENCRYPTION_KEY: '' }), launch()]);
    base = await listen(t);
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('an admin connecting a calendar is told plainly that the server is not set up for it', async () => {
    const s = await makeSupporter(t, 'Dr No Key');
    const { context, page, errors } = await newPage(browser);
    await signIn(page, base, (await t.signIn('admin')).email, PASSWORD);
    await page.goto(`${base}/admin/supporters/${s.id}`);
    await page.getByRole('link', { name: 'Profile' }).last().click();
    await page.getByRole('heading', { level: 1, name: 'Profile' }).waitFor();
    await page.getByLabel('Calendar address').fill('https://cal.example.org/dav/jo/rota/');
    await page.getByLabel('User name').fill('jo');
    await page.getByLabel('App password').fill('secret-app-password');
    await page.getByRole('button', { name: 'Test and connect' }).click();
    const summary = page.getByTestId('error-summary');
    await summary.waitFor();
    await expect(summary.textContent()).resolves.toContain('not set up on this server');
    expect(errors).toEqual([]);
    await context.close();
  });
});
