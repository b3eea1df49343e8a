import { resolve } from 'node:path';
import { ConfigError, loadConfig } from './config';

/** The error loadConfig throws for `env`, or fails the test. */
function configError(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe('loadConfig', () => {
  describe('defaults (contract "Environment")', () => {
    it('with an empty environment', () => {
      const c = loadConfig({});
      expect(c.port).toBe(3000);
      expect(c.databaseUrl).toBeUndefined();
      expect(c.dataDir).toBe(resolve('./.data'));
      expect(c.bootstrapAdmin).toBeUndefined();
      expect(c.smtpUrl).toBeUndefined();
      expect(c.mailFrom).toBe('Peer Support <no-reply@localhost>');
      expect(c.notifyApiKey).toBeUndefined();
      expect(c.notifyTemplates).toEqual({});
      expect(c.demoSeed).toBe(true);
      expect(c.jwtSecret).toBeUndefined();
      expect(c.publicUrl).toBe('http://localhost:3000');
      expect(c.worker).toBe(true);
      expect(c.dbPoolMax).toBe(20);
    });

    it('DB_POOL_MAX sets the connections per process', () => {
      expect(loadConfig({ DB_POOL_MAX: '5' }).dbPoolMax).toBe(5);
    });

    it('timeouts, grace and give-up: defaults, and each variable sets its own', () => {
      const d = loadConfig({});
      expect(d.dbTimeouts).toEqual({ statementTimeoutMs: 5000, lockTimeoutMs: 3000, poolTimeoutMs: 5000 });
      expect(d.dbBackgroundTimeouts).toEqual({
        statementTimeoutMs: 60_000,
        lockTimeoutMs: 10_000,
        poolTimeoutMs: 5000,
      });
      expect(d.shutdownGraceSeconds).toBe(10);
      expect(d.outboxGiveUpAfterMs).toBe(48 * 3_600_000);
      const c = loadConfig({
        DB_STATEMENT_TIMEOUT_MS: '2000',
        DB_LOCK_TIMEOUT_MS: '1000',
        DB_POOL_TIMEOUT_MS: '700',
        DB_BACKGROUND_STATEMENT_TIMEOUT_MS: '90000',
        DB_BACKGROUND_LOCK_TIMEOUT_MS: '20000',
        SHUTDOWN_GRACE_SECONDS: '0',
        OUTBOX_GIVE_UP_AFTER: '30m',
      });
      expect(c.dbTimeouts).toEqual({ statementTimeoutMs: 2000, lockTimeoutMs: 1000, poolTimeoutMs: 700 });
      expect(c.dbBackgroundTimeouts).toEqual({ statementTimeoutMs: 90_000, lockTimeoutMs: 20_000, poolTimeoutMs: 700 });
      expect(c.shutdownGraceSeconds).toBe(0);
      expect(c.outboxGiveUpAfterMs).toBe(30 * 60_000);
      expect(loadConfig({ OUTBOX_GIVE_UP_AFTER: '2d' }).outboxGiveUpAfterMs).toBe(2 * 86_400_000);
      expect(loadConfig({ OUTBOX_GIVE_UP_AFTER: '1s' }).outboxGiveUpAfterMs).toBe(1000);
    });

    it('CONFIRMATION_GRACE_SECONDS: 60 by default, 0 (no grace) to 3600', () => {
      expect(loadConfig({}).confirmationGraceSeconds).toBe(60);
      expect(loadConfig({ CONFIRMATION_GRACE_SECONDS: '0' }).confirmationGraceSeconds).toBe(0);
      expect(loadConfig({ CONFIRMATION_GRACE_SECONDS: '3600' }).confirmationGraceSeconds).toBe(3600);
    });

    it('DEMO_SEED defaults to false when DATABASE_URL is set', () => {
      const c = loadConfig({ DATABASE_URL: 'postgres://app:pw@db.example:5432/support' });
      expect(c.databaseUrl).toBe('postgres://app:pw@db.example:5432/support');
      expect(c.demoSeed).toBe(false);
    });

    it('PUBLIC_URL defaults to http://localhost:<PORT>', () => {
      const c = loadConfig({ PORT: '8080' });
      expect(c.port).toBe(8080);
      expect(c.publicUrl).toBe('http://localhost:8080');
    });

    it('empty strings count as unset', () => {
      const c = loadConfig({ PORT: '', DATABASE_URL: '', SMTP_URL: '', DEMO_SEED: '', WORKER: '' });
      expect(c.port).toBe(3000);
      expect(c.databaseUrl).toBeUndefined();
      expect(c.smtpUrl).toBeUndefined();
      expect(c.demoSeed).toBe(true);
      expect(c.worker).toBe(true);
    });
  });

  describe('values that are set', () => {
    it('reads every variable', () => {
      const c = loadConfig({
        PORT: '4000',
        DATABASE_URL: 'postgresql://u@localhost/db',
        DATA_DIR: '/var/lib/support',
        BOOTSTRAP_ADMIN_EMAIL: 'admin@example.org',
        BOOTSTRAP_ADMIN_PASSWORD: 'a long enough passphrase',
        SMTP_URL: 'smtp://mail.example:2525',
        MAIL_FROM: 'Line <line@example.org>',
        NOTIFY_API_KEY: 'key-123',
        NOTIFY_TEMPLATE_CONFIRMATION: 'tmpl-1',
        DEMO_SEED: 'true',
        JWT_SECRET: 'x'.repeat(40),
        PUBLIC_URL: 'https://support.example/',
        WORKER: 'off',
      });
      expect(c).toEqual(
        expect.objectContaining({
          port: 4000,
          databaseUrl: 'postgresql://u@localhost/db',
          dataDir: '/var/lib/support',
          bootstrapAdmin: { email: 'admin@example.org', password: 'a long enough passphrase' },
          smtpUrl: 'smtp://mail.example:2525',
          mailFrom: 'Line <line@example.org>',
          notifyApiKey: 'key-123',
          demoSeed: true,
          jwtSecret: 'x'.repeat(40),
          publicUrl: 'https://support.example',
          worker: false,
        }),
      );
      expect(c.notifyTemplates.confirmation).toBe('tmpl-1');
    });

    it.each([
      ['on', true],
      ['off', false],
      ['true', true],
      ['false', false],
    ])('WORKER=%s → %p', (value, expected) => {
      expect(loadConfig({ WORKER: value }).worker).toBe(expected);
    });
  });

  describe('bad values: a ConfigError with one readable line naming the variable', () => {
    it.each([
      ['PORT', { PORT: 'abc' }],
      ['PORT', { PORT: '0' }],
      ['PORT', { PORT: '70000' }],
      ['PORT', { PORT: '80.5' }],
      ['DATABASE_URL', { DATABASE_URL: 'not a url' }],
      ['DATABASE_URL', { DATABASE_URL: 'mysql://u:p@host:3306/db' }],
      ['DATABASE_URL', { DATABASE_URL: 'postgres://host-without-database' }],
      ['DATABASE_URL', { DATABASE_URL: 'localhost:5432/db' }],
      [
        'BOOTSTRAP_ADMIN_EMAIL',
        { BOOTSTRAP_ADMIN_EMAIL: 'not-an-email', BOOTSTRAP_ADMIN_PASSWORD: 'a long enough passphrase' },
      ],
      ['BOOTSTRAP_ADMIN_PASSWORD', { BOOTSTRAP_ADMIN_EMAIL: 'admin@example.org', BOOTSTRAP_ADMIN_PASSWORD: 'short' }],
      ['BOOTSTRAP_ADMIN_PASSWORD', { BOOTSTRAP_ADMIN_EMAIL: 'admin@example.org' }],
      ['SMTP_URL', { SMTP_URL: 'mail.example:25' }],
      ['DEMO_SEED', { DEMO_SEED: 'maybe' }],
      ['JWT_SECRET', { JWT_SECRET: 'too-short' }],
      ['PUBLIC_URL', { PUBLIC_URL: 'support.example' }],
      ['WORKER', { WORKER: 'sometimes' }],
      ['DB_POOL_MAX', { DB_POOL_MAX: '0' }],
      ['DB_POOL_MAX', { DB_POOL_MAX: 'many' }],
      ['DB_POOL_MAX', { DB_POOL_MAX: '501' }],
      ['DB_STATEMENT_TIMEOUT_MS', { DB_STATEMENT_TIMEOUT_MS: '5s' }],
      ['DB_STATEMENT_TIMEOUT_MS', { DB_STATEMENT_TIMEOUT_MS: '99' }],
      ['DB_LOCK_TIMEOUT_MS', { DB_LOCK_TIMEOUT_MS: '-1' }],
      ['DB_POOL_TIMEOUT_MS', { DB_POOL_TIMEOUT_MS: '600001' }],
      ['DB_BACKGROUND_STATEMENT_TIMEOUT_MS', { DB_BACKGROUND_STATEMENT_TIMEOUT_MS: 'long' }],
      ['SHUTDOWN_GRACE_SECONDS', { SHUTDOWN_GRACE_SECONDS: '601' }],
      ['SHUTDOWN_GRACE_SECONDS', { SHUTDOWN_GRACE_SECONDS: '1.5' }],
      ['OUTBOX_GIVE_UP_AFTER', { OUTBOX_GIVE_UP_AFTER: '48' }],
      ['OUTBOX_GIVE_UP_AFTER', { OUTBOX_GIVE_UP_AFTER: 'two days' }],
      ['OUTBOX_GIVE_UP_AFTER', { OUTBOX_GIVE_UP_AFTER: '500ms' }],
      ['OUTBOX_GIVE_UP_AFTER', { OUTBOX_GIVE_UP_AFTER: '-1h' }],
      ['CONFIRMATION_GRACE_SECONDS', { CONFIRMATION_GRACE_SECONDS: '60s' }],
      ['CONFIRMATION_GRACE_SECONDS', { CONFIRMATION_GRACE_SECONDS: '-1' }],
      ['CONFIRMATION_GRACE_SECONDS', { CONFIRMATION_GRACE_SECONDS: '3601' }],
    ])('%s in %p', (variable, env) => {
      const err = configError(env);
      expect(err.message).toContain(variable);
      expect(err.message.split('\n')).toHaveLength(1);
      expect(err.message.length).toBeLessThan(300);
    });

    it('PORT=abc names PORT and the value it got', () => {
      const err = configError({ PORT: 'abc' });
      expect(err.message).toMatch(/^[^\n]*PORT[^\n]*$/);
      expect(err.message).toContain('abc');
    });

    it('a malformed DATABASE_URL is named without echoing it (it may hold a password)', () => {
      const err = configError({ DATABASE_URL: 'mysql://admin:hunter2-secret@db:3306/x' });
      expect(err.message).toContain('DATABASE_URL');
      expect(err.message).not.toContain('hunter2-secret');
      expect(err.message.split('\n')).toHaveLength(1);
    });

    it('secrets are never echoed', () => {
      expect(configError({ JWT_SECRET: 'short-secret' }).message).not.toContain('short-secret');
      const pw = configError({ BOOTSTRAP_ADMIN_EMAIL: 'a@example.org', BOOTSTRAP_ADMIN_PASSWORD: 'tiny-pw' });
      expect(pw.message).not.toContain('tiny-pw');
    });

    it('ConfigError is an Error', () => {
      expect(configError({ PORT: 'abc' })).toBeInstanceOf(Error);
    });
  });
});
