import { randomBytes } from 'node:crypto';
import { ConfigError, loadConfig } from '@app/common';

function configError(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.message;
    throw err;
  }
  return 'no error';
}

describe('calendar configuration (CALENDAR_*)', () => {
  it('defaults: no key, no allowed hosts, a sync every 5 minutes', () => {
    expect(loadConfig({}).calendar).toEqual({ encryptionKey: undefined, allowedHosts: [], syncIntervalMs: 300_000 });
  });

  it('reads a 32-byte key, a host list and the interval', () => {
    const key = randomBytes(32);
    const c = loadConfig({
      CALENDAR_ENCRYPTION_KEY: key.toString('base64'),
      CALENDAR_ALLOWED_HOSTS: ' Cal.Internal , 127.0.0.1,[::1]',
      CALENDAR_SYNC_MINUTES: '2',
    }).calendar;
    expect(c.encryptionKey?.equals(key)).toBe(true);
    expect(c.allowedHosts).toEqual(['cal.internal', '127.0.0.1', '::1']);
    expect(c.syncIntervalMs).toBe(120_000);
  });

  it.each([
    [
      { CALENDAR_ENCRYPTION_KEY: randomBytes(16).toString('base64') },
      /^Invalid configuration: CALENDAR_ENCRYPTION_KEY must be 32 random bytes/,
    ],
    [
      { CALENDAR_ENCRYPTION_KEY: 'not base64!' },
      /^Invalid configuration: CALENDAR_ENCRYPTION_KEY must be 32 random bytes in base64/,
    ],
    [
      { CALENDAR_ALLOWED_HOSTS: 'http://cal.example/' },
      /^Invalid configuration: CALENDAR_ALLOWED_HOSTS must be a comma-separated list/,
    ],
    [{ CALENDAR_SYNC_MINUTES: '0' }, /^Invalid configuration: CALENDAR_SYNC_MINUTES/],
    [
      { CALENDAR_SYNC_MINUTES: 'often' },
      /^Invalid configuration: CALENDAR_SYNC_MINUTES must be a whole number of minutes/,
    ],
  ])('refuses %p at boot with one line', (env, message) => {
    const m = configError(env);
    expect(m).toMatch(message);
    expect(m.split('\n')).toHaveLength(1);
  });

  it('never echoes the key', () => {
    const bad = 'c2VjcmV0LXNlY3JldA==';
    expect(configError({ CALENDAR_ENCRYPTION_KEY: bad })).not.toContain(bad);
  });
});
