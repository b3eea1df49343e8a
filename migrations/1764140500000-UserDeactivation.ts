import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Staff leave: an admin can take a user's access away (and give it back).
 * A deactivated user cannot sign in, and tokens already issued stop working.
 */
export class UserDeactivation1764140500000 implements MigrationInterface {
  name = 'UserDeactivation1764140500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users ADD COLUMN deactivated_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users DROP COLUMN deactivated_at`);
  }
}
