import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every interval in which a supporter cannot be booked besides its bookings:
 * time off (libs/supporters) and the busy time read from its own calendar
 * (libs/calendars). Slots, matching and booking read this one view where they
 * read time off, so a new kind of unavailability is added here, once.
 * A UNION ALL view: PostgreSQL pushes the supporter and range conditions into
 * both tables and uses their indexes.
 */
export class SupporterUnavailability1764140950000 implements MigrationInterface {
  name = 'SupporterUnavailability1764140950000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE VIEW supporter_unavailability AS
        SELECT supporter_id, starts_at, ends_at, 'time_off'::text AS source FROM time_off
        UNION ALL
        SELECT supporter_id, starts_at, ends_at, 'calendar'::text AS source FROM calendar_busy_blocks`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP VIEW supporter_unavailability`);
  }
}
