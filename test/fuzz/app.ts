import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApi } from '../../functions/api/create-api.js';
import { createTrackingDeps } from '../../shared/config/dependencies.js';
import { createDynamoClient } from '../../shared/data/dynamo-client.js';
import { ensureTable } from '../../shared/data/ensure-table.js';
import { createDeploymentDeps } from '../../shared/config/deployments.js';
import { ensureDefaultExperiment } from '../../shared/domain/tracking/experiments.js';
import { createLocalArtifacts } from '../../shared/local/local-artifacts.js';
import { createWebhooks } from '../../shared/config/webhooks.js';
import { createGuardedHttpPost } from '../../functions/webhooks/http-post.js';

export interface FuzzAppOptions {
  endpoint: string;
  tableName: string;
  /** Folder of the local artifact store; a fresh temporary one when absent. */
  dataDir?: string;
  /** The server's own origin, which the local store signs its URLs with. */
  baseUrl?: () => string;
  /** Where the app reports the unexpected errors it answers 500 for. */
  logError?: (error: unknown) => void;
}

/**
 * The API wired as `npm start` wires it (functions/local/server.ts): every optional part present, so every
 * route exists. Every webhook target name resolves to loopback without DNS (private targets allowed, so the
 * post is tried and refused at once), and a delivery gives up after 300 ms: fuzzed webhooks never leave the
 * machine nor stall the run.
 */
export const buildFuzzApp = async (options: FuzzAppOptions) => {
  const client = createDynamoClient({ endpoint: options.endpoint });
  const db = { client, tableName: options.tableName };
  const deps = createTrackingDeps({ client, tableName: options.tableName, searchIndexLagMs: 1000 });
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'cairn-fuzz-')));
  const artifacts = await createLocalArtifacts({ dataDir, baseUrl: options.baseUrl ?? (() => 'http://cairn.fuzz'), tracking: deps });
  const webhooks = createWebhooks({
    db,
    secretKey: new Uint8Array(32).fill(7),
    httpPost: createGuardedHttpPost,
    allowPrivateTargets: true,
    resolve: async () => [{ address: '127.0.0.1', family: 4 }],
    timeoutMs: 300,
    retry: { baseDelayMs: 1, jitterMs: 0 },
    logError: () => undefined,
  });
  const app = createApi(deps, {
    artifacts: artifacts.deps,
    signedUrlHandler: artifacts.signedUrlHandler,
    webhooks: webhooks.deps,
    webhookDeliveries: webhooks.deliveries,
    deployments: createDeploymentDeps({ db, tracking: deps, settings: { allowedRoleArns: [] }, artifacts: artifacts.deps }),
    logError: options.logError ?? (() => undefined),
  });
  return { app, deps, client, dataDir };
};

/** A fresh table on `endpoint` with the default experiment, as a new server has it. */
export const prepareTable = async (endpoint: string, tableName: string): Promise<void> => {
  const client = createDynamoClient({ endpoint });
  await ensureTable({ client, tableName });
  await ensureDefaultExperiment(createTrackingDeps({ client, tableName, searchIndexLagMs: 1000 }));
  client.destroy();
};
