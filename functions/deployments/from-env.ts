import { createTrackingDeps } from '../../shared/config/dependencies.js';
import { loadSettings } from '../../shared/config/env.js';
import { createDynamoClient } from '../../shared/data/dynamo-client.js';
import { createDeploymentDeps } from '../../shared/config/deployments.js';
import type { DeploymentDeps } from '../../shared/domain/deployments/ports.js';
import { loadDeploymentSettings } from '../../shared/config/deployment-settings.js';
import { s3Artifacts } from '../../shared/config/artifacts.js';

/** The deployment use cases wired to the table, bucket and target named in the environment. */
export const createDeploymentDepsFromEnv = (env: NodeJS.ProcessEnv = process.env): DeploymentDeps => {
  const settings = loadSettings(env);
  const deploymentSettings = loadDeploymentSettings(env);
  const client = createDynamoClient({ endpoint: settings.dynamoEndpoint });
  const tracking = createTrackingDeps({ client, tableName: settings.tableName, deploymentSettings });
  const artifacts = settings.artifacts && s3Artifacts(settings.artifacts);
  return createDeploymentDeps({
    db: { client, tableName: settings.tableName },
    tracking,
    settings: deploymentSettings,
    ...(artifacts ? { artifacts } : {}),
  });
};
