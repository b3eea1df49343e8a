import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The transactional outbox (messages to callers, written with the booking
 * change they announce and delivered by a worker) and the hashed manage
 * token of each booking (the caller's self-service link).
 */
export class Outbox1764140200000 implements MigrationInterface {
  name = 'Outbox1764140200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE outbox_messages (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        -- acknowledgements and feedback requests have no booking
        booking_id uuid CONSTRAINT fk_outbox_messages_booking REFERENCES bookings (id),
        intake_id uuid CONSTRAINT fk_outbox_messages_intake REFERENCES intakes (id),
        caller_id uuid CONSTRAINT fk_outbox_messages_caller REFERENCES callers (id),
        channel text NOT NULL CONSTRAINT ck_outbox_messages_channel CHECK (channel IN ('email', 'sms')),
        kind text NOT NULL CONSTRAINT ck_outbox_messages_kind
          CHECK (kind IN ('confirmation', 'reschedule', 'cancellation', 'reminder', 'acknowledgement', 'feedback')),
        recipient text NOT NULL,
        subject text,
        body_text text NOT NULL,
        body_html text,
        ics text,
        -- GOV.UK Notify template fields (SMS)
        personalisation jsonb,
        status text NOT NULL DEFAULT 'pending'
          CONSTRAINT ck_outbox_messages_status CHECK (status IN ('pending', 'sent', 'failed', 'cancelled')),
        attempts integer NOT NULL DEFAULT 0 CONSTRAINT ck_outbox_messages_attempts CHECK (attempts >= 0),
        due_at timestamptz NOT NULL DEFAULT now(),
        -- a claim: no other worker takes the message before then; a worker that dies leaves it to be retried after
        locked_until timestamptz,
        -- never the recipient or the body
        last_error text CONSTRAINT ck_outbox_messages_last_error CHECK (length(last_error) <= 500),
        sent_at timestamptz,
        -- stable per row, so a message delivered twice (at-least-once) is recognisable
        message_id text NOT NULL CONSTRAINT uq_outbox_messages_message_id UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT ck_outbox_messages_sent_at CHECK (status <> 'sent' OR sent_at IS NOT NULL),
        CONSTRAINT ck_outbox_messages_email_subject CHECK (channel <> 'email' OR subject IS NOT NULL)
      )`);
    // The claim query: due pending messages, oldest first.
    await q.query(`CREATE INDEX ix_outbox_messages_due ON outbox_messages (due_at) WHERE status = 'pending'`);
    await q.query(
      `CREATE INDEX ix_outbox_messages_booking ON outbox_messages (booking_id, created_at) WHERE booking_id IS NOT NULL`,
    );
    await q.query(
      `CREATE INDEX ix_outbox_messages_intake ON outbox_messages (intake_id, created_at) WHERE intake_id IS NOT NULL`,
    );
    await q.query(`CREATE INDEX ix_outbox_messages_caller ON outbox_messages (caller_id) WHERE caller_id IS NOT NULL`);

    // SHA-256 (hex) of the booking's current manage token; the token itself is never stored.
    await q.query(`ALTER TABLE bookings ADD COLUMN manage_token_hash text`);
    await q.query(
      `CREATE UNIQUE INDEX uq_bookings_manage_token ON bookings (manage_token_hash) WHERE manage_token_hash IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX uq_bookings_manage_token`);
    await q.query(`ALTER TABLE bookings DROP COLUMN manage_token_hash`);
    await q.query(`DROP TABLE outbox_messages`);
  }
}
