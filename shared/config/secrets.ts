import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ENV } from './env.js';

/**
 * The environment with the webhook key filled in from Secrets Manager: the stack passes the secret's ARN
 * (CAIRN_WEBHOOK_SECRET_ARN), never its value, and the function reads it once at cold start. A key given
 * directly (CAIRN_WEBHOOK_SECRET_KEY: local runs, tests) wins.
 */
export const withSecrets = async (
  env: NodeJS.ProcessEnv,
  read: (arn: string) => Promise<string | undefined> = readSecret,
): Promise<NodeJS.ProcessEnv> => {
  const arn = env[ENV.webhookSecretArn];
  if (env[ENV.webhookSecretKey] || !arn) return env;
  const value = await read(arn);
  if (!value) throw new Error(`secret ${arn} (${ENV.webhookSecretArn}) has no string value`);
  return { ...env, [ENV.webhookSecretKey]: value };
};

const readSecret = async (arn: string) => {
  const client = new SecretsManagerClient({});
  try {
    return (await client.send(new GetSecretValueCommand({ SecretId: arn }))).SecretString;
  } finally {
    client.destroy();
  }
};
