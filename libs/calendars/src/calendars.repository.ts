import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { inTransaction } from '@app/database';
import type { BusyInterval } from './busy-time';

export interface ConnectionRow {
  supporterId: string;
  credentials: string;
  connectedAt: Date;
  lastSyncAt: Date | null;
  lastAttemptAt: Date | null;
  lastError: string | null;
  busyBlocks: number;
}

interface RawConnection {
  supporter_id: string;
  credentials: string;
  connected_at: Date;
  last_sync_at: Date | null;
  last_attempt_at: Date | null;
  last_error: string | null;
  busy_blocks: number;
}

const toConnection = (r: RawConnection): ConnectionRow => ({
  supporterId: r.supporter_id,
  credentials: r.credentials,
  connectedAt: r.connected_at,
  lastSyncAt: r.last_sync_at,
  lastAttemptAt: r.last_attempt_at,
  lastError: r.last_error,
  busyBlocks: Number(r.busy_blocks),
});

/** The calendar tables (migrations/…-Calendars.ts); only this library writes them. */
@Injectable()
export class CalendarsRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /** A new connection replaces the old one and its busy time; it is due for a sync at once. */
  async saveConnection(supporterId: string, sealed: string): Promise<void> {
    await inTransaction(this.ds, async (m) => {
      await m.query(`DELETE FROM calendar_busy_blocks WHERE supporter_id = $1`, [supporterId]);
      await m.query(
        `INSERT INTO calendar_connections (supporter_id, credentials) VALUES ($1, $2)
         ON CONFLICT ON CONSTRAINT pk_calendar_connections DO UPDATE
            SET credentials = EXCLUDED.credentials, connected_at = now(), last_sync_at = NULL,
                last_attempt_at = NULL, last_error = NULL, next_sync_at = now()`,
        [supporterId, sealed],
      );
      // A new calendar holds none of our events yet: every session still to come is written into it.
      await m.query(`DELETE FROM calendar_writes WHERE supporter_id = $1`, [supporterId]);
      await m.query(
        `INSERT INTO calendar_writes (booking_id, supporter_id, due_at)
         SELECT id, supporter_id, now() FROM bookings
          WHERE supporter_id = $1 AND status IN ('confirmed', 'completed') AND ends_at > now()`,
        [supporterId],
      );
    });
  }

  async connection(supporterId: string): Promise<ConnectionRow | null> {
    const rows: RawConnection[] = await this.ds.query(
      `SELECT c.*, (SELECT count(*) FROM calendar_busy_blocks b WHERE b.supporter_id = c.supporter_id)::int AS busy_blocks
         FROM calendar_connections c WHERE c.supporter_id = $1`,
      [supporterId],
    );
    return rows[0] ? toConnection(rows[0]) : null;
  }

  /** Removes the connection and the busy time read from it; false when there was none. */
  async deleteConnection(supporterId: string): Promise<boolean> {
    return inTransaction(this.ds, async (m) => {
      await m.query(`DELETE FROM calendar_busy_blocks WHERE supporter_id = $1`, [supporterId]);
      // We can no longer reach that calendar: our events in it stay there, as the supporter's own.
      await m.query(`DELETE FROM calendar_writes WHERE supporter_id = $1`, [supporterId]);
      const [{ n }]: { n: number }[] = await m.query(
        `WITH d AS (DELETE FROM calendar_connections WHERE supporter_id = $1 RETURNING 1) SELECT count(*)::int AS n FROM d`,
        [supporterId],
      );
      return n > 0;
    });
  }

  /**
   * Claims connections due for a sync and moves their next sync `intervalMs`
   * ahead, in one statement (SKIP LOCKED): several workers never read the same
   * calendar in the same round, and one that dies leaves it due again later.
   */
  async claimDue(limit: number, intervalMs: number): Promise<string[]> {
    // (wrapped in a SELECT: TypeORM answers a bare UPDATE … RETURNING as [rows, count])
    const rows: { supporter_id: string }[] = await this.ds.query(
      `WITH claimed AS (
         UPDATE calendar_connections c SET next_sync_at = now() + make_interval(secs => $2::double precision / 1000)
          WHERE c.supporter_id IN (SELECT supporter_id FROM calendar_connections WHERE next_sync_at <= now()
                                    ORDER BY next_sync_at LIMIT $1 FOR UPDATE SKIP LOCKED)
          RETURNING c.supporter_id)
       SELECT supporter_id FROM claimed`,
      [limit, intervalMs],
    );
    return rows.map((r) => r.supporter_id);
  }

  /**
   * Replaces the supporter's busy time with what was just read, if the
   * connection read is still the one stored (`credentials` unchanged): a
   * disconnect or a new connection during the read wins. False when it did not apply.
   */
  async replaceBusyBlocks(
    supporterId: string,
    credentials: string,
    blocks: BusyInterval[],
    syncedAt: Date,
  ): Promise<boolean> {
    return inTransaction(this.ds, async (m) => {
      const locked: unknown[] = await m.query(
        `SELECT 1 FROM calendar_connections WHERE supporter_id = $1 AND credentials = $2 FOR UPDATE`,
        [supporterId, credentials],
      );
      if (!locked.length) return false;
      const read = [blocks.map((b) => b.start), blocks.map((b) => b.end), blocks.map((b) => b.sourceUid.slice(0, 500))];
      // Most syncs read what is already stored. Rewriting it would move unavailability_version and make every
      // process read matching's unavailability again (libs/supporters), so then only the sync time is refreshed,
      // which the version's triggers ignore.
      const [{ same }]: { same: boolean }[] = await m.query(
        `WITH fresh AS (SELECT to_timestamp(s / 1000.0) AS starts_at, to_timestamp(e / 1000.0) AS ends_at, u AS source_uid
                          FROM unnest($2::double precision[], $3::double precision[], $4::text[]) AS t(s, e, u)),
              stored AS (SELECT starts_at, ends_at, source_uid FROM calendar_busy_blocks WHERE supporter_id = $1)
         SELECT NOT EXISTS (SELECT * FROM fresh EXCEPT ALL SELECT * FROM stored)
            AND NOT EXISTS (SELECT * FROM stored EXCEPT ALL SELECT * FROM fresh) AS same`,
        [supporterId, ...read],
      );
      if (same) {
        await m.query(`UPDATE calendar_busy_blocks SET synced_at = $2 WHERE supporter_id = $1`, [
          supporterId,
          syncedAt,
        ]);
      } else {
        await m.query(`DELETE FROM calendar_busy_blocks WHERE supporter_id = $1`, [supporterId]);
        if (blocks.length) {
          await m.query(
            `INSERT INTO calendar_busy_blocks (supporter_id, starts_at, ends_at, synced_at, source_uid)
             SELECT $1, to_timestamp(s / 1000.0), to_timestamp(e / 1000.0), $2, u
               FROM unnest($3::double precision[], $4::double precision[], $5::text[]) AS t(s, e, u)`,
            [supporterId, syncedAt, ...read],
          );
        }
      }
      await m.query(
        `UPDATE calendar_connections SET last_sync_at = $2, last_attempt_at = $2, last_error = NULL WHERE supporter_id = $1`,
        [supporterId, syncedAt],
      );
      return true;
    });
  }

  /** A failed read keeps the busy time of the last good one (staff see how old it is) and records why. */
  async recordFailure(supporterId: string, credentials: string, code: string, at: Date): Promise<void> {
    await this.ds.query(
      `UPDATE calendar_connections SET last_attempt_at = $3, last_error = $4 WHERE supporter_id = $1 AND credentials = $2`,
      [supporterId, credentials, at, code],
    );
  }

  /** Busy blocks overlapping [from, to), for the status page and tests. */
  async busyBlocks(supporterId: string, from: Date, to: Date): Promise<{ start: Date; end: Date; syncedAt: Date }[]> {
    const rows: { starts_at: Date; ends_at: Date; synced_at: Date }[] = await this.ds.query(
      `SELECT starts_at, ends_at, synced_at FROM calendar_busy_blocks
        WHERE supporter_id = $1 AND starts_at < $3 AND ends_at > $2 ORDER BY starts_at, ends_at`,
      [supporterId, from, to],
    );
    return rows.map((r) => ({ start: r.starts_at, end: r.ends_at, syncedAt: r.synced_at }));
  }

  // ---- feed tokens ----------------------------------------------------------------------------

  /** Stores a new live token for the supporter; any older one is revoked in the same transaction. */
  async replaceFeedToken(supporterId: string, tokenHash: string): Promise<void> {
    await inTransaction(this.ds, async (m) => {
      await m.query(
        `UPDATE calendar_feed_tokens SET revoked_at = now() WHERE supporter_id = $1 AND revoked_at IS NULL`,
        [supporterId],
      );
      await m.query(`INSERT INTO calendar_feed_tokens (supporter_id, token_hash) VALUES ($1, $2)`, [
        supporterId,
        tokenHash,
      ]);
    });
  }

  async revokeFeedTokens(supporterId: string): Promise<boolean> {
    const [{ n }]: { n: number }[] = await this.ds.query(
      `WITH r AS (UPDATE calendar_feed_tokens SET revoked_at = now() WHERE supporter_id = $1 AND revoked_at IS NULL RETURNING 1)
       SELECT count(*)::int AS n FROM r`,
      [supporterId],
    );
    return n > 0;
  }

  async supporterOfFeedToken(tokenHash: string): Promise<string | null> {
    const rows: { supporter_id: string }[] = await this.ds.query(
      `SELECT supporter_id FROM calendar_feed_tokens WHERE token_hash = $1 AND revoked_at IS NULL`,
      [tokenHash],
    );
    return rows[0]?.supporter_id ?? null;
  }
}
