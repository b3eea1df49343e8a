import { MigrationInterface, QueryRunner } from 'typeorm';

/** Users, supporters with their weekly availability and time off, and the policies row. */
export class Foundation1764140000000 implements MigrationInterface {
  name = 'Foundation1764140000000';

  async up(q: QueryRunner): Promise<void> {
    // Exclusion constraints mixing = and && need btree_gist (bookings rely on it too).
    await q.query(`CREATE EXTENSION IF NOT EXISTS btree_gist`);

    await q.query(`
      CREATE TABLE supporters (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind text NOT NULL CONSTRAINT ck_supporters_kind CHECK (kind IN ('peer', 'counsellor')),
        display_name text NOT NULL CONSTRAINT ck_supporters_display_name CHECK (length(display_name) BETWEEN 1 AND 200),
        email text NOT NULL,
        phone text,
        specialty text,
        gender text,
        languages text[] NOT NULL DEFAULT '{}',
        time_zone text NOT NULL,
        workplaces text[] NOT NULL DEFAULT '{}',
        max_active_cases integer NOT NULL CONSTRAINT ck_supporters_max_active_cases CHECK (max_active_cases >= 1),
        modalities text[] NOT NULL DEFAULT '{phone}'
          CONSTRAINT ck_supporters_modalities CHECK (modalities <@ ARRAY['phone', 'video']::text[] AND cardinality(modalities) >= 1),
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX uq_supporters_email ON supporters (lower(email))`);

    await q.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL,
        password_hash text NOT NULL,
        role text NOT NULL CONSTRAINT ck_users_role CHECK (role IN ('admin', 'intake', 'supporter')),
        supporter_id uuid CONSTRAINT fk_users_supporter REFERENCES supporters (id) ON DELETE RESTRICT,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT ck_users_supporter_link CHECK ((role = 'supporter') = (supporter_id IS NOT NULL))
      )`);
    await q.query(`CREATE UNIQUE INDEX uq_users_email ON users (lower(email))`);
    await q.query(`CREATE UNIQUE INDEX uq_users_supporter ON users (supporter_id) WHERE supporter_id IS NOT NULL`);

    await q.query(`
      CREATE TABLE availability_rules (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        supporter_id uuid NOT NULL CONSTRAINT fk_availability_rules_supporter REFERENCES supporters (id) ON DELETE CASCADE,
        weekday smallint NOT NULL CONSTRAINT ck_availability_rules_weekday CHECK (weekday BETWEEN 1 AND 7),
        start_minute smallint NOT NULL CONSTRAINT ck_availability_rules_start CHECK (start_minute BETWEEN 0 AND 1439),
        end_minute smallint NOT NULL CONSTRAINT ck_availability_rules_end CHECK (end_minute BETWEEN 1 AND 1440),
        CONSTRAINT ck_availability_rules_order CHECK (end_minute > start_minute),
        CONSTRAINT ex_availability_rules_overlap EXCLUDE USING gist (
          supporter_id WITH =, weekday WITH =, int4range(start_minute, end_minute) WITH &&)
      )`);

    await q.query(`
      CREATE TABLE time_off (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        supporter_id uuid NOT NULL CONSTRAINT fk_time_off_supporter REFERENCES supporters (id) ON DELETE CASCADE,
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL,
        reason text CONSTRAINT ck_time_off_reason CHECK (length(reason) <= 500),
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT ck_time_off_order CHECK (ends_at > starts_at)
      )`);
    await q.query(
      `CREATE INDEX ix_time_off_supporter_range ON time_off USING gist (supporter_id, tstzrange(starts_at, ends_at))`,
    );

    const hhmm = `'^([01][0-9]|2[0-3]):[0-5][0-9]$'`;
    await q.query(`
      CREATE TABLE policies (
        id smallint PRIMARY KEY DEFAULT 1 CONSTRAINT ck_policies_singleton CHECK (id = 1),
        sociable_start text NOT NULL DEFAULT '08:00' CONSTRAINT ck_policies_sociable_start CHECK (sociable_start ~ ${hhmm}),
        sociable_end text NOT NULL DEFAULT '20:00' CONSTRAINT ck_policies_sociable_end CHECK (sociable_end ~ ${hhmm} OR sociable_end = '24:00'),
        sociable_weekdays smallint[] NOT NULL DEFAULT '{1,2,3,4,5,6,7}'
          CONSTRAINT ck_policies_sociable_weekdays CHECK (sociable_weekdays <@ ARRAY[1,2,3,4,5,6,7]::smallint[]),
        default_duration_minutes integer NOT NULL DEFAULT 50 CONSTRAINT ck_policies_duration CHECK (default_duration_minutes BETWEEN 5 AND 480),
        buffer_minutes integer NOT NULL DEFAULT 10 CONSTRAINT ck_policies_buffer CHECK (buffer_minutes BETWEEN 0 AND 240),
        minimum_notice_minutes integer NOT NULL DEFAULT 120 CONSTRAINT ck_policies_notice CHECK (minimum_notice_minutes BETWEEN 0 AND 20160),
        booking_horizon_days integer NOT NULL DEFAULT 92 CONSTRAINT ck_policies_horizon CHECK (booking_horizon_days BETWEEN 1 AND 366),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT ck_policies_sociable_order CHECK (sociable_end > sociable_start)
      )`);
    await q.query(`INSERT INTO policies DEFAULT VALUES`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE policies`);
    await q.query(`DROP TABLE time_off`);
    await q.query(`DROP TABLE availability_rules`);
    await q.query(`DROP TABLE users`);
    await q.query(`DROP TABLE supporters`);
  }
}
