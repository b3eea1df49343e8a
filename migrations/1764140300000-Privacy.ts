import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit trail (append-only, enforced by trigger), safeguarding escalations,
 * anonymous feedback, web self-referral references and the call-back promise.
 */
export class Privacy1764140300000 implements MigrationInterface {
  name = 'Privacy1764140300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_events (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT clock_timestamp(),
        user_id uuid,
        role text,
        action text NOT NULL,
        caller_id uuid,
        request_id text,
        details jsonb NOT NULL DEFAULT '{}'
      )`);
    await q.query(`CREATE INDEX ix_audit_events_caller ON audit_events (caller_id, id DESC)`);
    await q.query(`CREATE INDEX ix_audit_events_user ON audit_events (user_id, id DESC)`);
    await q.query(`CREATE INDEX ix_audit_events_at ON audit_events (at DESC, id DESC)`);
    await q.query(`
      CREATE FUNCTION fn_audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_events is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    // Row triggers refuse UPDATE and DELETE (even for the table owner); a statement trigger refuses TRUNCATE.
    await q.query(`CREATE TRIGGER tr_audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
                   FOR EACH ROW EXECUTE FUNCTION fn_audit_events_append_only()`);
    await q.query(`CREATE TRIGGER tr_audit_events_no_truncate BEFORE TRUNCATE ON audit_events
                   FOR EACH STATEMENT EXECUTE FUNCTION fn_audit_events_append_only()`);

    await q.query(`
      CREATE TABLE escalations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        intake_id uuid NOT NULL CONSTRAINT fk_escalations_intake REFERENCES intakes (id),
        caller_id uuid NOT NULL CONSTRAINT fk_escalations_caller REFERENCES callers (id),
        kind text NOT NULL CONSTRAINT ck_escalations_kind CHECK (kind IN ('risk_to_patients', 'risk_to_self')),
        summary text NOT NULL CONSTRAINT ck_escalations_summary CHECK (length(summary) BETWEEN 1 AND 4000),
        action_taken text NOT NULL CONSTRAINT ck_escalations_action CHECK (length(action_taken) BETWEEN 1 AND 4000),
        created_by uuid NOT NULL CONSTRAINT fk_escalations_created_by REFERENCES users (id),
        created_by_role text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX ix_escalations_created ON escalations (created_at DESC)`);

    // One-use invitations and answers, deliberately unlinked: an answer carries only service and month.
    await q.query(`
      CREATE TABLE feedback_invitations (
        token_hash text PRIMARY KEY,
        service text NOT NULL CONSTRAINT ck_feedback_invitations_service CHECK (service IN ('peer_support', 'counselling')),
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        used_at timestamptz
      )`);
    await q.query(`
      CREATE TABLE feedback_responses (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        service text NOT NULL CONSTRAINT ck_feedback_responses_service CHECK (service IN ('peer_support', 'counselling')),
        month date NOT NULL,
        helpful smallint NOT NULL CONSTRAINT ck_feedback_responses_helpful CHECK (helpful BETWEEN 1 AND 5),
        would_recommend boolean NOT NULL,
        comment text CONSTRAINT ck_feedback_responses_comment CHECK (length(comment) <= 2000)
      )`);
    await q.query(`CREATE INDEX ix_feedback_responses_month ON feedback_responses (month, service)`);

    await q.query(`ALTER TABLE intakes ADD COLUMN reference text`);
    await q.query(`ALTER TABLE intakes ADD CONSTRAINT uq_intakes_reference UNIQUE (reference)`);
    await q.query(`ALTER TABLE policies ADD COLUMN callback_working_hours integer NOT NULL DEFAULT 24
                   CONSTRAINT ck_policies_callback_hours CHECK (callback_working_hours BETWEEN 1 AND 168)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE policies DROP COLUMN callback_working_hours`);
    await q.query(`ALTER TABLE intakes DROP CONSTRAINT uq_intakes_reference`);
    await q.query(`ALTER TABLE intakes DROP COLUMN reference`);
    await q.query(`DROP TABLE feedback_responses`);
    await q.query(`DROP TABLE feedback_invitations`);
    await q.query(`DROP TABLE escalations`);
    await q.query(`DROP TRIGGER tr_audit_events_no_truncate ON audit_events`);
    await q.query(`DROP TRIGGER tr_audit_events_append_only ON audit_events`);
    await q.query(`DROP TABLE audit_events`);
    await q.query(`DROP FUNCTION fn_audit_events_append_only()`);
  }
}
