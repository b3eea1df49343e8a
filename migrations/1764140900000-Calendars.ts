import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Supporters' own calendars (libs/calendars): a CalDAV connection per
 * supporter (credentials sealed with AES-256-GCM; nothing readable without
 * CALENDAR_ENCRYPTION_KEY), the busy time read from it, and the private feed
 * tokens (only their SHA-256 is kept).
 */
export class Calendars1764140900000 implements MigrationInterface {
  name = 'Calendars1764140900000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE calendar_connections (
        supporter_id uuid NOT NULL CONSTRAINT fk_calendar_connections_supporter REFERENCES supporters (id) ON DELETE CASCADE,
        credentials text NOT NULL,
        connected_at timestamptz NOT NULL DEFAULT now(),
        last_sync_at timestamptz,
        last_attempt_at timestamptz,
        last_error text,
        next_sync_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_calendar_connections PRIMARY KEY (supporter_id),
        CONSTRAINT ck_calendar_connections_sealed CHECK (credentials ~ '^v[0-9]+\\.'),
        CONSTRAINT ck_calendar_connections_error_code CHECK (last_error IS NULL OR last_error ~ '^[a-z_]{1,40}$')
      )`);
    await q.query(`CREATE INDEX ix_calendar_connections_next_sync ON calendar_connections (next_sync_at)`);
    await q.query(`
      CREATE TABLE calendar_busy_blocks (
        id bigint GENERATED ALWAYS AS IDENTITY,
        supporter_id uuid NOT NULL CONSTRAINT fk_calendar_busy_blocks_supporter REFERENCES supporters (id) ON DELETE CASCADE,
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL,
        synced_at timestamptz NOT NULL,
        source_uid text NOT NULL,
        CONSTRAINT pk_calendar_busy_blocks PRIMARY KEY (id),
        CONSTRAINT ck_calendar_busy_blocks_range CHECK (ends_at > starts_at)
      )`);
    // Slots and matching read busy time by supporter and range, and across everyone by range.
    await q.query(
      `CREATE INDEX ix_calendar_busy_blocks_supporter_starts ON calendar_busy_blocks (supporter_id, starts_at)`,
    );
    await q.query(`CREATE INDEX ix_calendar_busy_blocks_starts ON calendar_busy_blocks (starts_at)`);
    await q.query(`
      CREATE TABLE calendar_feed_tokens (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        supporter_id uuid NOT NULL CONSTRAINT fk_calendar_feed_tokens_supporter REFERENCES supporters (id) ON DELETE CASCADE,
        token_hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz,
        CONSTRAINT pk_calendar_feed_tokens PRIMARY KEY (id),
        CONSTRAINT uq_calendar_feed_tokens_hash UNIQUE (token_hash),
        CONSTRAINT ck_calendar_feed_tokens_hash CHECK (token_hash ~ '^[0-9a-f]{64}$')
      )`);
    // One live feed per supporter: a new one revokes the old in the same transaction.
    await q.query(
      `CREATE UNIQUE INDEX uq_calendar_feed_tokens_live ON calendar_feed_tokens (supporter_id) WHERE revoked_at IS NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE calendar_feed_tokens`);
    await q.query(`DROP TABLE calendar_busy_blocks`);
    await q.query(`DROP TABLE calendar_connections`);
  }
}
