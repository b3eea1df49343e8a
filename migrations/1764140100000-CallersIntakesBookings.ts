import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Callers, intakes (with assignment), bookings with the two overlap guarantees,
 * booking history and idempotency keys.
 */
export class CallersIntakesBookings1764140100000 implements MigrationInterface {
  name = 'CallersIntakesBookings1764140100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE callers (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text,
        phone text CONSTRAINT ck_callers_phone_e164 CHECK (phone ~ '^\\+[1-9][0-9]{6,15}$'),
        email text,
        role text NOT NULL CONSTRAINT ck_callers_role CHECK (role IN ('doctor', 'medical_student')),
        specialty text,
        workplace text,
        time_zone text NOT NULL DEFAULT 'Europe/London',
        gender text,
        ethnicity text,
        age smallint CONSTRAINT ck_callers_age CHECK (age BETWEEN 16 AND 120),
        language text,
        last_contact_at timestamptz NOT NULL DEFAULT now(),
        erased_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT ck_callers_identity CHECK (erased_at IS NOT NULL OR (name IS NOT NULL AND phone IS NOT NULL))
      )`);
    // One caller per phone number and per e-mail: how a returning caller is recognised.
    await q.query(`CREATE UNIQUE INDEX uq_callers_phone ON callers (phone) WHERE phone IS NOT NULL`);
    await q.query(`CREATE UNIQUE INDEX uq_callers_email ON callers (lower(email)) WHERE email IS NOT NULL`);
    await q.query(`CREATE INDEX ix_callers_last_contact ON callers (last_contact_at) WHERE erased_at IS NULL`);

    await q.query(`
      CREATE TABLE intakes (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        caller_id uuid NOT NULL CONSTRAINT fk_intakes_caller REFERENCES callers (id),
        service text NOT NULL CONSTRAINT ck_intakes_service CHECK (service IN ('peer_support', 'counselling')),
        channel text NOT NULL DEFAULT 'phone' CONSTRAINT ck_intakes_channel CHECK (channel IN ('phone', 'web')),
        status text NOT NULL CONSTRAINT ck_intakes_status CHECK (status IN ('open', 'assigned', 'booked', 'closed', 'signposted', 'withdrawn')),
        supporter_id uuid CONSTRAINT fk_intakes_supporter REFERENCES supporters (id),
        preferences jsonb NOT NULL DEFAULT '{}',
        immediate_danger boolean NOT NULL,
        gmc_investigation boolean NOT NULL DEFAULT false,
        consented_at timestamptz NOT NULL,
        preferred_times text CONSTRAINT ck_intakes_preferred_times CHECK (length(preferred_times) <= 500),
        message text CONSTRAINT ck_intakes_message CHECK (length(message) <= 2000),
        created_by uuid CONSTRAINT fk_intakes_created_by REFERENCES users (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        ended_at timestamptz,
        CONSTRAINT ck_intakes_assigned_has_supporter CHECK (status NOT IN ('assigned', 'booked') OR supporter_id IS NOT NULL),
        CONSTRAINT ck_intakes_danger_signposted CHECK (NOT immediate_danger OR status = 'signposted')
      )`);
    await q.query(`CREATE INDEX ix_intakes_queue ON intakes (created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX ix_intakes_caller ON intakes (caller_id)`);
    await q.query(
      `CREATE INDEX ix_intakes_active_cases ON intakes (supporter_id) WHERE status IN ('assigned', 'booked')`,
    );

    await q.query(`
      CREATE TABLE bookings (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        reference text NOT NULL CONSTRAINT uq_bookings_reference UNIQUE,
        intake_id uuid NOT NULL CONSTRAINT fk_bookings_intake REFERENCES intakes (id),
        supporter_id uuid NOT NULL CONSTRAINT fk_bookings_supporter REFERENCES supporters (id),
        caller_id uuid NOT NULL CONSTRAINT fk_bookings_caller REFERENCES callers (id),
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL,
        -- ends_at plus the policy buffer at booking time: the supporter's time is blocked until then
        blocked_until timestamptz NOT NULL,
        modality text NOT NULL CONSTRAINT ck_bookings_modality CHECK (modality IN ('phone', 'video')),
        status text NOT NULL CONSTRAINT ck_bookings_status CHECK (status IN ('confirmed', 'cancelled', 'completed', 'no_show')),
        sequence integer NOT NULL DEFAULT 0,
        series_id uuid,
        created_by uuid CONSTRAINT fk_bookings_created_by REFERENCES users (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT ck_bookings_order CHECK (ends_at > starts_at),
        CONSTRAINT ck_bookings_blocked_until CHECK (blocked_until >= ends_at),
        CONSTRAINT ck_bookings_reference CHECK (reference ~ '^PS-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{2}$'),
        CONSTRAINT ex_bookings_supporter_overlap EXCLUDE USING gist (
          supporter_id WITH =, tstzrange(starts_at, blocked_until) WITH &&) WHERE (status = 'confirmed'),
        CONSTRAINT ex_bookings_caller_overlap EXCLUDE USING gist (
          caller_id WITH =, tstzrange(starts_at, ends_at) WITH &&) WHERE (status = 'confirmed')
      )`);
    await q.query(`CREATE INDEX ix_bookings_intake ON bookings (intake_id)`);
    await q.query(`CREATE INDEX ix_bookings_caller ON bookings (caller_id, starts_at)`);
    await q.query(`CREATE INDEX ix_bookings_supporter_start ON bookings (supporter_id, starts_at)`);

    await q.query(`
      CREATE TABLE booking_events (
        id bigserial PRIMARY KEY,
        booking_id uuid NOT NULL CONSTRAINT fk_booking_events_booking REFERENCES bookings (id),
        kind text NOT NULL CONSTRAINT ck_booking_events_kind CHECK (kind IN ('created', 'rescheduled', 'cancelled', 'completed', 'no_show')),
        actor_user_id uuid,
        actor_role text,
        reason text CONSTRAINT ck_booking_events_reason CHECK (length(reason) <= 500),
        previous_start timestamptz,
        new_start timestamptz,
        at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX ix_booking_events_booking ON booking_events (booking_id, at)`);

    await q.query(`
      CREATE TABLE idempotency_keys (
        user_id uuid NOT NULL,
        key text NOT NULL CONSTRAINT ck_idempotency_keys_key CHECK (length(key) BETWEEN 1 AND 255),
        request_hash text NOT NULL,
        response_status integer,
        response_body jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_idempotency_keys PRIMARY KEY (user_id, key)
      )`);
    await q.query(`CREATE INDEX ix_idempotency_keys_created ON idempotency_keys (created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE idempotency_keys`);
    await q.query(`DROP TABLE booking_events`);
    await q.query(`DROP TABLE bookings`);
    await q.query(`DROP TABLE intakes`);
    await q.query(`DROP TABLE callers`);
  }
}
