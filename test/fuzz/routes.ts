import { z } from 'zod';
import * as A from '../../shared/schemas/artifacts.js';
import * as Auth from '../../shared/schemas/auth.js';
import * as CA from '../../shared/schemas/cairn-auth.js';
import { ImportTargetRequest } from '../../shared/schemas/cairn-import.js';
import * as Roles from '../../shared/schemas/roles.js';
import { HistoryBucketsRequest } from '../../shared/schemas/cairn-metrics.js';
import { Int32, RequiredString } from '../../shared/schemas/common.js';
import * as D from '../../shared/schemas/deployments.js';
import * as R from '../../shared/schemas/registry.js';
import * as T from '../../shared/schemas/tracking.js';
import * as U from '../../shared/schemas/ui-endpoints.js';
import * as W from '../../shared/schemas/webhooks.js';
import * as EvalDatasets from '../../shared/schemas/eval-datasets.js';
import * as Scorers from '../../shared/schemas/scorers.js';
import * as TR from '../../shared/schemas/traces.js';
import * as Asmt from '../../shared/schemas/assessments.js';
import * as TS from '../../shared/schemas/trace-search.js';

/**
 * Every route of the API with the schema of its fields: what the fuzzer generates requests from. A route the
 * app has and this table lacks fails `routeGaps` (checked in the suite), so no new route escapes the fuzzer.
 * GET routes read their fields from the query, the others from a JSON body; `:param` and `*` come from pools.
 */

/** Named sets of values that exist in the seeded table (seed.ts), so generated requests reach past "not found". */
export type Pool =
  | 'experimentId'
  | 'experimentName'
  | 'runId'
  | 'modelName'
  | 'version'
  | 'alias'
  | 'loggedModelId'
  | 'webhookId'
  | 'deploymentId'
  | 'tagKey'
  | 'metricKey'
  | 'pageToken'
  | 'filter'
  | 'orderBy'
  | 'artifactPath'
  | 'proxyPath'
  | 'webhookUrl'
  | 'modelUri'
  | 'username'
  | 'permission'
  | 'roleId'
  | 'rolePermissionId'
  | 'principalId'
  | 'roleArn'
  | 'resourceType';

export interface FuzzRoute {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'ALL';
  /** Path template as the app registers it, under the `/api/...` prefix (aliases: ALIASES). */
  path: string;
  /** The fields the handler validates; absent for routes that take no fields. */
  schema?: z.ZodType;
  /** Pools for fields and path parameters beyond FIELD_POOLS. */
  pools?: Record<string, Pool>;
  /** Fields that travel in the query even when the body is JSON. */
  query?: Record<string, Pool>;
  /** Bytes rather than JSON (artifact uploads). */
  bytes?: true;
}

/** Pools by field name, for every route. */
export const FIELD_POOLS: Record<string, Pool> = {
  experiment_id: 'experimentId',
  experiment_ids: 'experimentId',
  experiment_name: 'experimentName',
  run_id: 'runId',
  run_uuid: 'runId',
  run_ids: 'runId',
  source_run_id: 'runId',
  model_id: 'loggedModelId',
  webhook_id: 'webhookId',
  deployment_id: 'deploymentId',
  version: 'version',
  alias: 'alias',
  key: 'tagKey',
  tag_key: 'tagKey',
  metric_key: 'metricKey',
  metric_keys: 'metricKey',
  page_token: 'pageToken',
  filter: 'filter',
  order_by: 'orderBy',
  path: 'artifactPath',
  '*': 'proxyPath',
  url: 'webhookUrl',
  model: 'modelUri',
  username: 'username',
  permission: 'permission',
  role_id: 'roleId',
  role_permission_id: 'rolePermissionId',
  principal_id: 'principalId',
  arn: 'roleArn',
  resource_type: 'resourceType',
};

const M = '/api/2.0/mlflow';
const C = '/api/2.0/cairn';
const P = '/api/2.0/mlflow-artifacts';
const M3 = '/api/3.0/mlflow';
const model = { name: 'modelName' } as const;
const NoFields = z.object({});

/** The same routes are mounted under these other prefixes. */
export const ALIASES: [string, string][] = [
  ['/ajax-api/2.0/mlflow/', `${M}/`],
  ['/ajax-api/2.0/mlflow-artifacts/', `${P}/`],
  ['/ajax-api/3.0/mlflow/', `${M3}/`],
];

export const ROUTES: FuzzRoute[] = [
  { method: 'GET', path: '/health' },
  { method: 'GET', path: '/version' },
  { method: 'ALL', path: '/graphql' },
  // Experiments
  { method: 'POST', path: `${M}/experiments/create`, schema: T.CreateExperimentRequest },
  { method: 'GET', path: `${M}/experiments/get`, schema: T.GetExperimentRequest },
  { method: 'GET', path: `${M}/experiments/get-by-name`, schema: T.GetExperimentByNameRequest },
  { method: 'POST', path: `${M}/experiments/search`, schema: T.SearchExperimentsRequest },
  { method: 'GET', path: `${M}/experiments/search`, schema: T.SearchExperimentsRequest },
  { method: 'POST', path: `${M}/experiments/update`, schema: T.UpdateExperimentRequest },
  { method: 'POST', path: `${M}/experiments/delete`, schema: T.ExperimentIdRequest },
  { method: 'POST', path: `${M}/experiments/restore`, schema: T.ExperimentIdRequest },
  { method: 'POST', path: `${M}/experiments/set-experiment-tag`, schema: T.SetExperimentTagRequest },
  { method: 'POST', path: `${M}/experiments/delete-experiment-tag`, schema: T.DeleteExperimentTagRequest },
  // Runs and metrics
  { method: 'POST', path: `${M}/runs/create`, schema: T.CreateRunRequest },
  { method: 'GET', path: `${M}/runs/get`, schema: T.RunIdRequest },
  { method: 'POST', path: `${M}/runs/update`, schema: T.UpdateRunRequest },
  { method: 'POST', path: `${M}/runs/delete`, schema: T.RunIdRequest },
  { method: 'POST', path: `${M}/runs/restore`, schema: T.RunIdRequest },
  { method: 'POST', path: `${M}/runs/set-tag`, schema: T.SetTagRequest },
  { method: 'POST', path: `${M}/runs/delete-tag`, schema: T.DeleteTagRequest },
  { method: 'POST', path: `${M}/runs/log-parameter`, schema: T.LogParamRequest },
  { method: 'POST', path: `${M}/runs/log-metric`, schema: T.LogMetricRequest, pools: { key: 'metricKey' } },
  { method: 'POST', path: `${M}/runs/log-batch`, schema: T.LogBatchRequest },
  { method: 'POST', path: `${M}/runs/log-inputs`, schema: T.LogInputsRequest },
  { method: 'POST', path: `${M}/runs/outputs`, schema: T.LogOutputsRequest },
  { method: 'POST', path: `${M}/runs/search`, schema: T.SearchRunsRequest },
  { method: 'GET', path: `${M}/metrics/get-history`, schema: T.GetMetricHistoryRequest },
  { method: 'GET', path: `${M}/metrics/get-history-bulk-interval`, schema: T.GetMetricHistoryBulkIntervalRequest },
  // MLflow's UI endpoints (ui-endpoints.ts)
  { method: 'GET', path: `${M}/metrics/get-history-bulk`, schema: U.GetMetricHistoryBulkRequest },
  { method: 'POST', path: `${M}/experiments/search-datasets`, schema: U.SearchDatasetsRequest },
  { method: 'POST', path: `${M}/upload-artifact`, bytes: true, query: { run_uuid: 'runId', path: 'artifactPath' } },
  {
    method: 'GET',
    path: `${M}/logged-models/:model_id/artifacts/directories`,
    schema: U.ListLoggedModelArtifactsRequest.omit({ model_id: true }),
    pools: { artifact_directory_path: 'artifactPath' },
  },
  {
    method: 'GET',
    path: `${M}/logged-models/:model_id/artifacts/files`,
    schema: U.GetLoggedModelArtifactRequest.omit({ model_id: true }),
    pools: { artifact_file_path: 'artifactPath' },
  },
  // Logged models
  // MLflow 3 trace search and assessments
  { method: 'GET', path: `${M}/traces`, schema: TS.SearchTracesV2Request },
  { method: 'POST', path: `${M3}/traces/search`, schema: TS.SearchTracesV3Request },
  { method: 'POST', path: `${M3}/traces/calculate-filter-correlation`, schema: TS.CalculateFilterCorrelationRequest },
  { method: 'POST', path: `${M3}/traces/:trace_id/assessments`, schema: Asmt.CreateAssessmentRequest },
  { method: 'GET', path: `${M3}/traces/:trace_id/assessments/:assessment_id`, schema: NoFields },
  { method: 'PATCH', path: `${M3}/traces/:trace_id/assessments/:assessment_id`, schema: Asmt.UpdateAssessmentRequest },
  { method: 'DELETE', path: `${M3}/traces/:trace_id/assessments/:assessment_id`, schema: NoFields },
  // MLflow 3 traces
  { method: 'POST', path: '/v1/traces' },
  { method: 'POST', path: `${M3}/traces`, schema: TR.StartTraceV3Request },
  { method: 'POST', path: `${M}/traces`, schema: TR.StartTraceV2Request },
  { method: 'PATCH', path: `${M}/traces/:request_id`, schema: TR.EndTraceV2Request },
  { method: 'GET', path: `${M}/traces/:request_id/info`, schema: NoFields },
  { method: 'PATCH', path: `${M}/traces/:request_id/tags`, schema: TR.SetTraceTagV2Request },
  { method: 'DELETE', path: `${M}/traces/:request_id/tags`, schema: TR.DeleteTraceTagV2Request },
  { method: 'POST', path: `${M}/traces/delete-traces`, schema: TR.DeleteTracesRequest },
  { method: 'POST', path: `${M}/traces/link-to-run`, schema: TR.LinkTracesToRunRequest },
  { method: 'GET', path: `${M}/get-trace-artifact`, schema: TR.GetTraceArtifactRequest },
  { method: 'GET', path: `${M3}/traces/:trace_id`, schema: NoFields },
  { method: 'GET', path: `${M3}/traces/get`, schema: TR.GetTraceRequest },
  { method: 'GET', path: `${M3}/traces/batchGet`, schema: TR.BatchGetTracesRequest },
  { method: 'PATCH', path: `${M3}/traces/:trace_id/tags`, schema: TR.SetTraceTagV3Request },
  { method: 'DELETE', path: `${M3}/traces/:trace_id/tags`, schema: TR.DeleteTraceTagV3Request },
  { method: 'POST', path: `${M3}/traces/delete-traces`, schema: TR.DeleteTracesRequest },
  { method: 'POST', path: `${M}/logged-models`, schema: T.CreateLoggedModelRequest },
  { method: 'POST', path: `${M}/logged-models/search`, schema: T.SearchLoggedModelsRequest },
  { method: 'GET', path: `${M}/logged-models/:model_id`, schema: NoFields },
  { method: 'PATCH', path: `${M}/logged-models/:model_id`, schema: T.FinalizeLoggedModelRequest },
  { method: 'DELETE', path: `${M}/logged-models/:model_id`, schema: NoFields },
  { method: 'PATCH', path: `${M}/logged-models/:model_id/tags`, schema: T.SetLoggedModelTagsRequest },
  { method: 'DELETE', path: `${M}/logged-models/:model_id/tags/:tag_key`, schema: NoFields },
  { method: 'POST', path: `${M}/logged-models/:model_id/params`, schema: T.LogLoggedModelParamsRequest },
  // Registry
  { method: 'POST', path: `${M}/registered-models/create`, schema: R.CreateRegisteredModelRequest },
  { method: 'GET', path: `${M}/registered-models/get`, schema: R.NameRequest, pools: model },
  { method: 'POST', path: `${M}/registered-models/rename`, schema: R.RenameRegisteredModelRequest, pools: model },
  { method: 'PATCH', path: `${M}/registered-models/update`, schema: R.UpdateRegisteredModelRequest, pools: model },
  { method: 'DELETE', path: `${M}/registered-models/delete`, schema: R.NameRequest, pools: model },
  { method: 'GET', path: `${M}/registered-models/search`, schema: R.SearchRequest },
  { method: 'POST', path: `${M}/registered-models/get-latest-versions`, schema: R.GetLatestVersionsRequest, pools: model },
  { method: 'GET', path: `${M}/registered-models/get-latest-versions`, schema: R.GetLatestVersionsRequest, pools: model },
  { method: 'POST', path: `${M}/registered-models/set-tag`, schema: R.SetRegisteredModelTagRequest, pools: model },
  { method: 'DELETE', path: `${M}/registered-models/delete-tag`, schema: R.DeleteRegisteredModelTagRequest, pools: model },
  { method: 'POST', path: `${M}/registered-models/alias`, schema: R.SetAliasRequest, pools: model },
  { method: 'DELETE', path: `${M}/registered-models/alias`, schema: R.AliasRequest, pools: model },
  { method: 'GET', path: `${M}/registered-models/alias`, schema: R.AliasRequest, pools: model },
  { method: 'POST', path: `${M}/model-versions/create`, schema: R.CreateModelVersionRequest, pools: { ...model, source: 'artifactPath' } },
  { method: 'GET', path: `${M}/model-versions/get`, schema: R.VersionRequest, pools: model },
  { method: 'PATCH', path: `${M}/model-versions/update`, schema: R.UpdateModelVersionRequest, pools: model },
  { method: 'DELETE', path: `${M}/model-versions/delete`, schema: R.VersionRequest, pools: model },
  { method: 'POST', path: `${M}/model-versions/transition-stage`, schema: R.TransitionStageRequest, pools: model },
  { method: 'GET', path: `${M}/model-versions/search`, schema: R.SearchRequest },
  { method: 'GET', path: `${M}/model-versions/get-download-uri`, schema: R.VersionRequest, pools: model },
  { method: 'POST', path: `${M}/model-versions/set-tag`, schema: R.SetModelVersionTagRequest, pools: model },
  { method: 'DELETE', path: `${M}/model-versions/delete-tag`, schema: R.DeleteModelVersionTagRequest, pools: model },
  // Artifacts
  { method: 'GET', path: `${M}/artifacts/list`, schema: A.ListRunArtifactsRequest },
  { method: 'POST', path: `${M}/artifacts/presigned-upload-url`, schema: A.PresignedUrlRequest },
  { method: 'POST', path: `${M}/artifacts/presigned-download-url`, schema: A.PresignedUrlRequest },
  { method: 'GET', path: `${P}/artifacts`, schema: A.ListArtifactsRequest, pools: { path: 'proxyPath' } },
  { method: 'GET', path: `${P}/artifacts/*` },
  { method: 'PUT', path: `${P}/artifacts/*`, bytes: true },
  { method: 'DELETE', path: `${P}/artifacts/*` },
  { method: 'POST', path: `${P}/mpu/create/*`, schema: A.CreateMultipartUploadRequest },
  { method: 'POST', path: `${P}/mpu/complete/*`, schema: A.CompleteMultipartUploadRequest },
  { method: 'POST', path: `${P}/mpu/abort/*`, schema: A.AbortMultipartUploadRequest },
  { method: 'GET', path: '/get-artifact', schema: A.GetRunArtifactRequest },
  { method: 'GET', path: '/model-versions/get-artifact', schema: R.GetModelVersionArtifactRequest, pools: model },
  { method: 'ALL', path: '/_cairn/artifact-store/*', pools: { '*': 'artifactPath' }, bytes: true },
  // MLflow 3 evaluation datasets and scorers (path parameters travel in the URL)
  { method: 'POST', path: `${M3}/datasets/create`, schema: EvalDatasets.CreateDatasetRequest },
  { method: 'GET', path: `${M3}/datasets/search`, schema: EvalDatasets.SearchDatasetsRequest },
  { method: 'POST', path: `${M3}/datasets/search`, schema: EvalDatasets.SearchDatasetsRequest },
  { method: 'GET', path: `${M3}/datasets/:dataset_id`, schema: NoFields },
  { method: 'DELETE', path: `${M3}/datasets/:dataset_id`, schema: NoFields },
  { method: 'PATCH', path: `${M3}/datasets/:dataset_id/tags`, schema: EvalDatasets.SetDatasetTagsRequest.omit({ dataset_id: true }) },
  { method: 'DELETE', path: `${M3}/datasets/:dataset_id/tags/:key`, schema: NoFields },
  { method: 'POST', path: `${M3}/datasets/:dataset_id/records`, schema: EvalDatasets.UpsertDatasetRecordsRequest.omit({ dataset_id: true }) },
  { method: 'GET', path: `${M3}/datasets/:dataset_id/records`, schema: EvalDatasets.GetDatasetRecordsRequest.omit({ dataset_id: true }) },
  { method: 'GET', path: `${M3}/datasets/:dataset_id/experiment-ids`, schema: NoFields },
  { method: 'POST', path: `${M3}/datasets/:dataset_id/add-experiments`, schema: EvalDatasets.DatasetExperimentsRequest.omit({ dataset_id: true }) },
  { method: 'POST', path: `${M3}/datasets/:dataset_id/remove-experiments`, schema: EvalDatasets.DatasetExperimentsRequest.omit({ dataset_id: true }) },
  { method: 'POST', path: `${M3}/scorers/register`, schema: Scorers.RegisterScorerRequest },
  { method: 'GET', path: `${M3}/scorers/list`, schema: Scorers.ListScorersRequest },
  { method: 'GET', path: `${M3}/scorers/versions`, schema: Scorers.ScorerNameRequest },
  { method: 'GET', path: `${M3}/scorers/get`, schema: Scorers.ScorerVersionRequest },
  { method: 'DELETE', path: `${M3}/scorers/delete`, schema: Scorers.ScorerVersionRequest },
  // Webhooks
  { method: 'POST', path: `${M}/webhooks`, schema: W.CreateWebhookRequest },
  { method: 'GET', path: `${M}/webhooks`, schema: W.ListWebhooksRequest },
  { method: 'GET', path: `${M}/webhooks/:webhook_id`, schema: NoFields },
  { method: 'PATCH', path: `${M}/webhooks/:webhook_id`, schema: W.UpdateWebhookRequest.omit({ webhook_id: true }) },
  { method: 'DELETE', path: `${M}/webhooks/:webhook_id`, schema: NoFields },
  { method: 'POST', path: `${M}/webhooks/:webhook_id/test`, schema: W.TestWebhookRequest.omit({ webhook_id: true }) },
  // Cairn's own routes
  { method: 'GET', path: `${C}/registered-models/events`, schema: z.object({ name: RequiredString }), pools: model },
  { method: 'POST', path: `${C}/metrics/history-buckets`, schema: HistoryBucketsRequest },
  { method: 'POST', path: `${C}/runs/search`, schema: T.SearchRunsRequest },
  { method: 'GET', path: `${C}/webhooks/:webhook_id/deliveries`, schema: z.object({ max_results: Int32.optional() }) },
  { method: 'POST', path: `${C}/registered-models/deployment-policy`, schema: D.SetDeploymentPolicyRequest, pools: model },
  { method: 'GET', path: `${C}/registered-models/deployment-policy`, schema: D.ModelNameRequest, pools: model },
  { method: 'DELETE', path: `${C}/registered-models/deployment-policy`, schema: D.ModelNameRequest, pools: model },
  { method: 'GET', path: `${C}/deployments/list`, schema: D.ListDeploymentsRequest, pools: model },
  { method: 'GET', path: `${C}/deployments/get`, schema: D.DeploymentIdRequest },
  { method: 'POST', path: `${C}/deployments/approve`, schema: D.DecideDeploymentRequest },
  { method: 'POST', path: `${C}/deployments/reject`, schema: D.DecideDeploymentRequest },
  // `model` travels in the query, the scoring payload in the body.
  { method: 'POST', path: `${C}/serving/invocations`, schema: z.object({ inputs: z.array(z.array(z.number())) }), query: { model: 'modelUri' } },
  // MLflow's auth API: users and per-resource permissions (the fuzzer calls as an admin, so these run)
  { method: 'POST', path: `${M}/users/create`, schema: Auth.CreateUserRequest },
  { method: 'GET', path: `${M}/users/get`, schema: Auth.UsernameRequest },
  { method: 'PATCH', path: `${M}/users/update-password`, schema: Auth.UpdatePasswordRequest },
  { method: 'PATCH', path: `${M}/users/update-admin`, schema: Auth.UpdateAdminRequest },
  { method: 'DELETE', path: `${M}/users/delete`, schema: Auth.UsernameRequest },
  { method: 'GET', path: `${M}/users/list`, schema: Auth.NoFields },
  { method: 'GET', path: `${M}/users/current`, schema: Auth.NoFields },
  { method: 'POST', path: `${M}/experiments/permissions/create`, schema: Auth.ExperimentPermissionChange },
  { method: 'GET', path: `${M}/experiments/permissions/get`, schema: Auth.ExperimentPermissionRequest },
  { method: 'PATCH', path: `${M}/experiments/permissions/update`, schema: Auth.ExperimentPermissionChange },
  { method: 'DELETE', path: `${M}/experiments/permissions/delete`, schema: Auth.ExperimentPermissionRequest },
  { method: 'POST', path: `${M}/registered-models/permissions/create`, schema: Auth.RegisteredModelPermissionChange, pools: model },
  { method: 'GET', path: `${M}/registered-models/permissions/get`, schema: Auth.RegisteredModelPermissionRequest, pools: model },
  { method: 'PATCH', path: `${M}/registered-models/permissions/update`, schema: Auth.RegisteredModelPermissionChange, pools: model },
  { method: 'DELETE', path: `${M}/registered-models/permissions/delete`, schema: Auth.RegisteredModelPermissionRequest, pools: model },
  // Groups (MLflow's roles API, under its 3.0 prefix)
  { method: 'POST', path: `${M3}/roles/create`, schema: Roles.CreateRoleRequest },
  { method: 'GET', path: `${M3}/roles/get`, schema: Roles.RoleIdRequest },
  { method: 'GET', path: `${M3}/roles/list`, schema: Roles.ListRolesRequest },
  { method: 'PATCH', path: `${M3}/roles/update`, schema: Roles.UpdateRoleRequest },
  { method: 'DELETE', path: `${M3}/roles/delete`, schema: Roles.RoleIdRequest },
  { method: 'POST', path: `${M3}/roles/permissions/add`, schema: Roles.AddRolePermissionRequest, pools: { resource_pattern: 'experimentId' } },
  { method: 'GET', path: `${M3}/roles/permissions/list`, schema: Roles.RoleIdRequest },
  { method: 'PATCH', path: `${M3}/roles/permissions/update`, schema: Roles.UpdateRolePermissionRequest },
  { method: 'DELETE', path: `${M3}/roles/permissions/remove`, schema: Roles.RolePermissionRequest },
  { method: 'POST', path: `${M3}/roles/assign`, schema: Roles.RoleAssignmentRequest },
  { method: 'DELETE', path: `${M3}/roles/unassign`, schema: Roles.RoleAssignmentRequest },
  { method: 'GET', path: `${M3}/roles/users/list`, schema: Roles.RoleIdRequest },
  { method: 'GET', path: `${M3}/users/roles/list`, schema: Roles.UsernameRequest },
  // Cairn's principal mappings and audit log
  { method: 'POST', path: `${C}/principals/create`, schema: CA.CreatePrincipalMappingRequest },
  { method: 'GET', path: `${C}/principals/list`, schema: CA.ListPrincipalMappingsRequest },
  { method: 'DELETE', path: `${C}/principals/delete`, schema: CA.DeletePrincipalMappingRequest },
  { method: 'GET', path: `${C}/audit/list`, schema: CA.ListAuditRequest },
  // Where the importer writes (issue 15)
  { method: 'GET', path: `${C}/import/target`, schema: ImportTargetRequest },
];

export const routeId = (route: Pick<FuzzRoute, 'method' | 'path'>) => `${route.method} ${route.path}`;

/** `GET /ajax-api/2.0/mlflow/runs/get` is `GET /api/2.0/mlflow/runs/get`. */
export const canonicalPath = (path: string): string => {
  for (const [alias, canonical] of ALIASES) if (path.startsWith(alias)) return canonical + path.slice(alias.length);
  return path;
};

/**
 * Routes the app serves that the table lacks, and table rows the app does not serve. Middleware (`app.use`,
 * listed by Hono as ALL with a `(c, next)` handler) is no route of its own.
 */
export const routeGaps = (appRoutes: { method: string; path: string; handler: (...args: never[]) => unknown }[]) => {
  const table = new Set(ROUTES.map(routeId));
  const handlers = appRoutes.filter((r) => !(r.method === 'ALL' && r.handler.length >= 2));
  const served = new Set(handlers.map((r) => routeId({ method: r.method as FuzzRoute['method'], path: canonicalPath(r.path) })));
  return { missing: [...served].filter((id) => !table.has(id)), stale: [...table].filter((id) => !served.has(id)) };
};
