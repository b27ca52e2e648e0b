import { describe, expect, it } from 'vitest';
import { ENV } from '../../../shared/config/env.js';
import { withSecrets } from '../../../shared/config/secrets.js';

describe('secrets from the environment', () => {
  it('reads the webhook key from the secret the stack names, once', async () => {
    // Prepare
    const reads: string[] = [];
    const read = async (arn: string) => (reads.push(arn), 'a'.repeat(43));

    // Act
    const env = await withSecrets({ [ENV.webhookSecretArn]: 'arn:aws:secretsmanager:eu-west-1:1:secret:k' }, read);

    // Assess
    expect(env[ENV.webhookSecretKey]).toBe('a'.repeat(43));
    expect(reads).toEqual(['arn:aws:secretsmanager:eu-west-1:1:secret:k']);
  });

  it('keeps a key given directly and reads nothing', async () => {
    // Prepare
    const read = async () => {
      throw new Error('must not read');
    };

    // Act
    const env = await withSecrets({ [ENV.webhookSecretKey]: 'k', [ENV.webhookSecretArn]: 'arn' }, read);

    // Assess
    expect(env[ENV.webhookSecretKey]).toBe('k');
  });

  it('stops with the variable name when the secret is empty', async () => {
    // Act & Assess
    await expect(withSecrets({ [ENV.webhookSecretArn]: 'arn' }, async () => undefined)).rejects.toThrow(/CAIRN_WEBHOOK_SECRET_ARN/);
  });

  it('fills in the first admin from its JSON secret, both secrets read at once', async () => {
    // Prepare
    const secrets: Record<string, string> = {
      'arn:webhook': 'a'.repeat(43),
      'arn:admin': JSON.stringify({ username: 'admin', password: 'generated-Password-123' }),
    };
    const reads: string[] = [];
    const read = async (arn: string) => (reads.push(arn), secrets[arn]);

    // Act
    const env = await withSecrets({ [ENV.webhookSecretArn]: 'arn:webhook', [ENV.adminSecretArn]: 'arn:admin' }, read);

    // Assess
    expect(env[ENV.adminUsername]).toBe('admin');
    expect(env[ENV.adminPassword]).toBe('generated-Password-123');
    expect(env[ENV.webhookSecretKey]).toBe('a'.repeat(43));
    expect(reads.sort()).toEqual(['arn:admin', 'arn:webhook']);
  });

  it('keeps an admin password given directly and reads no admin secret', async () => {
    // Prepare
    const read = async () => {
      throw new Error('must not read');
    };

    // Act
    const env = await withSecrets({ [ENV.adminPassword]: 'given-directly-1', [ENV.adminSecretArn]: 'arn:admin' }, read);

    // Assess
    expect(env[ENV.adminPassword]).toBe('given-directly-1');
    expect(env[ENV.adminUsername]).toBeUndefined();
  });

  it.each([
    ['not JSON', 'hunter2-but-not-json'],
    ['JSON without a password', JSON.stringify({ username: 'admin' })],
    ['an empty username', JSON.stringify({ username: '', password: 'p'.repeat(20) })],
    ['a JSON string', JSON.stringify('p'.repeat(20))],
  ])('stops with the variable name, never the value, when the admin secret is %s', async (_case, value) => {
    // Act
    const error = await withSecrets({ [ENV.adminSecretArn]: 'arn:admin' }, async () => value).catch((e: unknown) => e as Error);

    // Assess
    expect(error.message).toMatch(/CAIRN_ADMIN_SECRET_ARN/);
    expect(error.message).not.toContain(value);
  });
});
