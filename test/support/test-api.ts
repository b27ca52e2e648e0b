import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { createApi } from '../../functions/api/create-api.js';
import { createTrackingDeps } from '../../shared/config/dependencies.js';
import { createDynamoClient } from '../../shared/data/dynamo-client.js';
import { ensureTable } from '../../shared/data/ensure-table.js';
import type { ArtifactDeps } from '../../shared/domain/artifacts/artifacts.js';
import type { TrackingDeps } from '../../shared/domain/dependencies.js';
import { ensureDefaultExperiment } from '../../shared/domain/tracking/experiments.js';
import { createLocalArtifacts } from '../../shared/local/local-artifacts.js';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertLoopbackEndpoint } from './loopback.js';
import { createDeploymentDeps } from '../../shared/config/deployments.js';
import type { DeploymentDeps, DeploymentSettings, EndpointInvoker, TaskResponder } from '../../shared/domain/deployments/ports.js';

/** The origin in-process requests use; signed artifact URLs point at it, so they route back into the app. */
export const TEST_BASE_URL = 'http://cairn.test';

export type EngineName = 'dynamodb-local' | 'dynoxide';
export const ENGINES: EngineName[] = ['dynamodb-local', 'dynoxide'];

export const endpointOf = (engine: EngineName) =>
  assertLoopbackEndpoint(inject(engine === 'dynamodb-local' ? 'dynamoLocalEndpoint' : 'dynoxideEndpoint'));

export interface TestApi {
  deps: TrackingDeps;
  deployments: DeploymentDeps;
  artifactDir: string;
  tableName: string;
  endpoint: string;
  /** Calls the app in-process, as `app.request` does. */
  request(path: string, init?: RequestInit): Promise<Response>;
  /** POST/PATCH/DELETE with a JSON body, or GET with a query; answers status and parsed JSON body. */
  call(method: string, path: string, body?: Record<string, unknown>): Promise<{ status: number; body: any }>;
}

/** The artifact side of a test API: the store settings, and the handler of the local store's signed URLs if any. */
export interface TestArtifacts {
  deps: ArtifactDeps;
  signedUrlHandler?: (request: Request) => Promise<Response | undefined>;
  /** Folder of a local store ('' for a store elsewhere, e.g. S3). */
  artifactDir: string;
}

/** Where promotions go in a test: nowhere by default (local mode); a state machine and its fakes otherwise. */
export interface TestDeploymentOptions {
  settings?: DeploymentSettings;
  tasks?: TaskResponder;
  endpoints?: EndpointInvoker;
}

/** A fresh table (unique name) on a local engine, with the API wired to it: a fresh MLflow server. */
export const createTestApi = async (engine: EngineName): Promise<TestApi> =>
  createTestApiWith(engine, async (tracking) => {
    const artifactDir = await mkdtemp(join(tmpdir(), 'cairn-test-artifacts-'));
    const artifacts = await createLocalArtifacts({ dataDir: artifactDir, baseUrl: () => TEST_BASE_URL, tracking });
    return { deps: artifacts.deps, signedUrlHandler: artifacts.signedUrlHandler, artifactDir };
  });

/** Like createTestApi, with the artifact store and settings that `artifacts` builds (e.g. S3 on fauxqs) for `tracking`. */
export const createTestApiWith = async (
  engine: EngineName,
  artifacts: (tracking: TrackingDeps) => Promise<TestArtifacts>,
  deployment: TestDeploymentOptions = {},
): Promise<TestApi> => {
  const endpoint = endpointOf(engine);
  const client = createDynamoClient({ endpoint });
  const tableName = `cairn-test-${randomUUID()}`;
  await ensureTable({ client, tableName });
  const settings = deployment.settings ?? { allowedRoleArns: [] };
  const deps = createTrackingDeps({ client, tableName, deploymentSettings: settings });
  await ensureDefaultExperiment(deps);
  const { deps: artifactDeps, signedUrlHandler, artifactDir } = await artifacts(deps);
  const deployments = createDeploymentDeps({
    db: { client, tableName },
    tracking: deps,
    settings,
    artifacts: artifactDeps,
    ...(deployment.tasks ? { tasks: deployment.tasks } : {}),
    ...(deployment.endpoints ? { endpoints: deployment.endpoints } : {}),
  });
  const app = createApi(deps, { artifacts: artifactDeps, deployments, ...(signedUrlHandler ? { signedUrlHandler } : {}) });
  const request = (path: string, init?: RequestInit) => Promise.resolve(app.request(path, init));
  return {
    deps,
    deployments,
    artifactDir,
    tableName,
    endpoint,
    request,
    async call(method, path, body) {
      const url = method === 'GET' && body ? `${path}?${new URLSearchParams(toQuery(body))}` : path;
      const response = await request(url, {
        method,
        headers: method === 'GET' ? {} : { 'content-type': 'application/json' },
        body: method === 'GET' ? undefined : JSON.stringify(body ?? {}),
      });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : undefined };
    },
  };
};

const toQuery = (body: Record<string, unknown>): [string, string][] =>
  Object.entries(body).flatMap(([key, value]) =>
    Array.isArray(value) ? value.map((v) => [key, String(v)] as [string, string]) : [[key, String(value)] as [string, string]],
  );
