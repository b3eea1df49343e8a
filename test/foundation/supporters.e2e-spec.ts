import { randomUUID } from 'node:crypto';
import { startTestApp, TestApp } from '../support/test-app';
import {
  bearer,
  createSupporter,
  expectProblem,
  expectValidation,
  supporterBody,
  uniqueEmail,
} from '../support/factories';

const SUPPORTERS = '/api/v1/supporters';

describe('supporters', () => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    t = await startTestApp();
    admin = (await t.signIn('admin')).token;
  });
  afterAll(async () => {
    await t.close();
  });

  describe('POST /supporters', () => {
    it('creates a supporter with every field and answers 201 with it', async () => {
      const body = {
        kind: 'peer',
        displayName: 'Dr Asha Patel',
        email: uniqueEmail('asha'),
        phone: '07700 900456',
        specialty: 'General practice',
        gender: 'female',
        languages: ['en', 'hi'],
        timeZone: 'Europe/London',
        workplaces: ['St Elsewhere NHS Trust'],
        maxActiveCases: 6,
        modalities: ['phone', 'video'],
        active: true,
      };
      const res = await t.http().post(SUPPORTERS).set(bearer(admin)).send(body);
      expect(res.status).toBe(201);
      expect(res.body).toEqual(expect.objectContaining({ ...body, id: expect.any(String), phone: expect.any(String) }));
      // the phone is kept (normalised) and still the same number
      expect(res.body.phone.replace(/\D/g, '')).toMatch(/7700900456$/);
    });

    it('creates a counsellor with only the required fields', async () => {
      const body = {
        kind: 'counsellor',
        displayName: 'Sam Counsellor',
        email: uniqueEmail('sam'),
        timeZone: 'America/New_York',
        maxActiveCases: 1,
      };
      const res = await t.http().post(SUPPORTERS).set(bearer(admin)).send(body);
      expect(res.status).toBe(201);
      expect(res.body).toEqual(expect.objectContaining({ ...body, id: expect.any(String) }));
      for (const key of [
        'id',
        'kind',
        'displayName',
        'email',
        'phone',
        'specialty',
        'gender',
        'languages',
        'timeZone',
        'workplaces',
        'maxActiveCases',
        'modalities',
        'active',
      ]) {
        expect(res.body).toHaveProperty(key);
      }
      expect(Array.isArray(res.body.languages)).toBe(true);
      expect(Array.isArray(res.body.workplaces)).toBe(true);
      expect(Array.isArray(res.body.modalities)).toBe(true);
      expect(typeof res.body.active).toBe('boolean');
    });

    it.each(['Mars/Olympus_Mons', 'Europe/Atlantis', 'London', 'GMT+25', ''])(
      'an unknown time zone %p is 400 naming timeZone',
      async (timeZone) => {
        const res = await t.http().post(SUPPORTERS).set(bearer(admin)).send(supporterBody({ timeZone }));
        expectValidation(res, ['timeZone']);
      },
    );

    it.each([
      ['kind', { kind: 'therapist' }],
      ['maxActiveCases', { maxActiveCases: 0 }],
      ['maxActiveCases', { maxActiveCases: 2.5 }],
      ['modalities', { modalities: ['fax'] }],
      ['email', { email: 'not-an-email' }],
      ['languages', { languages: 'en' }],
      ['workplaces', { workplaces: 'St Elsewhere' }],
      ['active', { active: 'yes' }],
      ['phone', { phone: '12345' }],
    ])('a bad %s is 400 naming that field', async (field, override) => {
      const res = await t
        .http()
        .post(SUPPORTERS)
        .set(bearer(admin))
        .send({ ...supporterBody(), ...override });
      expectValidation(res, [field]);
    });

    it('several bad fields give one error entry each', async () => {
      const res = await t.http().post(SUPPORTERS).set(bearer(admin)).send({
        kind: 'wizard',
        displayName: 'X',
        email: 'nope',
        timeZone: 'Nowhere/Land',
        maxActiveCases: -1,
      });
      expectValidation(res, ['kind', 'email', 'timeZone', 'maxActiveCases']);
    });

    it('missing required fields are 400, one entry per field', async () => {
      const res = await t.http().post(SUPPORTERS).set(bearer(admin)).send({});
      expectValidation(res, ['kind', 'displayName', 'email', 'timeZone', 'maxActiveCases']);
    });

    it('an unknown field is rejected with 400', async () => {
      const res = await t
        .http()
        .post(SUPPORTERS)
        .set(bearer(admin))
        .send({ ...supporterBody(), salary: 100000 });
      expectValidation(res, ['salary']);
    });
  });

  describe('GET /supporters', () => {
    it('lists supporters as {"supporters": [...]} for admin and intake', async () => {
      const a = await createSupporter(t, admin, { displayName: 'Listed One' });
      const b = await createSupporter(t, admin, { displayName: 'Listed Two', kind: 'peer' });
      const intake = (await t.signIn('intake')).token;
      for (const token of [admin, intake]) {
        const res = await t.http().get(SUPPORTERS).set(bearer(token));
        expect(res.status).toBe(200);
        expect(Array.isArray(res.body.supporters)).toBe(true);
        const ids = res.body.supporters.map((s: { id: string }) => s.id);
        expect(ids).toEqual(expect.arrayContaining([a.id, b.id]));
        expect(res.body.supporters.find((s: { id: string }) => s.id === a.id)).toEqual(a);
      }
    });
  });

  describe('GET /supporters/:id', () => {
    it('answers the supporter to an admin', async () => {
      const s = await createSupporter(t, admin);
      const res = await t.http().get(`${SUPPORTERS}/${s.id}`).set(bearer(admin));
      expect(res.status).toBe(200);
      expect(res.body).toEqual(s);
    });

    it('answers a supporter its own record, 403 for another one', async () => {
      const own = await createSupporter(t, admin);
      const other = await createSupporter(t, admin);
      const { token } = await t.signIn('supporter', own.id);
      const mine = await t.http().get(`${SUPPORTERS}/${own.id}`).set(bearer(token));
      expect(mine.status).toBe(200);
      expect(mine.body).toEqual(own);
      expectProblem(await t.http().get(`${SUPPORTERS}/${other.id}`).set(bearer(token)), 403, 'forbidden');
    });

    it('an unknown id is 404 not_found', async () => {
      expectProblem(await t.http().get(`${SUPPORTERS}/${randomUUID()}`).set(bearer(admin)), 404, 'not_found');
    });

    it('an id that is not a UUID is 400, never a database error', async () => {
      const res = await t.http().get(`${SUPPORTERS}/not-a-uuid`).set(bearer(admin));
      expectProblem(res, 400, 'validation_failed');
    });
  });

  describe('PATCH /supporters/:id', () => {
    it('an admin changes fields; the rest stay as they were', async () => {
      const s = await createSupporter(t, admin, { languages: ['en'] });
      const res = await t
        .http()
        .patch(`${SUPPORTERS}/${s.id}`)
        .set(bearer(admin))
        .send({
          displayName: 'Dr Renamed',
          languages: ['en', 'cy'],
          timeZone: 'Asia/Singapore',
          maxActiveCases: 9,
          active: false,
          modalities: ['video'],
        });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        ...s,
        displayName: 'Dr Renamed',
        languages: ['en', 'cy'],
        timeZone: 'Asia/Singapore',
        maxActiveCases: 9,
        active: false,
        modalities: ['video'],
      });
      const read = await t.http().get(`${SUPPORTERS}/${s.id}`).set(bearer(admin));
      expect(read.body).toEqual(res.body);
    });

    it('a supporter changes its own profile, 403 for another one', async () => {
      const own = await createSupporter(t, admin);
      const other = await createSupporter(t, admin);
      const { token } = await t.signIn('supporter', own.id);
      const res = await t
        .http()
        .patch(`${SUPPORTERS}/${own.id}`)
        .set(bearer(token))
        .send({ displayName: 'Dr Self Edited', languages: ['fr'] });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ ...own, displayName: 'Dr Self Edited', languages: ['fr'] });
      expectProblem(
        await t.http().patch(`${SUPPORTERS}/${other.id}`).set(bearer(token)).send({ displayName: 'Hijack' }),
        403,
        'forbidden',
      );
      const untouched = await t.http().get(`${SUPPORTERS}/${other.id}`).set(bearer(admin));
      expect(untouched.body.displayName).toBe(other.displayName);
    });

    it('an unknown time zone is 400 and changes nothing', async () => {
      const s = await createSupporter(t, admin);
      expectValidation(
        await t.http().patch(`${SUPPORTERS}/${s.id}`).set(bearer(admin)).send({ timeZone: 'Europe/Nowhere' }),
        ['timeZone'],
      );
      const read = await t.http().get(`${SUPPORTERS}/${s.id}`).set(bearer(admin));
      expect(read.body.timeZone).toBe(s.timeZone);
    });

    it('bad fields give one entry each; unknown fields are rejected', async () => {
      const s = await createSupporter(t, admin);
      expectValidation(
        await t.http().patch(`${SUPPORTERS}/${s.id}`).set(bearer(admin)).send({ maxActiveCases: 0, kind: 'x' }),
        ['maxActiveCases', 'kind'],
      );
      expectValidation(await t.http().patch(`${SUPPORTERS}/${s.id}`).set(bearer(admin)).send({ id: randomUUID() }), [
        'id',
      ]);
    });

    it('an unknown id is 404', async () => {
      expectProblem(
        await t.http().patch(`${SUPPORTERS}/${randomUUID()}`).set(bearer(admin)).send({ displayName: 'Ghost' }),
        404,
        'not_found',
      );
    });
  });
});
