import { randomUUID } from 'node:crypto';
import { EntityTarget, ObjectLiteral } from 'typeorm';
import { hydrateEntity } from '@app/database';
import { Caller, Intake } from '@app/intake';
import { Supporter } from '@app/supporters';
import { startTestApp, TestApp } from '../support/test-app';

describe('hydrateEntity: a row read as to_json(alias) is the entity TypeORM reads', () => {
  let t: TestApp;
  const ids = { caller: randomUUID(), bare: randomUUID(), intake: randomUUID(), supporter: randomUUID() };

  beforeAll(async () => {
    t = await startTestApp();
    // every column set, timestamps with microseconds, and a caller with every optional column null
    await t.ds.query(
      `INSERT INTO callers (id, name, phone, email, role, specialty, workplace, time_zone, gender, ethnicity, age, language, last_contact_at, erased_at)
       VALUES ($1, 'Dr Row', '+447700900123', 'row@example.test', 'doctor', 'Psychiatry', 'St Elsewhere', 'Asia/Kolkata', 'female', 'Other', 41, 'en',
               '2026-03-29 00:59:59.123456+00', '2026-10-25 01:30:00.999999+00')`,
      [ids.caller],
    );
    await t.ds.query(
      `INSERT INTO callers (id, name, phone, role, time_zone) VALUES ($1, 'Dr Bare', '+447700900124', 'medical_student', 'Europe/London')`,
      [ids.bare],
    );
    await t.ds.query(
      `INSERT INTO supporters (id, kind, display_name, email, phone, specialty, gender, languages, time_zone, workplaces, max_active_cases, modalities, active)
       VALUES ($1, 'peer', 'Dr Peer', 'peer@example.test', '+447700900125', 'GP', 'male', '{en,cy}', 'Europe/London', '{"St Elsewhere","O''Neill House"}', 7, '{phone,video}', false)`,
      [ids.supporter],
    );
    await t.ds.query(
      `INSERT INTO intakes (id, caller_id, service, channel, status, supporter_id, preferences, immediate_danger, gmc_investigation, consented_at, preferred_times, message)
       VALUES ($1, $2, 'peer_support', 'phone', 'assigned', $3, '{"gender": "female", "nested": {"a": [1, 2.5, null]}}', false, true,
               '2026-11-30 12:00:00.000001+00', 'evenings', 'quote " and backslash \\ and newline
here')`,
      [ids.intake, ids.caller, ids.supporter],
    );
  });
  afterAll(async () => {
    await t.close();
  });

  async function both<T extends ObjectLiteral>(target: EntityTarget<T>, table: string, id: string): Promise<[T, T]> {
    const [{ row }] = await t.ds.query(`SELECT to_json(x) AS row FROM ${table} x WHERE x.id = $1`, [id]);
    return [hydrateEntity(t.ds, target, row), await t.ds.getRepository(target).findOneByOrFail({ id } as never)];
  }

  it.each([
    ['a caller with every column set', Caller, 'callers', 'caller'],
    ['a caller with the optional columns null', Caller, 'callers', 'bare'],
    ['a supporter (arrays, integer, boolean)', Supporter, 'supporters', 'supporter'],
    ['an intake (jsonb, text with quotes and newlines)', Intake, 'intakes', 'intake'],
  ] as const)('%s', async (_what, target, table, which) => {
    const [fromJson, fromTypeorm] = await both(target as EntityTarget<ObjectLiteral>, table, ids[which]);
    expect(fromJson).toEqual(fromTypeorm);
    expect(fromJson).toBeInstanceOf(target);
    for (const [k, v] of Object.entries(fromTypeorm)) {
      if (v instanceof Date) expect((fromJson as Record<string, Date>)[k]).toBeInstanceOf(Date);
    }
  });
});
