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
});
