import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** What a supporter gives to connect a CalDAV calendar; stored only encrypted. */
export interface CalDavCredentials {
  url: string;
  username: string;
  password: string;
}

const VERSION = 'v1';

/**
 * AES-256-GCM with a fresh 12-byte nonce per write. The supporter's id is
 * the associated data, so a ciphertext copied onto another supporter's row
 * does not decrypt. Stored as `v1.<base64 nonce|tag|ciphertext>`.
 */
export class CredentialsCipher {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('CredentialsCipher needs a 32-byte key');
  }

  seal(credentials: CalDavCredentials, supporterId: string): string {
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, nonce);
    cipher.setAAD(Buffer.from(supporterId));
    const ciphertext = Buffer.concat([cipher.update(JSON.stringify(credentials), 'utf8'), cipher.final()]);
    return `${VERSION}.${Buffer.concat([nonce, cipher.getAuthTag(), ciphertext]).toString('base64')}`;
  }

  /** Throws when the text was not sealed with this key for this supporter (or was altered). */
  open(sealed: string, supporterId: string): CalDavCredentials {
    const [version, payload] = sealed.split('.', 2);
    if (version !== VERSION || !payload) throw new Error('unknown credentials format');
    const raw = Buffer.from(payload, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
    decipher.setAAD(Buffer.from(supporterId));
    decipher.setAuthTag(raw.subarray(12, 28));
    const plain = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    return JSON.parse(plain) as CalDavCredentials;
  }
}
