import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A counter that any change to supporters or their weekly rules raises (by
 * statement triggers), so every API process can keep the supporter directory
 * in memory and know, with one tiny query, when to read it again.
 */
export class DirectoryVersion1764140400000 implements MigrationInterface {
  name = 'DirectoryVersion1764140400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE directory_version (
        id smallint PRIMARY KEY DEFAULT 1 CONSTRAINT ck_directory_version_singleton CHECK (id = 1),
        version bigint NOT NULL DEFAULT 0
      )`);
    await q.query(`INSERT INTO directory_version DEFAULT VALUES`);
    await q.query(`
      CREATE FUNCTION fn_bump_directory_version() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE directory_version SET version = version + 1 WHERE id = 1;
        RETURN NULL;
      END $$`);
    for (const table of ['supporters', 'availability_rules']) {
      await q.query(`CREATE TRIGGER tr_${table}_directory_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${table}
                     FOR EACH STATEMENT EXECUTE FUNCTION fn_bump_directory_version()`);
    }
    // The matching query reads every supporter's confirmed sessions in a window: plain comparisons on an index.
    await q.query(
      `CREATE INDEX ix_bookings_confirmed_start ON bookings (starts_at) INCLUDE (supporter_id, ends_at, blocked_until) WHERE status = 'confirmed'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ix_bookings_confirmed_start`);
    for (const table of ['supporters', 'availability_rules'])
      await q.query(`DROP TRIGGER tr_${table}_directory_version ON ${table}`);
    await q.query(`DROP FUNCTION fn_bump_directory_version()`);
    await q.query(`DROP TABLE directory_version`);
  }
}
