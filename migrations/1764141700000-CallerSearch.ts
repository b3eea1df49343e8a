import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Search by name (GET /search): a trigram index on the lower-cased name, so a
 * substring match (`lower(name) LIKE '%ysol%'`) is an index scan over twenty
 * years of callers, not a sequential one. pg_trgm ships with PostgreSQL (the
 * embedded 16 and a packaged 15/16 alike). Erased callers have no name and are
 * left out of the index. Phone and reference searches use the existing unique
 * indexes (caller_phones' key, uq_intakes_reference, uq_bookings_reference).
 */
export class CallerSearch1764141700000 implements MigrationInterface {
  name = 'CallerSearch1764141700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await q.query(
      `CREATE INDEX ix_callers_name_trgm ON callers USING gin (lower(name) gin_trgm_ops) WHERE erased_at IS NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ix_callers_name_trgm`);
    // The extension stays: dropping it could break anything else that came to use it.
  }
}
