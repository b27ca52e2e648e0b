import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { mkdir, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { createTrackingDeps } from '../../../shared/config/dependencies.js';
import { createDynamoClient } from '../../../shared/data/dynamo-client.js';
import { ensureTable } from '../../../shared/data/ensure-table.js';
import type { ArtifactDeps } from '../../../shared/domain/artifacts/artifacts.js';
import type { TrackingDeps } from '../../../shared/domain/dependencies.js';
import { startDynamoEngine, type DynamoEngine } from '../../../shared/local/dynamodb-engine.js';
import { readLiveEngineRecord, removeEngineRecord, removeEngineRecordSync, writeEngineRecord } from '../../../shared/local/engine-record.js';
import { createLocalArtifacts } from '../../../shared/local/local-artifacts.js';
import { createS3ArtifactStore, createS3Clients } from '../../../shared/storage/s3-artifact-store.js';
import { LOCAL_TABLE_NAME } from '../../local/server.js';
import type { Credentials } from './args.js';
import { credentialsFrom, isUrl } from './open-source.js';

/**
 * `--to`: Cairn as the importer writes into it and `--verify` reads it, always through the same repositories and
 * artifact store as the API (createTrackingDeps, the local or S3 store): never a storage path of its own.
 *
 * - A data folder: the engine of an `npm start` running on it (its `engine.json`), else an engine started here
 *   on the folder for the import's time; files go to `<folder>/artifacts`, as npm start keeps them.
 * - A Cairn URL: the server says where it keeps its data (`GET /api/2.0/cairn/import/target`, admins only), and
 *   the importer writes there with the operator's own access: the local engine of an npm start on this machine,
 *   or in AWS the stack's DynamoDB table and S3 bucket with the default AWS credential chain.
 */
export interface OpenedTarget {
  readonly target: { readonly tracking: TrackingDeps; readonly artifacts: Pick<ArtifactDeps, 'store' | 's3'> };
  /** For the progress display: `data folder /x (the engine of npm start, process 123)`. */
  readonly description: string;
  /** The target as the checkpoint's name knows it. */
  readonly identity: string;
  /** Where checkpoints go unless --checkpoint names a file. */
  readonly checkpointDir: string;
  close(): Promise<void>;
  /** At an interruption, synchronously: what must not outlive the process (the engine record; the engine dies with it). */
  abandon(): void;
}

export const openTarget = async (to: string, flags: Credentials | undefined, env: NodeJS.ProcessEnv): Promise<OpenedTarget> =>
  isUrl(to) ? openServer(to, credentialsFrom(flags, env, { username: 'CAIRN_USERNAME', password: 'CAIRN_PASSWORD', token: 'CAIRN_TOKEN' })) : openDataDir(resolve(to));

const openDataDir = async (dataDir: string): Promise<OpenedTarget> => {
  await mkdir(dataDir, { recursive: true });
  const record = await readLiveEngineRecord(dataDir);
  let engine: DynamoEngine | undefined;
  if (!record) engine = await startDynamoEngine({ dataDir });
  const endpoint = record?.endpoint ?? engine?.endpoint ?? '';
  const tableName = record?.table ?? LOCAL_TABLE_NAME;
  const client = createDynamoClient({ endpoint });
  const close = async () => {
    client.destroy();
    if (!engine) return;
    await removeEngineRecord(dataDir);
    await engine.stop();
  };
  try {
    if (engine) {
      await ensureTable({ client, tableName });
      await writeEngineRecord(dataDir, { endpoint, kind: engine.kind, table: tableName, engine_pid: engine.pid ?? 0, owner_pid: process.pid, owner: 'npm run import' });
    } else {
      await describeTable(client, tableName, `the engine of ${record?.owner} (${endpoint})`);
    }
    const artifacts = await createLocalArtifacts({ dataDir, baseUrl: () => record?.url ?? 'http://127.0.0.1' });
    return {
      target: { tracking: createTrackingDeps({ client, tableName }), artifacts: { store: artifacts.deps.store } },
      description: `data folder ${dataDir} (${record ? `the engine of ${record.owner}, process ${record.owner_pid}` : `its own ${engine?.kind} engine`})`,
      identity: dataDir,
      checkpointDir: join(dataDir, 'imports'),
      close,
      abandon: () => engine && removeEngineRecordSync(dataDir),
    };
  } catch (error) {
    await close();
    throw error;
  }
};

const DiscoveryAnswer = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('local'), table: z.string(), engine_endpoint: z.string().url(), artifact_dir: z.string(), default_artifact_root: z.string() }),
  z.object({
    kind: z.literal('aws'),
    region: z.string(),
    table: z.string(),
    bucket: z.string().optional(),
    prefix: z.string(),
    default_artifact_root: z.string(),
    dynamodb_endpoint: z.string().url().optional(),
    s3_endpoint: z.string().url().optional(),
  }),
]);

const DISCOVERY_PATH = '/api/2.0/cairn/import/target';
const ADMIN_HINT = "an admin's --username and --password, or --token (or CAIRN_USERNAME and CAIRN_PASSWORD, or CAIRN_TOKEN)";

const openServer = async (url: string, credentials: Credentials | undefined): Promise<OpenedTarget> => {
  const base = url.replace(/\/+$/, '');
  const where = await discover(base, credentials);
  const identity = base;
  const checkpointDir = join(process.cwd(), '.cairn-import');
  if (where.kind === 'local') {
    const client = createDynamoClient({ endpoint: where.engine_endpoint });
    const reachable = await describeTable(client, where.table, where.engine_endpoint).then(() => true, () => false);
    const folder = await stat(where.artifact_dir).catch(() => undefined);
    if (!reachable || !folder?.isDirectory()) {
      client.destroy();
      throw new Error(
        `${base} keeps its data on its own machine (engine ${where.engine_endpoint}, files in ${where.artifact_dir}), which this machine does not reach: ` +
          `run the import there, or stop it and import into its data folder with --to <folder>`,
      );
    }
    const artifacts = await createLocalArtifacts({ dataDir: dirname(where.artifact_dir), baseUrl: () => base });
    return {
      target: {
        tracking: createTrackingDeps({ client, tableName: where.table, defaultArtifactRoot: where.default_artifact_root }),
        artifacts: { store: artifacts.deps.store },
      },
      description: `Cairn ${base} (its engine ${where.engine_endpoint}, files in ${where.artifact_dir})`,
      identity,
      checkpointDir,
      close: async () => client.destroy(),
      abandon: () => undefined,
    };
  }
  if (!where.bucket) throw new Error(`${base} serves no artifacts (no bucket configured), so files cannot be imported into it`);
  const client = createDynamoClient({ region: where.region, ...(where.dynamodb_endpoint ? { endpoint: where.dynamodb_endpoint } : {}) });
  try {
    await describeTable(client, where.table, `DynamoDB in ${where.region}`);
  } catch (error) {
    client.destroy();
    throw error;
  }
  const s3 = createS3Clients({ region: where.region, ...(where.s3_endpoint ? { endpoint: where.s3_endpoint } : {}) });
  const store = createS3ArtifactStore({ client: s3.client, presignClient: s3.presignClient, bucket: where.bucket, prefix: where.prefix });
  return {
    target: {
      tracking: createTrackingDeps({ client, tableName: where.table, defaultArtifactRoot: where.default_artifact_root }),
      artifacts: { store, s3: { bucket: where.bucket, prefix: where.prefix } },
    },
    description: `Cairn ${base} (table ${where.table} and bucket ${where.bucket}${where.prefix ? `/${where.prefix}` : ''} in ${where.region}, with your AWS credentials)`,
    identity,
    checkpointDir,
    close: async () => {
      client.destroy();
      s3.client.destroy();
      s3.presignClient.destroy();
    },
    abandon: () => undefined,
  };
};

const discover = async (base: string, credentials: Credentials | undefined) => {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (credentials) headers.authorization = authorizationOf(credentials);
  let response: Response;
  try {
    response = await fetch(`${base}${DISCOVERY_PATH}`, { headers, signal: AbortSignal.timeout(30_000) });
  } catch (error) {
    throw new Error(`could not reach ${base}: ${error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error)}`);
  }
  const text = await response.text();
  if (response.status === 401) throw new Error(`${base} asks who you are (401): give ${ADMIN_HINT}`);
  if (response.status === 403) throw new Error(`${base} refused (403): only an admin may import; give ${ADMIN_HINT}`);
  if (!response.ok) {
    const error = parseJson(text) as { error_code?: string; message?: string } | undefined;
    if (error?.error_code === 'ENDPOINT_NOT_FOUND') throw new Error(`${base} does not say where it keeps its data (no ${DISCOVERY_PATH}): is it a Cairn server, and a recent one?`);
    throw new Error(`${base}${DISCOVERY_PATH} answered ${response.status}: ${error?.message ?? text.slice(0, 200)}`);
  }
  const parsed = DiscoveryAnswer.safeParse(parseJson(text));
  if (!parsed.success) throw new Error(`${base}${DISCOVERY_PATH} answered what this importer does not understand: ${text.slice(0, 200)}`);
  return parsed.data;
};

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

const authorizationOf = (credentials: Credentials) =>
  credentials.kind === 'basic'
    ? `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`, 'utf8').toString('base64')}`
    : `Bearer ${credentials.token}`;

/** The table exists and these credentials may read it: said now, rather than as the first write's failure. */
const describeTable = async (client: DynamoDBClient, tableName: string, where: string) => {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
  } catch (error) {
    throw new Error(`cannot use table ${tableName} in ${where}: ${error instanceof Error ? error.message : String(error)}`);
  }
};
