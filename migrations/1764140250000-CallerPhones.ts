import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every number a caller has rung from, so a returning caller is recognised by
 * any of them (callers.phone stays the latest). One caller per number.
 */
export class CallerPhones1764140250000 implements MigrationInterface {
  name = 'CallerPhones1764140250000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE caller_phones (
        phone text PRIMARY KEY CONSTRAINT ck_caller_phones_e164 CHECK (phone ~ '^\\+[1-9][0-9]{6,15}$'),
        caller_id uuid NOT NULL CONSTRAINT fk_caller_phones_caller REFERENCES callers (id) ON DELETE CASCADE,
        added_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX ix_caller_phones_caller ON caller_phones (caller_id)`);
    await q.query(`INSERT INTO caller_phones (phone, caller_id) SELECT phone, id FROM callers WHERE phone IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE caller_phones`);
  }
}
