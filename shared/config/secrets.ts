import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ENV } from './env.js';

type Read = (arn: string) => Promise<string | undefined>;

/**
 * The environment with secrets filled in from Secrets Manager: the stack passes each secret's ARN, never its
 * value, and the function reads it once at cold start. A value given directly (local runs, tests) wins.
 *
 *   CAIRN_WEBHOOK_SECRET_ARN  → CAIRN_WEBHOOK_SECRET_KEY   (the secret's string)
 *   CAIRN_ADMIN_SECRET_ARN    → CAIRN_ADMIN_USERNAME, CAIRN_ADMIN_PASSWORD   (`{"username", "password"}`)
 */
export const withSecrets = async (env: NodeJS.ProcessEnv, read: Read = readSecret): Promise<NodeJS.ProcessEnv> => {
  const [webhook, admin] = await Promise.all([webhookKeyOf(env, read), adminOf(env, read)]);
  return webhook || admin ? { ...env, ...webhook, ...admin } : env;
};

const webhookKeyOf = async (env: NodeJS.ProcessEnv, read: Read) => {
  const arn = env[ENV.webhookSecretArn];
  if (env[ENV.webhookSecretKey] || !arn) return undefined;
  const value = await read(arn);
  if (!value) throw new Error(`secret ${arn} (${ENV.webhookSecretArn}) has no string value`);
  return { [ENV.webhookSecretKey]: value };
};

/** The first admin's secret, as CDK generates it (infra/constructs/admin-secret.ts). Its value is never quoted in an error. */
const adminOf = async (env: NodeJS.ProcessEnv, read: Read) => {
  const arn = env[ENV.adminSecretArn];
  if (env[ENV.adminPassword] || !arn) return undefined;
  const value = await read(arn);
  let parsed: unknown;
  try {
    parsed = JSON.parse(value ?? '');
  } catch {
    parsed = undefined;
  }
  const { username, password } = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<string, unknown>;
  if (typeof username !== 'string' || username === '' || typeof password !== 'string' || password === '') {
    throw new Error(`secret ${arn} (${ENV.adminSecretArn}) is not JSON with a non-empty "username" and "password"`);
  }
  return { [ENV.adminUsername]: username, [ENV.adminPassword]: password };
};

const readSecret = async (arn: string) => {
  const client = new SecretsManagerClient({});
  try {
    return (await client.send(new GetSecretValueCommand({ SecretId: arn }))).SecretString;
  } finally {
    client.destroy();
  }
};
