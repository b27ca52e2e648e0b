import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Webhook secrets at rest. The secret must be recovered to sign each payload, so it is encrypted, not
 * hashed: AES-256-GCM under a 32-byte key given at start-up (a key file locally, a secret in AWS), a fresh
 * 96-bit nonce per encryption, and the webhook id as associated data, so a ciphertext copied onto another
 * webhook does not decrypt. Stored form: `v1.<nonce>.<tag>.<ciphertext>`, each part base64url.
 */
export interface SecretBox {
  encrypt(secret: string, webhookId: string): string;
  /** @throws Error when the stored value was damaged, moved, or encrypted under another key. */
  decrypt(stored: string, webhookId: string): string;
}

const VERSION = 'v1';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

export const createSecretBox = (key: Uint8Array): SecretBox => {
  if (key.length !== 32) throw new Error(`the webhook secret key must be 32 bytes, got ${key.length}`);
  const keyBytes = Buffer.from(key);
  const aad = (webhookId: string) => Buffer.from(`cairn-webhook:${webhookId}`, 'utf8');
  return {
    encrypt(secret, webhookId) {
      const nonce = randomBytes(NONCE_BYTES);
      const cipher = createCipheriv('aes-256-gcm', keyBytes, nonce, { authTagLength: TAG_BYTES });
      cipher.setAAD(aad(webhookId));
      const ciphertext = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
      return [VERSION, nonce, cipher.getAuthTag(), ciphertext].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
    },
    decrypt(stored, webhookId) {
      const [version, nonce, tag, ciphertext, ...rest] = stored.split('.');
      if (version !== VERSION || nonce === undefined || tag === undefined || ciphertext === undefined || rest.length > 0) {
        throw new Error('the stored webhook secret is not in a known format');
      }
      try {
        const decipher = createDecipheriv('aes-256-gcm', keyBytes, Buffer.from(nonce, 'base64url'), { authTagLength: TAG_BYTES });
        decipher.setAAD(aad(webhookId));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
      } catch (error) {
        throw new Error('the stored webhook secret could not be decrypted (wrong key, or damaged)', { cause: error });
      }
    },
  };
};
