import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Delivery through a long mail outage (issue 15):
 * - `expires_at`: a message about a session is not sent from the session's
 *   start on; such a message ends `expired` (new status) instead of late.
 *   Filled for the pending booking messages already written.
 * - `resent_at`: an admin's resend of a failed or expired message; retrying
 *   gives up OUTBOX_GIVE_UP_AFTER after it (or after `created_at`).
 * - a failed message keeps its links (the settled-links trigger now cuts them
 *   only from sent and cancelled ones, and expired ones), so that a resend
 *   still works; erasure removes the words of every message in any case.
 */
export class OutboxGiveUp1764140850000 implements MigrationInterface {
  name = 'OutboxGiveUp1764140850000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox_messages DROP CONSTRAINT ck_outbox_messages_status`);
    await q.query(
      `ALTER TABLE outbox_messages ADD CONSTRAINT ck_outbox_messages_status CHECK (status IN ('pending', 'sent', 'failed', 'cancelled', 'expired'))`,
    );
    await q.query(`ALTER TABLE outbox_messages ADD COLUMN expires_at timestamptz, ADD COLUMN resent_at timestamptz`);
    await q.query(`
      UPDATE outbox_messages o SET expires_at = b.starts_at
        FROM bookings b
       WHERE b.id = o.booking_id AND o.status = 'pending' AND o.kind IN ('confirmation', 'reschedule', 'cancellation', 'reminder')`);
    await q.query(`DROP TRIGGER tr_outbox_messages_settled_links ON outbox_messages`);
    await q.query(`
      CREATE TRIGGER tr_outbox_messages_settled_links BEFORE UPDATE OF status ON outbox_messages
        FOR EACH ROW WHEN (OLD.status IN ('pending', 'failed') AND NEW.status IN ('sent', 'cancelled', 'expired'))
        EXECUTE FUNCTION fn_outbox_messages_settled_links()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER tr_outbox_messages_settled_links ON outbox_messages`);
    // what the earlier migration settled on: every status but pending cuts the links
    await q.query(`UPDATE outbox_messages SET status = 'failed' WHERE status = 'expired'`);
    await q.query(`
      CREATE TRIGGER tr_outbox_messages_settled_links BEFORE UPDATE OF status ON outbox_messages
        FOR EACH ROW WHEN (OLD.status = 'pending' AND NEW.status <> 'pending')
        EXECUTE FUNCTION fn_outbox_messages_settled_links()`);
    await q.query(`ALTER TABLE outbox_messages DROP COLUMN resent_at, DROP COLUMN expires_at`);
    await q.query(`ALTER TABLE outbox_messages DROP CONSTRAINT ck_outbox_messages_status`);
    await q.query(
      `ALTER TABLE outbox_messages ADD CONSTRAINT ck_outbox_messages_status CHECK (status IN ('pending', 'sent', 'failed', 'cancelled'))`,
    );
  }
}
