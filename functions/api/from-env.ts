import { createDynamoClient } from '../../shared/data/dynamo-client.js';
import { ENV, loadSettings } from '../../shared/config/env.js';
import { MlflowError } from '../../shared/errors/index.js';
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
import { loadAdminCredentials, loadAuthSettings } from '../../shared/config/auth-settings.js';
import { createAuthorization } from '../../shared/config/authorization.js';
import { createTokenRepository } from '../../shared/data/tokens/repository.js';
import { auditSinks, type AuditSink } from '../../shared/domain/auth/audit.js';
import { ensureFirstAdmin } from '../../shared/domain/auth/bootstrap.js';
import { gatewayAuthenticator, type GatewayAuthenticatorOptions } from './gateway-identity.js';

export interface ApiFromEnvOptions {
  /** Where unexpected errors go (the Lambda entry passes its structured logger); default console.error. */
  readonly logError?: (error: unknown) => void;
  /** Where audit entries go besides the table (the Lambda entry passes Powertools' logger). */
  readonly auditSink?: AuditSink;
  /** Why a gateway request got no caller (a password changed, a token revoked...), for the logs. */
  readonly onGatewayRefused?: GatewayAuthenticatorOptions['onRefused'];
}

/**
 * The API wired to the table named in the environment, with the default experiment in place: the deployed API
 * (functions/api/handler.ts). Authorization is always on here: callers are who API Gateway established (the
 * token authorizer's context, or the SigV4 signer), re-checked against the table on every request
 * (gateway-identity.ts). The first admin is created at a cold start when no user holds its name.
 */
export const createApiFromEnv = async (given: NodeJS.ProcessEnv = process.env, options: ApiFromEnvOptions = {}) => {
  const env = await withSecrets(given);
  const settings = loadSettings(env);
  const client = createDynamoClient({ endpoint: settings.dynamoEndpoint });
  const deploymentSettings = loadDeploymentSettings(env);
  const deps = createTrackingDeps({
    client,
    tableName: settings.tableName,
    defaultArtifactRoot: settings.defaultArtifactRoot,
    // The table's stream rebuilds search snapshots (functions/search/lambda-snapshots.ts); a Lambda is frozen
    // between requests, so it starts none in the background.
    searchSnapshots: 'stream',
    deploymentSettings,
  });
  const db = { client, tableName: settings.tableName };
  const sink = options.auditSink;
  const authorization = createAuthorization({
    ...db,
    settings: loadAuthSettings(env),
    ...(sink ? { auditAlso: (log) => auditSinks(log, [sink], options.logError) } : {}),
    ...(options.logError ? { logError: options.logError } : {}),
  });
  const admin = loadAdminCredentials(env);
  const firstAdmin = admin
    ? ensureFirstAdmin(authorization.ports, admin).catch((error: unknown) => {
        // A name or password users/create would refuse (a short password): stop the cold start naming the setting.
        if (!(error instanceof MlflowError)) throw error;
        throw new Error(`invalid setting ${ENV.adminUsername}/${ENV.adminPassword} (or the secret ${ENV.adminSecretArn}): ${error.message}`);
      })
    : undefined;
  await Promise.all([ensureDefaultExperiment(deps), firstAdmin]);
  const authenticate = gatewayAuthenticator(
    authorization.ports,
    createTokenRepository(db),
    options.onGatewayRefused ? { onRefused: options.onGatewayRefused } : {},
  );
  const webhookSettings = loadWebhookSettings(env);
  // Webhooks are managed here; deliveries are made by the dispatcher, which runs apart from the API.
  const webhooks = webhookSettings.secretKey
    ? createWebhooks({ db: { client, tableName: settings.tableName }, secretKey: webhookSettings.secretKey, httpPost: createGuardedHttpPost }).deps
    : undefined;
  const artifacts = settings.artifacts && s3Artifacts(settings.artifacts);
  return createApi(deps, {
    auth: { ports: authorization.ports, authenticate },
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
    storage: {
      kind: 'aws',
      region: env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? '',
      table: settings.tableName,
      ...(settings.artifacts ? { bucket: settings.artifacts.bucket } : {}),
      prefix: settings.artifacts?.prefix ?? '',
      defaultArtifactRoot: settings.defaultArtifactRoot,
      ...(settings.dynamoEndpoint ? { dynamodbEndpoint: settings.dynamoEndpoint } : {}),
      ...(settings.artifacts?.s3Endpoint ? { s3Endpoint: settings.artifacts.s3Endpoint } : {}),
    },
  });
};
