import { MigrationInterface, QueryRunner } from 'typeorm';

/** Why an intake was closed or withdrawn (staff confirm with a reason); cleared when it is reopened. */
export class IntakeEndReason1764141800000 implements MigrationInterface {
  name = 'IntakeEndReason1764141800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE intakes ADD COLUMN end_reason text CONSTRAINT ck_intakes_end_reason CHECK (length(end_reason) <= 500)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE intakes DROP COLUMN end_reason`);
  }
}
