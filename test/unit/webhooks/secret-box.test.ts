import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSecretBox } from '../../../shared/domain/webhooks/secret-box.js';

const WEBHOOK_ID = '8d1f6a36-0a0e-4f7e-9a55-6c1f0f2b7e11';

describe('webhook secret encryption', () => {
  it('decrypts what it encrypted', () => {
    // Prepare
    const box = createSecretBox(randomBytes(32));

    // Act
    const stored = box.encrypt('s3cret-ü', WEBHOOK_ID);

    // Assess
    expect(box.decrypt(stored, WEBHOOK_ID)).toBe('s3cret-ü');
  });

  it('never stores the secret in clear, and encrypts it differently each time', () => {
    // Prepare
    const box = createSecretBox(randomBytes(32));

    // Act
    const first = box.encrypt('s3cret', WEBHOOK_ID);
    const second = box.encrypt('s3cret', WEBHOOK_ID);

    // Assess
    expect(first).not.toContain('s3cret');
    expect(first).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(first).not.toBe(second);
  });

  it('refuses a ciphertext moved to another webhook', () => {
    // Prepare
    const box = createSecretBox(randomBytes(32));
    const stored = box.encrypt('s3cret', WEBHOOK_ID);

    // Act & Assess
    expect(() => box.decrypt(stored, 'another-webhook')).toThrow(/could not be decrypted/);
  });

  it('refuses a ciphertext made under another key', () => {
    // Prepare
    const stored = createSecretBox(randomBytes(32)).encrypt('s3cret', WEBHOOK_ID);

    // Act & Assess
    expect(() => createSecretBox(randomBytes(32)).decrypt(stored, WEBHOOK_ID)).toThrow(/could not be decrypted/);
  });

  it('refuses a damaged stored value', () => {
    // Prepare
    const box = createSecretBox(randomBytes(32));

    // Act & Assess
    expect(() => box.decrypt('v1.abc', WEBHOOK_ID)).toThrow(/not in a known format/);
  });

  it('refuses a key that is not 32 bytes', () => {
    // Act & Assess
    expect(() => createSecretBox(randomBytes(16))).toThrow(/32 bytes/);
  });
});
