import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { answerClientErrorsAsJson } from './client-errors.js';
import { createTrackingDeps } from '../../shared/config/dependencies.js';
import { createDynamoClient } from '../../shared/data/dynamo-client.js';
import { ensureTable } from '../../shared/data/ensure-table.js';
import { ensureDefaultExperiment } from '../../shared/domain/tracking/experiments.js';
import { startDynamoEngine, type DynamoEngine, type EngineKind } from '../../shared/local/dynamodb-engine.js';
import { createLocalArtifacts } from '../../shared/local/local-artifacts.js';
import { loadOrCreateWebhookKey } from '../../shared/local/webhook-key.js';
import { createWebhooks } from '../../shared/config/webhooks.js';
import { createGuardedHttpPost } from '../webhooks/http-post.js';
import { loadWebhookSettings } from '../../shared/config/webhook-settings.js';
import { createApi } from '../api/create-api.js';
import { withUi } from './ui-static.js';
import { createDeploymentDeps } from '../../shared/config/deployments.js';
import { startLocalAuthorization, type LocalAuthOptions } from './local-auth.js';
import { readLiveEngineRecord, removeEngineRecord, writeEngineRecord } from '../../shared/local/engine-record.js';

export interface LocalServerOptions {
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Folder for the metadata database and the artifacts; a temporary folder, removed on stop, when absent. */
  dataDir?: string;
  engine?: EngineKind | 'auto';
  /** Use an already running DynamoDB-compatible endpoint instead of starting an engine. */
  dynamoEndpoint?: string;
  tableName?: string;
  /** Lets webhooks target loopback, private and link-local addresses and plain http. @default CAIRN_WEBHOOK_ALLOW_PRIVATE_TARGETS */
  allowPrivateWebhookTargets?: boolean;
  /** How often the webhook dispatcher reads new registry events, in ms. @default 1000 */
  webhookIntervalMs?: number;
  /** `--auth`: users, permissions and the audit log, checked by the app itself; off when absent. */
  auth?: LocalAuthOptions;
}

export interface LocalServer {
  url: string;
  engine?: DynamoEngine;
  /** With `--auth`: the first admin's name, and its password when it was generated now (shown once). */
  admin?: { username: string; generatedPassword?: string };
  stop(): Promise<void>;
}

export const LOCAL_TABLE_NAME = 'cairn';

/**
 * `npm start`: the same API as in Lambda, on @hono/node-server, with metadata in an embedded
 * DynamoDB-compatible engine persisted under the data folder.
 */
export const startLocalServer = async (options: LocalServerOptions = {}): Promise<LocalServer> => {
  const host = options.host ?? '127.0.0.1';
  if (options.dataDir) await mkdir(options.dataDir, { recursive: true });
  const artifactDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'cairn-')));
  // Two engines on one database file would corrupt it (shared/local/engine-record.ts).
  const busy = options.dataDir && !options.dynamoEndpoint ? await readLiveEngineRecord(options.dataDir) : undefined;
  if (busy) throw new Error(`${options.dataDir} is in use by ${busy.owner} (process ${busy.owner_pid}); stop it first`);
  const engine = options.dynamoEndpoint
    ? undefined
    : await startDynamoEngine({ kind: options.engine ?? 'auto', dataDir: options.dataDir });
  try {
    const endpoint = options.dynamoEndpoint ?? engine?.endpoint ?? '';
    const client = createDynamoClient({ endpoint });
    const tableName = options.tableName ?? LOCAL_TABLE_NAME;
    await ensureTable({ client, tableName });
    // Local engines update indexes synchronously, so the search cache's look-back window only has to
    // cover the time between a write's timestamp and its landing in the table.
    const deps = createTrackingDeps({ client, tableName });
    await ensureDefaultExperiment(deps);
    let url = '';
    const artifacts = await createLocalArtifacts({ dataDir: artifactDir, baseUrl: () => url, tracking: deps });
    const webhooks = createWebhooks({
      db: { client, tableName },
      secretKey: await loadOrCreateWebhookKey(artifactDir),
      httpPost: createGuardedHttpPost,
      allowPrivateTargets: options.allowPrivateWebhookTargets ?? loadWebhookSettings().allowPrivateTargets,
      lagMs: 1000,
      logError: (error) => console.error('cairn: webhook delivery failed:', error),
    });
    const auth = options.auth && (await startLocalAuthorization({ client, tableName }, options.auth));
    const app = createApi(deps, {
      ...(auth ? { auth: auth.config } : {}),
      artifacts: artifacts.deps,
      signedUrlHandler: artifacts.signedUrlHandler,
      webhooks: webhooks.deps,
      webhookDeliveries: webhooks.deliveries,
      // No deployment target locally: promotions are recorded as NOT_DEPLOYED, with the reason.
      deployments: createDeploymentDeps({ db: { client, tableName }, tracking: deps, settings: { allowedRoleArns: [] }, artifacts: artifacts.deps }),
      storage: { kind: 'local', table: tableName, engineEndpoint: endpoint, artifactDir: join(resolve(artifactDir), 'artifacts'), defaultArtifactRoot: deps.defaultArtifactRoot },
    });
    const server = await listen(withUi(app.fetch), host, options.port ?? 5000);
    const { port } = server.address() as AddressInfo;
    url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
    webhooks.dispatcher.start(options.webhookIntervalMs ?? 1000);
    // `npm run import` on the same folder connects to this engine instead of starting a second one.
    if (options.dataDir && engine?.pid) {
      await writeEngineRecord(options.dataDir, { endpoint, kind: engine.kind, table: tableName, engine_pid: engine.pid, owner_pid: process.pid, owner: 'npm start', url });
    }
    return {
      url,
      engine,
      ...(auth ? { admin: auth.admin } : {}),
      async stop() {
        if (options.dataDir) await removeEngineRecord(options.dataDir);
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await webhooks.dispatcher.stop();
        client.destroy();
        await engine?.stop();
        if (!options.dataDir) await rm(artifactDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await engine?.stop();
    throw error;
  }
};

const listen = (fetch: Parameters<typeof serve>[0]['fetch'], hostname: string, port: number) =>
  new Promise<ServerType>((resolve, reject) => {
    const server = serve({ fetch, hostname, port }, () => resolve(server));
    answerClientErrorsAsJson(server);
    server.once('error', reject);
  });
