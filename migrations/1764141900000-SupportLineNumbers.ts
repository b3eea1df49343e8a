import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The line's own number and the emergency numbers, shown to callers (manage
 * page, ask-for-support page, messages). The number is unset until an admin
 * gives it; the emergency numbers start as the UK's.
 */
export class SupportLineNumbers1764141900000 implements MigrationInterface {
  name = 'SupportLineNumbers1764141900000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE policies ADD COLUMN support_line_phone text
                   CONSTRAINT ck_policies_support_line_phone CHECK (length(support_line_phone) BETWEEN 3 AND 40)`);
    await q.query(`ALTER TABLE policies ADD COLUMN emergency_numbers jsonb NOT NULL
                   DEFAULT '[{"label": "Emergency services", "number": "999"}, {"label": "NHS 111 (urgent medical help)", "number": "111"}]'
                   CONSTRAINT ck_policies_emergency_numbers CHECK (jsonb_typeof(emergency_numbers) = 'array' AND jsonb_array_length(emergency_numbers) <= 5)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE policies DROP COLUMN emergency_numbers`);
    await q.query(`ALTER TABLE policies DROP COLUMN support_line_phone`);
  }
}
