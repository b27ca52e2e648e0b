import type { Requirement } from '../../../shared/domain/auth/policy.js';
import { allows } from '../../../shared/domain/auth/permissions.js';
import type { FuzzRoute } from '../../fuzz/routes.js';
import { objectKeys } from '../../fuzz/zod-arbitrary.js';
import { DEFAULT_PERMISSION, PASSWORD, queryOf, WORLD_GRANTS, type CallerName, type Decision, type MatrixClient, type SentRequest } from './matrix-server.js';

/**
 * The authorization matrix's world and requests. A world is one experiment with a run, an artifact and a
 * logged model, and one registered model with a version and the alias `champion` (and, when asked, a
 * deployment and a signed download URL), each caller holding its WORLD_GRANTS grant on both. Requests are
 * built from a route's own fields (the fuzzer's table of schemas, test/fuzz/routes.ts), each field naming the
 * world's resources, never from the decision table they are checked against.
 */

const M = '/api/2.0/mlflow';
const C = '/api/2.0/cairn';
const P = '/api/2.0/mlflow-artifacts';

export interface World {
  readonly n: number;
  readonly experimentId: string;
  readonly experimentName: string;
  readonly runId: string;
  /** The artifact's key in the store: `<experiment>/<run>/artifacts/file.txt`. */
  readonly artifactKey: string;
  readonly loggedModelId: string;
  /** A trace of the world's experiment, with one assessment. */
  readonly traceId: string;
  readonly assessmentId: string;
  readonly modelName: string;
  readonly modelId: string;
  readonly deploymentId?: string;
  /** Path and query of a signed download URL of the artifact. */
  readonly signedPath?: string;
  /** A user the requests act on (permissions, users/*): nobody who sends them. */
  readonly subject: string;
}

/** What is made once per server: a webhook and a role (admin-only routes name them). */
export interface Shared {
  readonly webhookId: string;
  readonly roleId: number;
}

export const makeShared = async (server: MatrixClient): Promise<Shared> => {
  const webhook = await server.must('POST', `${M}/webhooks`, { name: 'matrix-hook', url: 'https://hooks.example.com/m', events: [{ entity: 'MODEL_VERSION', action: 'CREATED' }] });
  const role = await server.must('POST', '/api/3.0/mlflow/roles/create', { name: 'matrix-role' });
  // `other` manages an experiment and a model of its own, and nothing of any world.
  const experiment = await server.must('POST', `${M}/experiments/create`, { name: 'others-experiment' });
  await server.must('POST', `${M}/registered-models/create`, { name: 'others-model' });
  const model = await server.deps.registry.getModelByName('others-model');
  const other = server.users.get('other')!;
  await server.grant(other, { kind: 'experiment', id: experiment.experiment_id }, 'MANAGE');
  await server.grant(other, { kind: 'registered_model', id: model!.modelId }, 'MANAGE');
  return { webhookId: webhook.webhook.webhook_id, roleId: role.role.id };
};

let worlds = 0;

export const makeWorld = async (server: MatrixClient, needs: { deployment?: boolean; signedUrl?: boolean } = {}): Promise<World> => {
  const n = ++worlds;
  const experimentName = `matrix-${n}`;
  const modelName = `matrix-model-${n}`;
  const experimentId: string = (await server.must('POST', `${M}/experiments/create`, { name: experimentName })).experiment_id;
  const runId: string = (await server.must('POST', `${M}/runs/create`, { experiment_id: experimentId })).run.info.run_id;
  const artifactKey = `${experimentId}/${runId}/artifacts/file.txt`;
  const put = await server.send('admin', { method: 'PUT', path: `${P}/artifacts/${artifactKey}`, body: 'hello', contentType: 'application/octet-stream' });
  if (put.status !== 200) throw new Error(`artifact upload answered ${put.status}`);
  const loggedModelId: string = (await server.must('POST', `${M}/logged-models`, { experiment_id: experimentId, name: 'lm', source_run_id: runId })).model.info.model_id;
  const traceId = `tr-matrix${String(n).padStart(8, '0')}`;
  await server.must('POST', '/api/3.0/mlflow/traces', {
    trace: {
      trace_info: {
        trace_id: traceId,
        trace_location: { type: 'MLFLOW_EXPERIMENT', mlflow_experiment: { experiment_id: experimentId } },
        request_time: '2025-03-04T05:06:07.890Z',
        execution_duration: '1.500s',
        state: 'OK',
        trace_metadata: {},
        tags: {},
      },
    },
  });
  const assessmentId: string = (
    await server.must('POST', `/api/3.0/mlflow/traces/${traceId}/assessments`, {
      assessment: { trace_id: traceId, assessment_name: 'correctness', source: { source_type: 'HUMAN', source_id: 'matrix' }, feedback: { value: true } },
    })
  ).assessment.assessment_id;
  await server.must('POST', `${M}/registered-models/create`, { name: modelName });
  await server.must('POST', `${M}/model-versions/create`, { name: modelName, source: `runs:/${runId}/model`, run_id: runId });
  if (needs.deployment) {
    await server.must('POST', `${C}/registered-models/deployment-policy`, {
      name: modelName,
      aliases: ['champion'],
      endpoint_name: `cairn-matrix-${n}`,
      instance_type: 'ml.m5.large',
      approval_required: true,
    });
  }
  await server.must('POST', `${M}/registered-models/alias`, { name: modelName, alias: 'champion', version: '1' });
  const deploymentId: string | undefined = needs.deployment
    ? (await server.must('GET', `${C}/deployments/list`, { name: modelName })).deployments?.[0]?.deployment_id
    : undefined;
  const signed: string | undefined = needs.signedUrl
    ? (await server.must('POST', `${M}/artifacts/presigned-download-url`, { run_id: runId, path: 'file.txt' })).presigned_url
    : undefined;
  const modelId = (await server.deps.registry.getModelByName(modelName))!.modelId;
  for (const [caller, permission] of Object.entries(WORLD_GRANTS)) {
    const user = server.users.get(caller)!;
    await server.grant(user, { kind: 'experiment', id: experimentId }, permission);
    await server.grant(user, { kind: 'registered_model', id: modelId }, permission);
  }
  const subject = `subject-${n}`;
  await server.makeUser(subject);
  return {
    n,
    experimentId,
    experimentName,
    runId,
    artifactKey,
    loggedModelId,
    traceId,
    assessmentId,
    modelName,
    modelId,
    ...(deploymentId ? { deploymentId } : {}),
    ...(signed ? { signedPath: new URL(signed).pathname + new URL(signed).search } : {}),
    subject,
  };
};

/** The value of each field a route may take, naming the world's resources. */
const fieldValues = (world: World, shared: Shared, route: FuzzRoute, username: string): Record<string, unknown> => ({
  experiment_id: world.experimentId,
  experiment_ids: [world.experimentId],
  experiment_name: world.experimentName,
  run_id: world.runId,
  run_uuid: world.runId,
  run_ids: [world.runId],
  source_run_id: world.runId,
  model_id: world.loggedModelId,
  trace_id: world.traceId,
  request_id: world.traceId,
  trace_ids: [world.traceId],
  request_ids: [world.traceId],
  assessment_id: world.assessmentId,
  name: world.modelName,
  version: '1',
  alias: 'champion',
  stage: 'Staging',
  key: 't',
  value: 'v',
  metric_key: 'm',
  artifact_file_path: 'file.txt',
  // A proxied route's path is a store key; everywhere else it is relative to the run or version.
  path: route.pools?.path === 'proxyPath' || route.path.startsWith(`${P}/mpu/`) ? world.artifactKey : 'file.txt',
  num_parts: 1,
  upload_id: 'upload',
  source: `runs:/${world.runId}/model`,
  // A folder inside the world's experiment: whoever puts a new experiment there writes into its files.
  artifact_location: `mlflow-artifacts:/${world.experimentId}/nested`,
  deployment_id: world.deploymentId ?? 'none',
  model: `models:/${world.modelName}@champion`,
  username,
  password: PASSWORD,
  is_admin: false,
  permission: 'READ',
  role_id: shared.roleId,
  max_results: 10,
});

/** The request a client sends to `route` about the world, with `username` in a `username` field. */
export const requestFor = (route: FuzzRoute, world: World, shared: Shared, username: string): SentRequest => {
  const method = route.method === 'ALL' ? 'GET' : route.method;
  const values = fieldValues(world, shared, route, username);
  const keys = route.schema ? objectKeys(route.schema) : [];
  // A presigned URL is for a run or a logged model, not both: the run (escalation.test.ts tries the model).
  const named = keys.includes('run_id') ? keys.filter((key) => key !== 'model_id') : keys;
  const fields = Object.fromEntries(named.filter((key) => key in values).map((key) => [key, values[key]]));
  const star = route.path.startsWith('/_cairn/') ? (world.signedPath ?? '').replace(/^\/_cairn\/artifact-store\//, '') : world.artifactKey;
  const path = route.path
    .replace(':model_id', world.loggedModelId)
    .replace(':trace_id', world.traceId)
    .replace(':request_id', world.traceId)
    .replace(':assessment_id', world.assessmentId)
    .replace(':webhook_id', shared.webhookId)
    .replace(':tag_key', 't')
    .replace('*', star);
  if (route.path.startsWith('/_cairn/')) return { method, path };
  const query = route.query ? Object.fromEntries(Object.keys(route.query).map((key) => [key, values[key]])) : undefined;
  if (method === 'GET') return { method, path: `${path}${queryOf({ ...fields, ...query })}` };
  const withQuery = `${path}${query ? queryOf(query) : ''}`;
  if (route.bytes) return { method, path: withQuery, body: 'bytes', contentType: 'application/octet-stream' };
  if (route.query && route.path.endsWith('/serving/invocations')) return { method, path: withQuery, body: { inputs: [[1]] } };
  return { method, path: withQuery, body: fields };
};

/**
 * What the decision point must answer a caller, from the row alone: its kind, and for resource rows each
 * check's level against the caller's grant (the same on the world's experiment and model; the default without
 * one). `self`: a caller named in the row's `username` field.
 */
const heldBy = (caller: CallerName | 'self') => (caller === 'self' ? DEFAULT_PERMISSION : (WORLD_GRANTS[caller] ?? DEFAULT_PERMISSION));

export const expectedDecision = (requirement: Requirement, caller: CallerName | 'self'): Decision => {
  if (requirement.kind === 'public') return 'allowed';
  if (caller === 'anonymous' || caller === 'unknown') return 'unauthenticated';
  if (caller === 'admin') return 'allowed';
  switch (requirement.kind) {
    case 'signed-in':
      return 'allowed';
    // Every caller here is a user, who may create (and then manage what she made), where its checks pass.
    case 'creator':
      return (requirement.checks ?? []).every((check) => allows(heldBy(caller), check.level)) ? 'allowed' : 'denied';
    case 'admin':
      return 'denied';
    case 'self-or-admin':
      return caller === 'self' ? 'allowed' : 'denied';
    case 'resources':
      return requirement.checks.every((check) => allows(heldBy(caller), check.level)) ? 'allowed' : 'denied';
  }
};
