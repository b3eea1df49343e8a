import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The counters of every rate limit, shared by all API processes
 * (rate-limiter-flexible's RateLimiterPostgres, told `tableCreated: true`).
 * The library writes `INSERT INTO rate_limits VALUES (key, points, expire)`,
 * so the three columns keep this order and nothing else is added.
 * `key` is a limit's name and a SHA-256 digest (never an address or e-mail in
 * clear); `expire` is epoch milliseconds. Rows an hour past their expiry are
 * deleted every five minutes (RateLimits in libs/database).
 */
export class RateLimits1764140750000 implements MigrationInterface {
  name = 'RateLimits1764140750000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE rate_limits (
        key varchar(255) NOT NULL,
        points integer NOT NULL DEFAULT 0,
        expire bigint,
        CONSTRAINT pk_rate_limits PRIMARY KEY (key)
      )`);
    await q.query(`CREATE INDEX ix_rate_limits_expire ON rate_limits (expire)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ix_rate_limits_expire`);
    await q.query(`DROP TABLE rate_limits`);
  }
}
