import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The line's working hours become policy (they were fixed in code): the week in which a web request's call-back
 * promise ("we will call you within N working hours") is counted. The default is what the code assumed.
 */
export class WorkingHours1764142400000 implements MigrationInterface {
  name = 'WorkingHours1764142400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE policies ADD COLUMN working_hours jsonb NOT NULL
                   DEFAULT '{"timeZone": "Europe/London", "weekdays": [1, 2, 3, 4, 5], "start": "09:00", "end": "17:00"}'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE policies DROP COLUMN working_hours`);
  }
}
