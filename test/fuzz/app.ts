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
import { createAuthorization } from '../../shared/config/authorization.js';
import { headerAuthenticator } from '../../functions/api/authorization/authenticators.js';
import { ensureFirstAdmin } from '../../shared/domain/auth/bootstrap.js';
import type { Permission } from '../../shared/domain/auth/permissions.js';

export interface FuzzAppOptions {
  endpoint: string;
  tableName: string;
  /** Folder of the local artifact store; a fresh temporary one when absent. */
  dataDir?: string;
  /** The server's own origin, which the local store signs its URLs with. */
  baseUrl?: () => string;
  /** Where the app reports the unexpected errors it answers 500 for. */
  logError?: (error: unknown) => void;
  /**
   * Authorization as `npm start -- --auth` wires it (functions/local/local-auth.ts): Basic and Bearer checked
   * by the app, READ as the default permission; `false` for none. The first admin is made by prepareTable, so
   * building the app sends no request.
   */
  auth?: { defaultPermission: Permission } | false;
}

/**
 * The admin the fuzzer calls as (prepareTable creates it), so hostile input gets past authorization to the
 * handlers. A fixed password is fine here: each run has its own fresh table, on loopback.
 */
export const FUZZ_ADMIN = { username: 'fuzz-admin', password: 'fuzz-admin-password' } as const;
export const FUZZ_ADMIN_AUTHORIZATION = `Basic ${Buffer.from(`${FUZZ_ADMIN.username}:${FUZZ_ADMIN.password}`).toString('base64')}`;

/**
 * The API wired as `npm start -- --auth` wires it (functions/local/server.ts): every optional part present,
 * authorization included, so every route exists. Every webhook target name resolves to loopback without DNS
 * (private targets allowed, so the post is tried and refused at once), and a delivery gives up after 300 ms:
 * fuzzed webhooks never leave the machine nor stall the run.
 */
export const buildFuzzApp = async (options: FuzzAppOptions) => {
  const client = createDynamoClient({ endpoint: options.endpoint });
  const db = { client, tableName: options.tableName };
  const deps = createTrackingDeps({ client, tableName: options.tableName });
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
  const auth = options.auth ?? { defaultPermission: 'READ' };
  const authorization =
    auth &&
    createAuthorization({
      ...db,
      settings: { defaultPermission: auth.defaultPermission, unmappedPrincipalPermission: 'NO_PERMISSIONS', auditRetentionDays: 1 },
      ...(options.logError ? { logError: options.logError } : {}),
    });
  const app = createApi(deps, {
    ...(authorization ? { auth: { ports: authorization.ports, authenticate: headerAuthenticator(authorization.verifier) } } : {}),
    artifacts: artifacts.deps,
    signedUrlHandler: artifacts.signedUrlHandler,
    webhooks: webhooks.deps,
    webhookDeliveries: webhooks.deliveries,
    deployments: createDeploymentDeps({ db, tracking: deps, settings: { allowedRoleArns: [] }, artifacts: artifacts.deps }),
    logError: options.logError ?? (() => undefined),
  });
  return { app, deps, client, dataDir, ...(authorization ? { auth: authorization } : {}) };
};

/** A fresh table on `endpoint` with the default experiment, as a new server has it, and `admin` as its first admin. */
export const prepareTable = async (endpoint: string, tableName: string, admin?: { username: string; password: string }): Promise<void> => {
  const client = createDynamoClient({ endpoint });
  await ensureTable({ client, tableName });
  await ensureDefaultExperiment(createTrackingDeps({ client, tableName }));
  if (admin) {
    const settings = { defaultPermission: 'NO_PERMISSIONS', unmappedPrincipalPermission: 'NO_PERMISSIONS', auditRetentionDays: 1 } as const;
    await ensureFirstAdmin(createAuthorization({ client, tableName, settings }).ports, admin);
  }
  client.destroy();
};
