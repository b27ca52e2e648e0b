import type { Check, Requirement, Target } from '../../../shared/domain/auth/policy.js';
import type { Level } from '../../../shared/domain/auth/permissions.js';

/**
 * The decision table: every route of the app (as Hono registers it, under `/api/...`; the `/ajax-api/...` twins
 * read the same rows) with what it needs. A route missing here is refused to everyone, admins included, and
 * test/unit/api/route-policy.test.ts fails on it. Levels follow MLflow's auth app (mlflow/server/auth,
 * BEFORE_REQUEST_HANDLERS) where it has the route, closing what it leaves open (auth.md section 3): model-version
 * search, the artifact listing, multipart uploads, log-inputs and outputs are checked like their neighbours.
 */

const M = '/api/2.0/mlflow';
const P = '/api/2.0/mlflow-artifacts';
const C = '/api/2.0/cairn';
const M3 = '/api/3.0/mlflow';

const on = (target: Target, level: Level): Check => ({ target, level });
const need = (...checks: Check[]): Requirement => ({ kind: 'resources', checks });

const experimentField = (level: Level) => need(on({ kind: 'experiment', field: 'experiment_id' }, level));
const run = (level: Level) => need(on({ kind: 'run', fields: ['run_id', 'run_uuid'] }, level));
const model = (level: Level) => need(on({ kind: 'registered-model', field: 'name' }, level));
const loggedModel = (level: Level) => need(on({ kind: 'logged-model', param: 'model_id' }, level));
const trace = (level: Level) => need(on({ kind: 'trace', param: 'trace_id' }, level));
/** The path is in the URL; the body is the file's bytes, left unread for the handler to stream. */
const proxied = (after: string, level: Level): Requirement => ({ kind: 'resources', checks: [on({ kind: 'artifact-path', after }, level)], fieldsFrom: 'query' });

const SIGNED_IN: Requirement = { kind: 'signed-in' };
/** Creations: any user (who then manages what they made); an unmapped IAM principal only with EDIT by default. */
const CREATOR: Requirement = { kind: 'creator' };
/** Searches answer only what the caller may read: the handler filters before paging (accessOf). */
const FILTERED: Requirement = { kind: 'signed-in', why: 'the handler filters the answer by what the caller may read' };
const ADMIN: Requirement = { kind: 'admin' };
const experimentsField = (level: Level) => need(on({ kind: 'experiments', field: 'experiment_ids' }, level));
/** Evaluation datasets are nobody's in MLflow's auth app: any signed-in caller, as there. */
const DATASET: Requirement = { kind: 'signed-in', why: "MLflow 3.6's auth app checks no evaluation dataset route; a dataset is shared, not an experiment's" };

export const ROUTE_POLICY: Readonly<Record<string, Requirement>> = {
  'GET /health': { kind: 'public', why: 'load balancers and uptime checks' },
  'ALL /_cairn/artifact-store/*': { kind: 'public', why: 'signed URLs: the signature, made only after the check, is the authorization' },
  // The MLflow client asks for it to learn what the server speaks; the gateway serves it without its authorizer.
  'GET /version': { kind: 'public', why: "the server's MLflow version, nothing of anyone's" },
  'ALL /graphql': SIGNED_IN,

  // Experiments
  // An artifact location in Cairn's store inside another experiment's folder would let the creator's runs write
  // into that experiment's files: it needs EDIT there.
  [`POST ${M}/experiments/create`]: { kind: 'creator', checks: [on({ kind: 'store-location', field: 'artifact_location' }, 'EDIT')] },
  [`GET ${M}/experiments/get`]: experimentField('READ'),
  [`GET ${M}/experiments/get-by-name`]: need(on({ kind: 'experiment-by-name', field: 'experiment_name' }, 'READ')),
  [`POST ${M}/experiments/search`]: FILTERED,
  [`GET ${M}/experiments/search`]: FILTERED,
  [`POST ${M}/experiments/update`]: experimentField('EDIT'),
  [`POST ${M}/experiments/delete`]: experimentField('MANAGE'),
  [`POST ${M}/experiments/restore`]: experimentField('MANAGE'),
  [`POST ${M}/experiments/set-experiment-tag`]: experimentField('EDIT'),
  [`POST ${M}/experiments/delete-experiment-tag`]: experimentField('EDIT'),
  [`POST ${M}/experiments/search-datasets`]: need(on({ kind: 'experiments', field: 'experiment_ids' }, 'READ')),

  // Runs
  // Without an experiment_id a run goes to the Default experiment (as in MLflow), which is checked then.
  [`POST ${M}/runs/create`]: need(on({ kind: 'experiment', field: 'experiment_id', orDefault: '0' }, 'EDIT')),
  [`GET ${M}/runs/get`]: run('READ'),
  [`POST ${M}/runs/update`]: run('EDIT'),
  [`POST ${M}/runs/delete`]: run('MANAGE'),
  [`POST ${M}/runs/restore`]: run('MANAGE'),
  [`POST ${M}/runs/set-tag`]: run('EDIT'),
  [`POST ${M}/runs/delete-tag`]: run('EDIT'),
  [`POST ${M}/runs/log-parameter`]: run('EDIT'),
  [`POST ${M}/runs/log-metric`]: run('EDIT'),
  [`POST ${M}/runs/log-batch`]: run('EDIT'),
  // MLflow leaves these two unchecked (auth.json's README); they write to the run like log-batch.
  [`POST ${M}/runs/log-inputs`]: run('EDIT'),
  [`POST ${M}/runs/outputs`]: run('EDIT'),
  [`POST ${M}/runs/search`]: FILTERED,
  [`GET ${M}/metrics/get-history`]: run('READ'),
  [`GET ${M}/metrics/get-history-bulk-interval`]: need(on({ kind: 'runs', field: 'run_ids' }, 'READ')),
  [`GET ${M}/metrics/get-history-bulk`]: need(on({ kind: 'runs', field: 'run_id' }, 'READ')),

  // Logged models
  [`POST ${M}/logged-models`]: need(
    on({ kind: 'experiment', field: 'experiment_id' }, 'EDIT'),
    on({ kind: 'run', fields: ['source_run_id'] }, 'READ'),
  ),
  [`POST ${M}/logged-models/search`]: FILTERED,
  [`GET ${M}/logged-models/:model_id`]: loggedModel('READ'),
  [`PATCH ${M}/logged-models/:model_id`]: loggedModel('EDIT'),
  [`DELETE ${M}/logged-models/:model_id`]: loggedModel('MANAGE'),
  [`PATCH ${M}/logged-models/:model_id/tags`]: loggedModel('EDIT'),
  [`DELETE ${M}/logged-models/:model_id/tags/:tag_key`]: loggedModel('MANAGE'),
  [`POST ${M}/logged-models/:model_id/params`]: loggedModel('EDIT'),
  [`GET ${M}/logged-models/:model_id/artifacts/directories`]: loggedModel('READ'),
  [`GET ${M}/logged-models/:model_id/artifacts/files`]: loggedModel('READ'),

  // MLflow 3 trace search and assessments: checked as MLflow's auth app checks them (validate_can_read_traces_*,
  // validate_can_update_trace), on the trace's experiment.
  [`GET ${M}/traces`]: need(on({ kind: 'experiments', field: 'experiment_ids' }, 'READ')),
  // SearchTracesV3 names its experiments inside `locations`: the handler drops those the caller may not read.
  [`POST ${M3}/traces/search`]: FILTERED,
  [`POST ${M3}/traces/calculate-filter-correlation`]: need(on({ kind: 'experiments', field: 'experiment_ids' }, 'READ')),
  [`POST ${M3}/traces/:trace_id/assessments`]: trace('EDIT'),
  [`GET ${M3}/traces/:trace_id/assessments/:assessment_id`]: trace('READ'),
  [`PATCH ${M3}/traces/:trace_id/assessments/:assessment_id`]: trace('EDIT'),
  [`DELETE ${M3}/traces/:trace_id/assessments/:assessment_id`]: trace('EDIT'),

  // MLflow 3 traces (traces.ts, otlp.ts): checked on the trace's experiment, as MLflow's auth app checks them.
  // StartTraceV3 names its experiment deep in the body and /v1/traces in a header: their handlers check EDIT on it.
  [`POST ${M3}/traces`]: { kind: 'signed-in', why: 'the handler checks EDIT on trace_info.trace_location.mlflow_experiment' },
  'POST /v1/traces': { kind: 'signed-in', why: 'the handler checks EDIT on the experiment of the x-mlflow-experiment-id header' },
  [`POST ${M}/traces`]: experimentField('EDIT'),
  [`PATCH ${M}/traces/:request_id`]: need(on({ kind: 'trace', param: 'request_id' }, 'EDIT')),
  [`GET ${M}/traces/:request_id/info`]: need(on({ kind: 'trace', param: 'request_id' }, 'READ')),
  [`PATCH ${M}/traces/:request_id/tags`]: need(on({ kind: 'trace', param: 'request_id' }, 'EDIT')),
  [`DELETE ${M}/traces/:request_id/tags`]: need(on({ kind: 'trace', param: 'request_id' }, 'EDIT')),
  [`POST ${M}/traces/delete-traces`]: experimentField('MANAGE'),
  [`POST ${M}/traces/link-to-run`]: need(on({ kind: 'run', fields: ['run_id'] }, 'EDIT')),
  // The web UI's download (MLflow serves it under /ajax-api only).
  [`GET ${M}/get-trace-artifact`]: need(on({ kind: 'trace', field: 'request_id' }, 'READ')),
  [`GET ${M3}/traces/:trace_id`]: trace('READ'),
  [`GET ${M3}/traces/get`]: need(on({ kind: 'trace', field: 'trace_id' }, 'READ')),
  [`GET ${M3}/traces/batchGet`]: FILTERED,
  [`PATCH ${M3}/traces/:trace_id/tags`]: trace('EDIT'),
  [`DELETE ${M3}/traces/:trace_id/tags`]: trace('EDIT'),
  [`POST ${M3}/traces/delete-traces`]: experimentField('MANAGE'),

  // Registered models and versions
  [`POST ${M}/registered-models/create`]: CREATOR,
  [`GET ${M}/registered-models/get`]: model('READ'),
  [`POST ${M}/registered-models/rename`]: model('EDIT'),
  [`PATCH ${M}/registered-models/update`]: model('EDIT'),
  [`DELETE ${M}/registered-models/delete`]: model('MANAGE'),
  [`GET ${M}/registered-models/search`]: FILTERED,
  [`POST ${M}/registered-models/get-latest-versions`]: model('READ'),
  [`GET ${M}/registered-models/get-latest-versions`]: model('READ'),
  [`POST ${M}/registered-models/set-tag`]: model('EDIT'),
  [`DELETE ${M}/registered-models/delete-tag`]: model('EDIT'),
  [`POST ${M}/registered-models/alias`]: model('EDIT'),
  [`DELETE ${M}/registered-models/alias`]: model('MANAGE'),
  [`GET ${M}/registered-models/alias`]: model('READ'),
  // Registering files is reading them: a version's artifacts are served to whoever reads the model, so its
  // source (and run and logged model) must be readable by whoever registers it.
  [`POST ${M}/model-versions/create`]: need(
    on({ kind: 'registered-model', field: 'name' }, 'EDIT'),
    on({ kind: 'version-source', field: 'source' }, 'READ'),
    on({ kind: 'run', fields: ['run_id'] }, 'READ'),
    on({ kind: 'logged-model', field: 'model_id' }, 'READ'),
  ),
  [`GET ${M}/model-versions/get`]: model('READ'),
  [`PATCH ${M}/model-versions/update`]: model('EDIT'),
  [`DELETE ${M}/model-versions/delete`]: model('MANAGE'),
  [`POST ${M}/model-versions/transition-stage`]: model('EDIT'),
  [`GET ${M}/model-versions/search`]: FILTERED,
  [`GET ${M}/model-versions/get-download-uri`]: model('READ'),
  [`POST ${M}/model-versions/set-tag`]: model('EDIT'),
  [`DELETE ${M}/model-versions/delete-tag`]: model('MANAGE'),

  // Artifacts
  [`GET ${M}/artifacts/list`]: run('READ'),
  [`POST ${M}/artifacts/presigned-upload-url`]: need(on({ kind: 'artifact-owner' }, 'EDIT')),
  [`POST ${M}/artifacts/presigned-download-url`]: need(on({ kind: 'artifact-owner' }, 'READ')),
  [`POST ${M}/upload-artifact`]: { ...run('EDIT'), fieldsFrom: 'query' } as Requirement,
  [`GET ${P}/artifacts`]: need(on({ kind: 'artifact-path', field: 'path' }, 'READ')),
  [`GET ${P}/artifacts/*`]: proxied(`${P}/artifacts/`, 'READ'),
  [`PUT ${P}/artifacts/*`]: proxied(`${P}/artifacts/`, 'EDIT'),
  [`DELETE ${P}/artifacts/*`]: proxied(`${P}/artifacts/`, 'MANAGE'),
  [`POST ${P}/mpu/create/*`]: proxied(`${P}/mpu/create/`, 'EDIT'),
  [`POST ${P}/mpu/complete/*`]: proxied(`${P}/mpu/complete/`, 'EDIT'),
  [`POST ${P}/mpu/abort/*`]: proxied(`${P}/mpu/abort/`, 'EDIT'),
  'GET /get-artifact': run('READ'),
  'GET /model-versions/get-artifact': model('READ'),

  // MLflow 3 evaluation datasets. MLflow 3.6's auth app checks none of these: a dataset is shared, associated with
  // any number of experiments. Where a request names experiments, Cairn checks them as it checks run searches
  // (READ) and writes (EDIT): associating a dataset with an experiment changes what the experiment shows.
  [`POST ${M3}/datasets/create`]: experimentsField('EDIT'),
  [`GET ${M3}/datasets/search`]: experimentsField('READ'),
  [`POST ${M3}/datasets/search`]: experimentsField('READ'),
  [`GET ${M3}/datasets/:dataset_id`]: DATASET,
  [`DELETE ${M3}/datasets/:dataset_id`]: DATASET,
  [`PATCH ${M3}/datasets/:dataset_id/tags`]: DATASET,
  [`DELETE ${M3}/datasets/:dataset_id/tags/:key`]: DATASET,
  [`POST ${M3}/datasets/:dataset_id/records`]: DATASET,
  [`GET ${M3}/datasets/:dataset_id/records`]: DATASET,
  [`GET ${M3}/datasets/:dataset_id/experiment-ids`]: DATASET,
  [`POST ${M3}/datasets/:dataset_id/add-experiments`]: experimentsField('EDIT'),
  [`POST ${M3}/datasets/:dataset_id/remove-experiments`]: experimentsField('EDIT'),
  // Registered scorers belong to their experiment (MLflow's auth app: ListScorers read, RegisterScorer update).
  [`POST ${M3}/scorers/register`]: experimentField('EDIT'),
  [`GET ${M3}/scorers/list`]: experimentField('READ'),
  [`GET ${M3}/scorers/versions`]: experimentField('READ'),
  [`GET ${M3}/scorers/get`]: experimentField('READ'),
  [`DELETE ${M3}/scorers/delete`]: experimentField('MANAGE'),

  // Webhooks: server-wide, with secrets: admins only (MLflow 3.6's auth app let any user list them).
  [`POST ${M}/webhooks`]: ADMIN,
  [`GET ${M}/webhooks`]: ADMIN,
  [`GET ${M}/webhooks/:webhook_id`]: ADMIN,
  [`PATCH ${M}/webhooks/:webhook_id`]: ADMIN,
  [`DELETE ${M}/webhooks/:webhook_id`]: ADMIN,
  [`POST ${M}/webhooks/:webhook_id/test`]: ADMIN,
  [`GET ${C}/webhooks/:webhook_id/deliveries`]: ADMIN,

  // Cairn's own
  [`GET ${C}/registered-models/events`]: model('READ'),
  [`POST ${C}/metrics/history-buckets`]: need(on({ kind: 'runs', field: 'run_ids' }, 'READ')),
  [`POST ${C}/runs/search`]: FILTERED,
  [`POST ${C}/registered-models/deployment-policy`]: model('MANAGE'),
  [`GET ${C}/registered-models/deployment-policy`]: model('READ'),
  [`DELETE ${C}/registered-models/deployment-policy`]: model('MANAGE'),
  [`GET ${C}/deployments/list`]: model('READ'),
  [`GET ${C}/deployments/get`]: need(on({ kind: 'deployment', field: 'deployment_id' }, 'READ')),
  // Approving puts a version in front of production traffic: the model's managers decide.
  [`POST ${C}/deployments/approve`]: need(on({ kind: 'deployment', field: 'deployment_id' }, 'MANAGE')),
  [`POST ${C}/deployments/reject`]: need(on({ kind: 'deployment', field: 'deployment_id' }, 'MANAGE')),
  [`POST ${C}/serving/invocations`]: { kind: 'resources', checks: [on({ kind: 'model-uri', field: 'model' }, 'READ')], fieldsFrom: 'query' },

  // MLflow's auth API: who may call it is MLflow's rule (validate_can_* in mlflow/server/auth).
  [`POST ${M}/users/create`]: ADMIN,
  [`GET ${M}/users/get`]: { kind: 'self-or-admin', field: 'username' },
  [`PATCH ${M}/users/update-password`]: { kind: 'self-or-admin', field: 'username' },
  [`PATCH ${M}/users/update-admin`]: ADMIN,
  [`DELETE ${M}/users/delete`]: ADMIN,
  [`GET ${M}/users/list`]: ADMIN,
  [`GET ${M}/users/current`]: SIGNED_IN,
  [`POST ${M}/experiments/permissions/create`]: experimentField('MANAGE'),
  [`GET ${M}/experiments/permissions/get`]: experimentField('MANAGE'),
  [`PATCH ${M}/experiments/permissions/update`]: experimentField('MANAGE'),
  [`DELETE ${M}/experiments/permissions/delete`]: experimentField('MANAGE'),
  [`POST ${M}/registered-models/permissions/create`]: model('MANAGE'),
  [`GET ${M}/registered-models/permissions/get`]: model('MANAGE'),
  [`PATCH ${M}/registered-models/permissions/update`]: model('MANAGE'),
  [`DELETE ${M}/registered-models/permissions/delete`]: model('MANAGE'),

  // Groups (MLflow's roles API): admins manage them; a user may list her own.
  ...Object.fromEntries(
    [
      'POST /roles/create',
      'GET /roles/get',
      'GET /roles/list',
      'PATCH /roles/update',
      'DELETE /roles/delete',
      'POST /roles/permissions/add',
      'GET /roles/permissions/list',
      'PATCH /roles/permissions/update',
      'DELETE /roles/permissions/remove',
      'POST /roles/assign',
      'DELETE /roles/unassign',
      'GET /roles/users/list',
    ].map((route) => [route.replace(' /', ` ${M3}/`), ADMIN]),
  ),
  [`GET ${M3}/users/roles/list`]: { kind: 'self-or-admin', field: 'username' },

  // Cairn's principal mappings and audit log: admins only.
  [`POST ${C}/principals/create`]: ADMIN,
  [`GET ${C}/principals/list`]: ADMIN,
  [`DELETE ${C}/principals/delete`]: ADMIN,
  [`GET ${C}/audit/list`]: ADMIN,
  // Names the table and bucket behind the API, for `npm run import` (which writes with the operator's own access).
  [`GET ${C}/import/target`]: ADMIN,
};

/** Where the same rows serve other prefixes: MLflow serves every route under /ajax-api too. */
const ALIASES: readonly (readonly [string, string])[] = [
  ['/ajax-api/2.0/', '/api/2.0/'],
  ['/ajax-api/3.0/', '/api/3.0/'],
];

export const canonicalRoutePath = (path: string): string => {
  for (const [alias, canonical] of ALIASES) if (path.startsWith(alias)) return canonical + path.slice(alias.length);
  return path;
};

export const policyKey = (method: string, routePath: string) => `${method} ${canonicalRoutePath(routePath)}`;

export const requirementOf = (method: string, routePath: string): Requirement | undefined => ROUTE_POLICY[policyKey(method, routePath)];
