import { bearer, expectProblem } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';
import { book, Desk, manageTokenOf, newIntake, nextStart, openDesk, outboxOf } from './helpers';
import { inviteOf, SmtpSink } from './smtp-sink';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ICAL = require('ical.js');

/** LOCATION and URL of an invite, parsed with ical.js. */
function whereOf(ics: string): { location: string | null; url: string | null } {
  const vevent = new ICAL.Component(ICAL.parse(ics)).getFirstSubcomponent('vevent');
  return { location: vevent.getFirstPropertyValue('location'), url: vevent.getFirstPropertyValue('url') };
}

/** Issue 18 item 4: a video session's join link, or no video at all. */
describe('video links with VIDEO_ROOM_BASE_URL', () => {
  const BASE = 'https://meet.example.org/support';
  let sink: SmtpSink;
  let t: TestApp;
  let desk: Desk;
  let supporterEmail: string;

  beforeAll(async () => {
    sink = await SmtpSink.start();
    t = await startTestApp({ SMTP_URL: sink.url, VIDEO_ROOM_BASE_URL: `${BASE}/` });
    desk = await openDesk(t, { modalities: ['phone', 'video'] });
    desk.worker.configure({ backoffBaseMs: 0, jitter: 0 });
    supporterEmail = (await t.http().get(`/api/v1/supporters/${desk.supporterId}`).set(bearer(desk.admin))).body.email;
  });
  afterAll(async () => {
    await t.close();
    await sink.close();
  });

  it('a video booking gets an unguessable room: in both parties’ e-mails, the invites (LOCATION, URL), the SMS and the manage answer; a reschedule keeps it', async () => {
    const caller = await newIntake(t, desk);
    const b = await book(t, desk, caller.intakeId, nextStart(), { modality: 'video' });
    const [{ video_room: room }] = await t.ds.query(`SELECT video_room FROM bookings WHERE id = $1`, [b.id]);
    expect(room).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const link = `${BASE}/${room}`;
    const token = await manageTokenOf(t, b.id);
    await desk.worker.runOnce();

    const callerMail = sink.to(caller.email!)[0];
    const supporterMail = sink.to(supporterEmail).find((m) => m.subject?.includes(b.reference))!;
    for (const mail of [callerMail, supporterMail]) {
      expect(mail.text).toContain(link);
      expect(String(mail.html)).toContain(link);
      expect(whereOf(inviteOf(mail))).toEqual({ location: link, url: link });
    }
    const sms = (await outboxOf(t, b.id)).find((r) => r.channel === 'sms' && r.kind === 'confirmation')!;
    expect(sms.body_text).toContain(link);
    const managed = await t.http().get(`/api/v1/manage/${token}`);
    expect(managed.status).toBe(200);
    expect(managed.body.videoUrl).toBe(link);

    const moved = await t
      .http()
      .post(`/api/v1/bookings/${b.id}/reschedule`)
      .set(bearer(desk.intake))
      .send({ start: nextStart() });
    expect(moved.status).toBe(200);
    // (read before delivery: a sent message's stored copy loses its link)
    const newToken = await manageTokenOf(t, b.id, 'reschedule');
    await desk.worker.runOnce();
    const after = sink.to(caller.email!).find((m) => m.subject?.includes('moved'))!;
    expect(whereOf(inviteOf(after))).toEqual({ location: link, url: link });
    expect((await t.http().get(`/api/v1/manage/${newToken}`)).body.videoUrl).toBe(link);
    // another booking, another room
    const other = await book(t, desk, (await newIntake(t, desk)).intakeId, nextStart(), { modality: 'video' });
    const [{ video_room: room2 }] = await t.ds.query(`SELECT video_room FROM bookings WHERE id = $1`, [other.id]);
    expect(room2).not.toBe(room);
  });

  it('a phone session has no link; a supporter’s own meeting link (https only) replaces the room', async () => {
    const caller = await newIntake(t, desk);
    const phone = await book(t, desk, caller.intakeId, nextStart(), { modality: 'phone' });
    expect((await t.http().get(`/api/v1/manage/${await manageTokenOf(t, phone.id)}`)).body.videoUrl).toBeNull();

    for (const bad of [
      'http://meet.example.org/x',
      'javascript:alert(1)',
      'https://user:pw@meet.example.org/x',
      'not a url',
      'https://',
    ]) {
      expectProblem(
        await t
          .http()
          .patch(`/api/v1/supporters/${desk.supporterId}`)
          .set(bearer(desk.admin))
          .send({ meetingUrl: bad }),
        400,
        'validation_failed',
      );
    }
    const own = 'https://video.example.net/dr-shah';
    const me = await t.signIn('supporter', desk.supporterId);
    const set = await t
      .http()
      .patch(`/api/v1/supporters/${desk.supporterId}`)
      .set(bearer(me.token))
      .send({ meetingUrl: own });
    expect(set.status).toBe(200);
    expect(set.body.meetingUrl).toBe(own);

    const c2 = await newIntake(t, desk);
    const b = await book(t, desk, c2.intakeId, nextStart(), { modality: 'video' });
    const token = await manageTokenOf(t, b.id);
    await desk.worker.runOnce();
    expect(whereOf(inviteOf(sink.to(c2.email!)[0]))).toEqual({ location: own, url: own });
    expect((await t.http().get(`/api/v1/manage/${token}`)).body.videoUrl).toBe(own);

    const cleared = await t
      .http()
      .patch(`/api/v1/supporters/${desk.supporterId}`)
      .set(bearer(desk.admin))
      .send({ meetingUrl: null });
    expect(cleared.body.meetingUrl).toBeNull();
  });
});

describe('no VIDEO_ROOM_BASE_URL: video only with a supporter’s own link', () => {
  let t: TestApp;
  let desk: Desk;

  beforeAll(async () => {
    t = await startTestApp();
    desk = await openDesk(t, { modalities: ['phone', 'video'] });
  });
  afterAll(async () => {
    await t.close();
  });

  const videoIntake = async () => {
    const res = await t
      .http()
      .post('/api/v1/intakes')
      .set(bearer(desk.intake))
      .send({
        service: 'counselling',
        caller: {
          name: 'Test Caller',
          phone: `07700 900${String(Math.floor(Math.random() * 1000)).padStart(3, '0')}`,
          role: 'doctor',
          timeZone: 'Europe/London',
        },
        risk: { immediateDanger: false },
        consent: { privacyNotice: true },
        preferences: { modality: 'video' },
      });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const modalityReason = async (intakeId: string) => {
    const res = await t.http().get(`/api/v1/intakes/${intakeId}/matches`).set(bearer(desk.intake));
    expect(res.status).toBe(200);
    const c = res.body.candidates.find((x: { supporterId: string }) => x.supporterId === desk.supporterId);
    return (c.reasons as { code: string }[]).map((r) => r.code).filter((code) => code.startsWith('modality'));
  };

  it('booking a video session is 422 video_unavailable and writes nothing; matching does not offer video; without a modality the booking is by phone', async () => {
    const intakeId = await videoIntake();
    const count = async () => Number((await t.ds.query(`SELECT count(*) AS n FROM bookings`))[0].n);
    const before = await count();
    const res = await t
      .http()
      .post('/api/v1/bookings')
      .set(bearer(desk.intake))
      .send({ intakeId, supporterId: desk.supporterId, start: nextStart(), modality: 'video' });
    expectProblem(res, 422, 'video_unavailable');
    expect(await count()).toBe(before);
    expect(await modalityReason(intakeId)).not.toContain('modality_offered');

    // the caller's preference cannot be met: the booking falls back to phone
    const b = await t
      .http()
      .post('/api/v1/bookings')
      .set(bearer(desk.intake))
      .send({ intakeId, supporterId: desk.supporterId, start: nextStart() });
    expect(b.status).toBe(201);
    expect(b.body.modality).toBe('phone');
  });

  it('a supporter with their own meeting link offers video again: matched and booked with that link', async () => {
    const own = 'https://video.example.net/room-42';
    expect(
      (await t.http().patch(`/api/v1/supporters/${desk.supporterId}`).set(bearer(desk.admin)).send({ meetingUrl: own }))
        .status,
    ).toBe(200);
    const intakeId = await videoIntake();
    expect(await modalityReason(intakeId)).toContain('modality_offered');
    const b = await t
      .http()
      .post('/api/v1/bookings')
      .set(bearer(desk.intake))
      .send({ intakeId, supporterId: desk.supporterId, start: nextStart(), modality: 'video' });
    expect(b.status).toBe(201);
    expect((await t.http().get(`/api/v1/manage/${await manageTokenOf(t, b.body.id)}`)).body.videoUrl).toBe(own);
  });
});
