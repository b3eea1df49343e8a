import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The line's working hours become policy (they were fixed in code): the week in which a web request's call-back
 * promise ("we will call you within N working hours") is counted. The default is what the code assumed.
 */
export class WorkingHours1764142400000 implements MigrationInterface {
  name = 'WorkingHours1764142400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE policies ADD COLUMN working_hours jsonb NOT NULL
                   DEFAULT '{"timeZone": "Europe/London", "weekdays": [1, 2, 3, 4, 5], "start": "09:00", "end": "17:00"}'
                   CONSTRAINT ck_policies_working_hours CHECK (
                     working_hours->>'start' ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'
                     AND working_hours->>'end' ~ '^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$'
                     AND working_hours->>'end' > working_hours->>'start'
                     AND jsonb_typeof(working_hours->'weekdays') = 'array'
                     AND jsonb_array_length(working_hours->'weekdays') BETWEEN 1 AND 7
                     AND length(working_hours->>'timeZone') BETWEEN 1 AND 64)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE policies DROP COLUMN working_hours`);
  }
}
