import { createDeploymentRepository } from '../../shared/data/deployments/repository.js';
import { createDynamoClient } from '../../shared/data/dynamo-client.js';
import { createRegistryRepository } from '../../shared/data/registry/repository.js';
import { awaitApprovalStep, record } from '../../shared/domain/deployments/steps.js';
import type { LocalServer } from '../../functions/local/server.js';
import { LOCAL_TABLE_NAME } from '../../functions/local/server.js';
import { api, seedExperiment } from './support/seed.js';

const CAIRN = '/api/2.0/cairn';

export interface SeededRegistry {
  experimentId: string;
  runId: string;
  runName: string;
  /** The deployment the Production transition started (replayed to a roll-back). */
  rolledBackId: string;
  /** The deployment the champion alias started (replayed to waiting for approval). */
  waitingId: string;
}

const cairn = async <T>(baseUrl: string, method: 'GET' | 'POST', path: string, body: Record<string, unknown>): Promise<T> => {
  const url = new URL(`${baseUrl}${CAIRN}/${path}`);
  if (method === 'GET') for (const [k, v] of Object.entries(body)) url.searchParams.set(k, String(v));
  const response = await fetch(url, { method, headers: { 'content-type': 'application/json' }, body: method === 'POST' ? JSON.stringify(body) : undefined });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return JSON.parse(text) as T;
};

/**
 * What the promotion state machine records as it runs, replayed onto the server's table with its own step
 * functions (shared/domain/deployments/steps.ts): `npm start` has no deployment target, so its promotions stop
 * at NOT_DEPLOYED, and the timeline needs the steps an AWS deployment goes through. The clock is the steps'
 * own, so each step lands minutes after the last, as SageMaker's would.
 */
const replaySteps = async (server: LocalServer, rolledBackId: string, waitingId: string) => {
  const db = { client: createDynamoClient({ endpoint: server.engine!.endpoint }), tableName: LOCAL_TABLE_NAME };
  let clock = Date.now();
  const now = () => (clock += 47_000);
  const deps = { registry: createRegistryRepository(db, Date.now), deployments: createDeploymentRepository(db), now };
  await record(deps, rolledBackId, 'PENDING', 'execution-started', 'arn:aws:states:eu-west-1:123456789012:execution:cairn-promotion:' + rolledBackId);
  await record(deps, rolledBackId, 'PENDING', 'validated', 'version 3 serves as pyfunc from s3://cairn-artifacts/1/model');
  await record(deps, rolledBackId, 'DEPLOYING', 'endpoint-claimed', 'deploying to cairn-e2e-churn');
  clock += 9 * 60_000;
  await record(deps, rolledBackId, 'ROLLED_BACK', 'rolled-back', 'SageMaker rolled cairn-e2e-churn back to cairn-e2e-churn-cfg-1: alarm churn-p99-latency fired');
  clock = Date.now();
  await record(deps, waitingId, 'PENDING', 'execution-started', 'arn:aws:states:eu-west-1:123456789012:execution:cairn-promotion:' + waitingId);
  await record(deps, waitingId, 'PENDING', 'validated', 'version 3 serves as pyfunc from s3://cairn-artifacts/1/model');
  await awaitApprovalStep(deps, waitingId, 'task-token-of-the-e2e-test');
};

/**
 * Three registered models: `e2e-churn` with four versions in every stage, aliases, tags, a deployment policy and
 * two deployments of version 3; `e2e-fraud` and `e2e-ranker` (the one the test deletes).
 */
export const seedRegistry = async (server: LocalServer): Promise<SeededRegistry> => {
  const client = api(server.url);
  const seed = await seedExperiment(server.url, 'e2e-registry');
  const source = `runs:/${seed.main.runId}/model`;
  await client.post('registered-models/create', {
    name: 'e2e-churn',
    description: 'Predicts **churn** from product usage.\n\n- retrained weekly\n- owner: [risk team](https://example.com/risk)',
    tags: [
      { key: 'team', value: 'risk' },
      { key: 'domain', value: 'customer-retention-and-lifetime-value-north-america' },
    ],
  });
  for (let v = 1; v <= 4; v++) {
    await client.post('model-versions/create', {
      name: 'e2e-churn',
      source,
      run_id: seed.main.runId,
      description: v === 3 ? 'Gradient boosting, **2025** data.' : '',
      tags: v === 3 ? [{ key: 'validated', value: 'yes' }] : v === 4 ? [{ key: 'candidate', value: 'true' }] : [],
    });
  }
  await client.post('model-versions/transition-stage', { name: 'e2e-churn', version: '1', stage: 'Archived', archive_existing_versions: false });
  await client.post('model-versions/transition-stage', { name: 'e2e-churn', version: '2', stage: 'Staging', archive_existing_versions: false });
  // The policy deploys on stage Production and alias champion (its defaults): each move below records a deployment.
  await cairn(server.url, 'POST', 'registered-models/deployment-policy', { name: 'e2e-churn', endpoint_name: 'cairn-e2e-churn' });
  await client.post('model-versions/transition-stage', { name: 'e2e-churn', version: '3', stage: 'Production', archive_existing_versions: false });
  const [rolledBack] = (await cairn<{ deployments: { deployment_id: string }[] }>(server.url, 'GET', 'deployments/list', { name: 'e2e-churn' })).deployments;
  await client.post('registered-models/alias', { name: 'e2e-churn', alias: 'champion', version: '3' });
  await client.post('registered-models/alias', { name: 'e2e-churn', alias: 'challenger', version: '4' });
  const listed = (await cairn<{ deployments: { deployment_id: string }[] }>(server.url, 'GET', 'deployments/list', { name: 'e2e-churn' })).deployments;
  const waiting = listed.find((d) => d.deployment_id !== rolledBack!.deployment_id)!;
  await replaySteps(server, rolledBack!.deployment_id, waiting.deployment_id);

  await client.post('registered-models/create', { name: 'e2e-fraud', tags: [{ key: 'team', value: 'payments' }] });
  await client.post('model-versions/create', { name: 'e2e-fraud', source, run_id: seed.main.runId });
  await client.post('registered-models/create', { name: 'e2e-ranker' });
  await client.post('model-versions/create', { name: 'e2e-ranker', source, run_id: seed.main.runId });
  return { experimentId: seed.experimentId, runId: seed.main.runId, runName: seed.main.name, rolledBackId: rolledBack!.deployment_id, waitingId: waiting.deployment_id };
};
