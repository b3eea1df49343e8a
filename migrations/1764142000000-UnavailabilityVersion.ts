import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A counter that any change to time off or to imported calendar busy blocks
 * raises (by statement triggers), so every API process can keep the
 * unavailability matching reads on each request (50 blocks per supporter add
 * up to 50,000 rows) in memory and know, with one tiny query, when to read it
 * again. Its own row, not a second column of directory_version: a calendar
 * sync every few minutes must not throw away the cached directory (profiles
 * and rules), and writers of time off must not queue on the directory's row.
 */
export class UnavailabilityVersion1764142000000 implements MigrationInterface {
  name = 'UnavailabilityVersion1764142000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE unavailability_version (
        id smallint PRIMARY KEY DEFAULT 1 CONSTRAINT ck_unavailability_version_singleton CHECK (id = 1),
        version bigint NOT NULL DEFAULT 0
      )`);
    await q.query(`INSERT INTO unavailability_version DEFAULT VALUES`);
    await q.query(`
      CREATE FUNCTION fn_bump_unavailability_version() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE unavailability_version SET version = version + 1 WHERE id = 1;
        RETURN NULL;
      END $$`);
    // UPDATE OF the columns the view reads: a sync refreshing only synced_at, or a new reason, changes no one's availability.
    for (const table of ['time_off', 'calendar_busy_blocks']) {
      await q.query(`CREATE TRIGGER tr_${table}_unavailability_version
                     AFTER INSERT OR UPDATE OF supporter_id, starts_at, ends_at OR DELETE OR TRUNCATE ON ${table}
                     FOR EACH STATEMENT EXECUTE FUNCTION fn_bump_unavailability_version()`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['time_off', 'calendar_busy_blocks'])
      await q.query(`DROP TRIGGER tr_${table}_unavailability_version ON ${table}`);
    await q.query(`DROP FUNCTION fn_bump_unavailability_version()`);
    await q.query(`DROP TABLE unavailability_version`);
  }
}
