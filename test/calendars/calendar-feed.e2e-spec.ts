/**
 * A supporter's private feed, GET /calendar/<token>.ics: text/calendar that
 * ical.js parses, confirmed sessions only, no caller data, ETag and 304,
 * revocable, rate-limited like the manage links.
 */
import ICAL from 'ical.js';
import {
  auth,
  book,
  dramaPhone,
  expectProblem,
  london,
  makeIntake,
  makeSupporter,
  action,
} from '../support/booking-factories';
import { startTestApp, TestApp } from '../support/test-app';

describe('calendar feed', () => {
  let t: TestApp;
  let admin: string;
  let intake: string;

  beforeAll(async () => {
    // video is offered only with a link to give (issue 18): the feed lists a video session
    t = await startTestApp({
      PUBLIC_URL: 'https://support.example',
      VIDEO_ROOM_BASE_URL: 'https://meet.example.org/support',
    });
    admin = (await t.signIn('admin')).token;
    intake = (await t.signIn('intake')).token;
  });
  afterAll(() => t?.close());

  const feedPath = (url: string) => new URL(url).pathname;

  it('lists the confirmed sessions with reference, time and modality, and nothing about the caller', async () => {
    const s = await makeSupporter(t, admin, { kind: 'counsellor', modalities: ['phone', 'video'] });
    const phone = dramaPhone();
    const caller = {
      name: 'Dr Feedcaller Uniquename',
      phone,
      email: 'feed.caller@example.org',
      specialty: 'Nephrology',
      workplace: 'St Elsewhere',
    };
    const i1 = await makeIntake(t, intake, { caller });
    const kept = await book(t, intake, i1.id, s.id, london(5, '10:00'), { modality: 'video' });
    const cancelled = await book(t, intake, i1.id, s.id, london(6, '10:00'));
    expect((await action(t, intake, cancelled.id, 'cancel', { reason: 'feeling anxious about the GMC' })).status).toBe(
      200,
    );

    const created = await t.http().post(`/api/v1/supporters/${s.id}/calendar-feed`).set(auth(admin));
    expect(created.status).toBe(201);
    expect(created.body.url).toMatch(/^https:\/\/support\.example\/calendar\/[A-Za-z0-9_-]{43}\.ics$/);
    expect(created.body.webcalUrl).toBe(created.body.url.replace(/^https:/, 'webcal:'));

    const res = await t.http().get(feedPath(created.body.url));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/calendar/);
    expect(res.headers['cache-control']).toBe('private, no-cache');
    const text = res.text;
    const cal = new ICAL.Component(ICAL.parse(text));
    const events = cal.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
    expect(events).toHaveLength(1);
    const [ev] = events;
    expect(ev.startDate.toJSDate().toISOString()).toBe(kept.start);
    expect(ev.endDate.toJSDate().toISOString()).toBe(kept.end);
    expect(ev.summary).toContain(kept.reference);
    expect(ev.summary).toContain('video');
    for (const secret of [
      caller.name,
      'Feedcaller',
      phone.replace(/\s/g, ''),
      phone,
      '7700900',
      caller.email,
      'Nephrology',
      'St Elsewhere',
      'GMC',
      'anxious',
      kept.callerId,
      kept.intakeId,
    ]) {
      expect(text).not.toContain(secret);
    }
  });

  it('answers 304 to If-None-Match with the same ETag, and a new ETag after a change', async () => {
    const s = await makeSupporter(t, admin, { kind: 'counsellor' });
    const url = feedPath((await t.http().post(`/api/v1/supporters/${s.id}/calendar-feed`).set(auth(admin))).body.url);
    const first = await t.http().get(url);
    const etag = first.headers.etag;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    expect((await t.http().get(url)).headers.etag).toBe(etag);
    const again = await t.http().get(url).set('If-None-Match', etag);
    expect(again.status).toBe(304);
    expect(again.text ?? '').toBe('');
    expect((await t.http().get(url).set('If-None-Match', '"something-else"')).status).toBe(200);

    const i = await makeIntake(t, intake);
    await book(t, intake, i.id, s.id, london(7, '11:00'));
    const changed = await t.http().get(url).set('If-None-Match', etag);
    expect(changed.status).toBe(200);
    expect(changed.headers.etag).not.toBe(etag);
  });

  it('a new link replaces the old one; a revoked or unknown link is 404', async () => {
    const s = await makeSupporter(t, admin, { kind: 'counsellor' });
    const { token } = await t.signIn('supporter', s.id);
    const old = feedPath((await t.http().post(`/api/v1/supporters/${s.id}/calendar-feed`).set(auth(token))).body.url);
    const fresh = feedPath((await t.http().post(`/api/v1/supporters/${s.id}/calendar-feed`).set(auth(token))).body.url);
    expectProblem(await t.http().get(old), 404, 'not_found');
    expect((await t.http().get(fresh)).status).toBe(200);
    expect((await t.http().delete(`/api/v1/supporters/${s.id}/calendar-feed`).set(auth(token))).status).toBe(204);
    expectProblem(await t.http().get(fresh), 404, 'not_found');
    expectProblem(await t.http().delete(`/api/v1/supporters/${s.id}/calendar-feed`).set(auth(token)), 404, 'not_found');
    for (const bad of [
      '/calendar/nope.ics',
      `/calendar/${'A'.repeat(43)}.ics`,
      '/calendar/%00.ics',
      `/calendar/${'A'.repeat(43)}.ics.ics`,
    ]) {
      expectProblem(await t.http().get(bad), 404, 'not_found');
    }
    // only its hash is stored
    const rows: { token_hash: string }[] = await t.ds.query(
      `SELECT token_hash FROM calendar_feed_tokens WHERE supporter_id = $1`,
      [s.id],
    );
    expect(rows).toHaveLength(2);
    for (const r of rows) {
      expect(r.token_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(old).not.toContain(r.token_hash);
    }
  });

  it('a supporter creates and revokes only its own feed; intake staff cannot', async () => {
    const mine = await makeSupporter(t, admin, { kind: 'counsellor' });
    const other = await makeSupporter(t, admin, { kind: 'counsellor' });
    const { token } = await t.signIn('supporter', mine.id);
    expectProblem(
      await t.http().post(`/api/v1/supporters/${other.id}/calendar-feed`).set(auth(token)),
      403,
      'forbidden',
    );
    expectProblem(
      await t.http().delete(`/api/v1/supporters/${other.id}/calendar-feed`).set(auth(token)),
      403,
      'forbidden',
    );
    expectProblem(
      await t.http().post(`/api/v1/supporters/${mine.id}/calendar-feed`).set(auth(intake)),
      403,
      'forbidden',
    );
    expectProblem(await t.http().post(`/api/v1/supporters/${mine.id}/calendar-feed`), 401, 'unauthorized');
    expectProblem(
      await t.http().post(`/api/v1/supporters/00000000-0000-4000-8000-000000000000/calendar-feed`).set(auth(admin)),
      404,
      'not_found',
    );
  });

  it('is rate-limited per address like the manage links: the 31st request in a minute is 429 with Retry-After', async () => {
    const s = await makeSupporter(t, admin, { kind: 'counsellor' });
    const url = feedPath((await t.http().post(`/api/v1/supporters/${s.id}/calendar-feed`).set(auth(admin))).body.url);
    const from = '198.51.100.77';
    for (let i = 0; i < 30; i++) expect((await t.http().get(url).set('X-Forwarded-For', from)).status).toBe(200);
    const refused = await t.http().get(url).set('X-Forwarded-For', from);
    expectProblem(refused, 429, 'rate_limited');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect((await t.http().get(url).set('X-Forwarded-For', '198.51.100.78')).status).toBe(200);
  });
});
