import { createDynamoClient } from '../../shared/data/dynamo-client.js';
import { loadSettings } from '../../shared/config/env.js';
import { createTrackingDeps } from '../../shared/config/dependencies.js';
import { ensureDefaultExperiment } from '../../shared/domain/tracking/experiments.js';
import { createApi } from './create-api.js';
import { s3Artifacts } from '../../shared/config/artifacts.js';
import { withSecrets } from '../../shared/config/secrets.js';
import { createWebhooks } from '../../shared/config/webhooks.js';
import { createGuardedHttpPost } from '../webhooks/http-post.js';
import { loadWebhookSettings } from '../../shared/config/webhook-settings.js';
import { loadDeploymentSettings } from '../../shared/config/deployment-settings.js';
import { createDeploymentDeps } from '../../shared/config/deployments.js';
import { createEndpointInvoker, createSfnTaskResponder } from './deployment-adapters.js';

export interface ApiFromEnvOptions {
  /** Where unexpected errors go (the Lambda entry passes its structured logger); default console.error. */
  readonly logError?: (error: unknown) => void;
}

/** The API wired to the table named in the environment, with the default experiment in place. */
export const createApiFromEnv = async (given: NodeJS.ProcessEnv = process.env, options: ApiFromEnvOptions = {}) => {
  const env = await withSecrets(given);
  const settings = loadSettings(env);
  const client = createDynamoClient({ endpoint: settings.dynamoEndpoint });
  const deploymentSettings = loadDeploymentSettings(env);
  const deps = createTrackingDeps({
    client,
    tableName: settings.tableName,
    defaultArtifactRoot: settings.defaultArtifactRoot,
    searchIndexLagMs: settings.searchIndexLagMs,
    deploymentSettings,
  });
  await ensureDefaultExperiment(deps);
  const webhookSettings = loadWebhookSettings(env);
  // Webhooks are managed here; deliveries are made by the dispatcher, which runs apart from the API.
  const webhooks = webhookSettings.secretKey
    ? createWebhooks({ db: { client, tableName: settings.tableName }, secretKey: webhookSettings.secretKey, httpPost: createGuardedHttpPost }).deps
    : undefined;
  const artifacts = settings.artifacts && s3Artifacts(settings.artifacts);
  const db = { client, tableName: settings.tableName };
  return createApi(deps, {
    artifacts,
    webhooks,
    deployments: createDeploymentDeps({
      db,
      tracking: deps,
      settings: deploymentSettings,
      ...(artifacts ? { artifacts } : {}),
      // Approvals and scoring reach AWS only where a promotion target is configured.
      ...(deploymentSettings.stateMachineArn ? { tasks: createSfnTaskResponder(), endpoints: createEndpointInvoker() } : {}),
    }),
    ...(options.logError ? { logError: options.logError } : {}),
  });
};
