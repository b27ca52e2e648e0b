import { ENV, loadSettings } from '../../shared/config/env.js';
import { createDynamoClient } from '../../shared/data/dynamo-client.js';
import { createWebhooks } from '../../shared/config/webhooks.js';
import { createGuardedHttpPost } from './http-post.js';
import type { WebhookDispatcher } from '../../shared/domain/webhooks/dispatcher.js';
import { loadWebhookSettings } from '../../shared/config/webhook-settings.js';

/**
 * The webhook dispatcher of the AWS Lambdas, on the table and settings in the environment. Unlike the API
 * (which only hides its webhook routes without a key), a dispatcher cannot sign deliveries without
 * CAIRN_WEBHOOK_SECRET_KEY, so its absence stops the cold start with the variable's name.
 */
export const createDispatcherFromEnv = (
  env: NodeJS.ProcessEnv = process.env,
  options: { logError?: (error: unknown) => void } = {},
): WebhookDispatcher => {
  const settings = loadSettings(env);
  const webhookSettings = loadWebhookSettings(env);
  if (!webhookSettings.secretKey) throw new Error(`missing setting ${ENV.webhookSecretKey}: base64 of 32 bytes`);
  return createWebhooks({
    db: { client: createDynamoClient({ endpoint: settings.dynamoEndpoint }), tableName: settings.tableName },
    secretKey: webhookSettings.secretKey,
    httpPost: createGuardedHttpPost,
    allowPrivateTargets: webhookSettings.allowPrivateTargets,
    lagMs: webhookSettings.dispatchLagMs,
    ...(options.logError ? { logError: options.logError } : {}),
  }).dispatcher;
};
