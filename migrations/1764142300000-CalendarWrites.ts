import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Bookings written into the supporter's connected CalDAV calendar (issue 18 item 3, write side). One row per
 * booking and supporter: the event's href and ETag, and whether the calendar still has to be brought in line with the
 * booking (`due_at` set). The rows are marked by a trigger on bookings, in the booking's own transaction: no use case
 * (create, reschedule, reassign, cancel, undo, an intake ending) can forget it, and libs/booking need not import
 * libs/calendars (which already reads bookings: the import would be a cycle). Not the outbox: a calendar write is
 * not a message (no recipient, no body rendered at enqueue time; the worker writes the booking's state at write
 * time, so three quick changes make one write), and it must remember the href and ETag between writes.
 */
export class CalendarWrites1764142300000 implements MigrationInterface {
  name = 'CalendarWrites1764142300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE calendar_writes (
        booking_id uuid NOT NULL CONSTRAINT fk_calendar_writes_booking REFERENCES bookings (id) ON DELETE CASCADE,
        supporter_id uuid NOT NULL CONSTRAINT fk_calendar_writes_supporter REFERENCES supporters (id) ON DELETE CASCADE,
        href text,
        etag text,
        due_at timestamptz,
        claim uuid,
        attempts integer NOT NULL DEFAULT 0,
        last_error text,
        last_attempt_at timestamptz,
        written_at timestamptz,
        CONSTRAINT pk_calendar_writes PRIMARY KEY (booking_id, supporter_id)
      )`);
    await q.query(`CREATE INDEX ix_calendar_writes_due ON calendar_writes (due_at) WHERE due_at IS NOT NULL`);
    await q.query(`CREATE INDEX ix_calendar_writes_supporter ON calendar_writes (supporter_id)`);
    await q.query(`CREATE FUNCTION calendar_writes_mark() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO calendar_writes (booking_id, supporter_id, due_at) VALUES (NEW.id, NEW.supporter_id, now())
          ON CONFLICT (booking_id, supporter_id) DO UPDATE SET due_at = now(), attempts = 0, claim = NULL;
        IF TG_OP = 'UPDATE' AND OLD.supporter_id IS DISTINCT FROM NEW.supporter_id THEN
          INSERT INTO calendar_writes (booking_id, supporter_id, due_at) VALUES (NEW.id, OLD.supporter_id, now())
            ON CONFLICT (booking_id, supporter_id) DO UPDATE SET due_at = now(), attempts = 0, claim = NULL;
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER tr_bookings_calendar_writes_insert AFTER INSERT ON bookings
                   FOR EACH ROW EXECUTE FUNCTION calendar_writes_mark()`);
    await q.query(`CREATE TRIGGER tr_bookings_calendar_writes_update
                   AFTER UPDATE OF starts_at, ends_at, status, supporter_id, modality, video_room ON bookings
                   FOR EACH ROW EXECUTE FUNCTION calendar_writes_mark()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER tr_bookings_calendar_writes_update ON bookings`);
    await q.query(`DROP TRIGGER tr_bookings_calendar_writes_insert ON bookings`);
    await q.query(`DROP FUNCTION calendar_writes_mark()`);
    await q.query(`DROP TABLE calendar_writes`);
  }
}
