import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Supporters hear of their own bookings (issue 18): an e-mail with an invite per change, which a supporter may
 * switch off (notify_by_email, on by default). Their messages get kinds of their own, so that staff reading a
 * booking's messages never take the supporter's notice for the caller's confirmation.
 */
export class SupporterNotifications1764142100000 implements MigrationInterface {
  name = 'SupporterNotifications1764142100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE supporters ADD COLUMN notify_by_email boolean NOT NULL DEFAULT true`);
    await q.query(`ALTER TABLE outbox_messages DROP CONSTRAINT ck_outbox_messages_kind`);
    await q.query(`ALTER TABLE outbox_messages ADD CONSTRAINT ck_outbox_messages_kind
                   CHECK (kind IN ('confirmation', 'reschedule', 'cancellation', 'reminder', 'acknowledgement', 'feedback',
                                   'supporter_confirmation', 'supporter_reschedule', 'supporter_cancellation'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM outbox_messages WHERE kind LIKE 'supporter\\_%'`);
    await q.query(`ALTER TABLE outbox_messages DROP CONSTRAINT ck_outbox_messages_kind`);
    await q.query(`ALTER TABLE outbox_messages ADD CONSTRAINT ck_outbox_messages_kind
                   CHECK (kind IN ('confirmation', 'reschedule', 'cancellation', 'reminder', 'acknowledgement', 'feedback'))`);
    await q.query(`ALTER TABLE supporters DROP COLUMN notify_by_email`);
  }
}
