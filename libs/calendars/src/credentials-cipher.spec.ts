import { randomBytes } from 'node:crypto';
import { CredentialsCipher } from './credentials-cipher';

describe('CredentialsCipher', () => {
  // long enough that a random base64 string cannot hold one by chance (a 2-letter name did, 1 run in ~50)
  const creds = {
    url: 'https://cal.example/dav/jo.bloggs/rota/',
    username: 'jo.bloggs@cal.example',
    password: 'app-password-123',
  };
  const key = randomBytes(32);

  it('seals without the secret in clear, and opens back', () => {
    const c = new CredentialsCipher(key);
    const sealed = c.seal(creds, 'supporter-1');
    expect(sealed).toMatch(/^v1\./);
    for (const secret of [creds.password, creds.username, 'cal.example']) {
      expect(sealed).not.toContain(secret);
      expect(Buffer.from(sealed.slice(3), 'base64').toString('latin1')).not.toContain(secret);
    }
    expect(c.open(sealed, 'supporter-1')).toEqual(creds);
  });

  it('a fresh nonce each time: the same credentials seal differently', () => {
    const c = new CredentialsCipher(key);
    expect(c.seal(creds, 's')).not.toBe(c.seal(creds, 's'));
  });

  it('does not open with another key, for another supporter, or once altered', () => {
    const sealed = new CredentialsCipher(key).seal(creds, 'supporter-1');
    expect(() => new CredentialsCipher(randomBytes(32)).open(sealed, 'supporter-1')).toThrow();
    expect(() => new CredentialsCipher(key).open(sealed, 'supporter-2')).toThrow();
    const raw = Buffer.from(sealed.slice(3), 'base64');
    raw[raw.length - 1] ^= 1;
    expect(() => new CredentialsCipher(key).open(`v1.${raw.toString('base64')}`, 'supporter-1')).toThrow();
  });

  it('refuses a key that is not 32 bytes', () => {
    expect(() => new CredentialsCipher(randomBytes(16))).toThrow();
  });
});
