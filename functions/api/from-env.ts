import { createDynamoClient } from '../../shared/data/dynamo-client.js';
import { loadSettings } from '../../shared/config/env.js';
import { createTrackingDeps } from '../../shared/config/dependencies.js';
import { ensureDefaultExperiment } from '../../shared/domain/experiments.js';
import { createApi } from './create-api.js';

/** The API wired to the table named in the environment, with the default experiment in place. */
export const createApiFromEnv = async (env: NodeJS.ProcessEnv = process.env) => {
  const settings = loadSettings(env);
  const deps = createTrackingDeps({
    client: createDynamoClient({ endpoint: settings.dynamoEndpoint }),
    tableName: settings.tableName,
    defaultArtifactRoot: settings.defaultArtifactRoot,
    searchIndexLagMs: settings.searchIndexLagMs,
  });
  await ensureDefaultExperiment(deps);
  return createApi(deps);
};
