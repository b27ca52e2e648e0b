import { ApiError, apiFetch } from './client';
import type { Experiment, FileInfo, KeyValue, LoggedModel, Run, RunInfo } from './types';

const M = '/api/2.0/mlflow';

export type ViewType = 'ACTIVE_ONLY' | 'DELETED_ONLY' | 'ALL';

export const searchExperiments = (input: { filter?: string; viewType?: ViewType; pageToken?: string; maxResults?: number }) =>
  apiFetch<{ experiments?: Experiment[]; next_page_token?: string }>(`${M}/experiments/search`, {
    method: 'POST',
    body: {
      filter: input.filter || undefined,
      view_type: input.viewType ?? 'ACTIVE_ONLY',
      max_results: input.maxResults ?? 1000,
      page_token: input.pageToken,
      order_by: ['last_update_time DESC'],
    },
  });

export const getExperiment = (experimentId: string) =>
  apiFetch<{ experiment: Experiment }>(`${M}/experiments/get`, { query: { experiment_id: experimentId } }).then((r) => r.experiment);

export const createExperiment = (name: string) =>
  apiFetch<{ experiment_id: string }>(`${M}/experiments/create`, { method: 'POST', body: { name } });

export const renameExperiment = (experimentId: string, newName: string) =>
  apiFetch(`${M}/experiments/update`, { method: 'POST', body: { experiment_id: experimentId, new_name: newName } });

export const deleteExperiment = (experimentId: string) =>
  apiFetch(`${M}/experiments/delete`, { method: 'POST', body: { experiment_id: experimentId } });

export const restoreExperiment = (experimentId: string) =>
  apiFetch(`${M}/experiments/restore`, { method: 'POST', body: { experiment_id: experimentId } });

export const setExperimentTag = (experimentId: string, key: string, value: string) =>
  apiFetch(`${M}/experiments/set-experiment-tag`, { method: 'POST', body: { experiment_id: experimentId, key, value } });

export const deleteExperimentTag = (experimentId: string, key: string) =>
  apiFetch(`${M}/experiments/delete-experiment-tag`, { method: 'POST', body: { experiment_id: experimentId, key } });

export interface RunsPage {
  runs?: Run[];
  next_page_token?: string;
}

export interface RunsQuery {
  experimentIds: string[];
  filter?: string;
  orderBy?: string[];
  viewType?: ViewType;
  maxResults?: number;
  pageToken?: string;
}

/** MLflow's SearchRuns request body, which Cairn's extension takes too. */
const searchRunsBody = (query: RunsQuery) => ({
  experiment_ids: query.experimentIds,
  filter: query.filter || undefined,
  order_by: query.orderBy?.length ? query.orderBy : undefined,
  run_view_type: query.viewType ?? 'ACTIVE_ONLY',
  max_results: query.maxResults ?? 100,
  page_token: query.pageToken,
});

export const searchRuns = (query: RunsQuery, signal?: AbortSignal) =>
  apiFetch<RunsPage>(`${M}/runs/search`, { method: 'POST', signal, body: searchRunsBody(query) });

/** Cairn's search extension: MLflow's grammar plus `metrics.<key>.min|max`; answers 404 where not deployed. */
export const CAIRN_RUNS_SEARCH = '/api/2.0/cairn/runs/search';

let summarySupport: Promise<boolean> | undefined;
/** Asked once per page load: does the server keep metric min/max (the Cairn search extension)? */
export const supportsMetricSummaries = (): Promise<boolean> =>
  (summarySupport ??= apiFetch(CAIRN_RUNS_SEARCH, { method: 'POST', body: { experiment_ids: ['0'], max_results: 1 } }).then(
    () => true,
    (error: unknown) => !(error instanceof ApiError && (error.status === 404 || error.status === 405)),
  ));

export const searchRunsWithSummaries = (query: RunsQuery, signal?: AbortSignal) =>
  apiFetch<RunsPage>(CAIRN_RUNS_SEARCH, { method: 'POST', signal, body: searchRunsBody(query) });

export const getRun = (runId: string, signal?: AbortSignal) =>
  apiFetch<{ run: Run }>(`${M}/runs/get`, { query: { run_id: runId }, signal }).then((r) => r.run);

export const updateRunName = (runId: string, runName: string) =>
  apiFetch<{ run_info: RunInfo }>(`${M}/runs/update`, { method: 'POST', body: { run_id: runId, run_name: runName } });

export const deleteRun = (runId: string) => apiFetch(`${M}/runs/delete`, { method: 'POST', body: { run_id: runId } });
export const restoreRun = (runId: string) => apiFetch(`${M}/runs/restore`, { method: 'POST', body: { run_id: runId } });

export const setRunTag = (runId: string, key: string, value: string) =>
  apiFetch(`${M}/runs/set-tag`, { method: 'POST', body: { run_id: runId, key, value } });

export const deleteRunTag = (runId: string, key: string) =>
  apiFetch(`${M}/runs/delete-tag`, { method: 'POST', body: { run_id: runId, key } });

export const getMetricHistory = (runId: string, key: string, signal?: AbortSignal) =>
  apiFetch<{ metrics?: { value: number; step?: number; timestamp: number }[] }>(`${M}/metrics/get-history`, {
    query: { run_id: runId, metric_key: key, max_results: 25000 },
    signal,
  }).then((r) => r.metrics ?? []);

export const listArtifacts = (runId: string, path: string | undefined, signal?: AbortSignal) =>
  apiFetch<{ files?: FileInfo[]; root_uri?: string }>(`${M}/artifacts/list`, { query: { run_id: runId, path: path || undefined }, signal }).then(
    (r) => r.files ?? [],
  );

export const artifactUrl = (runId: string, path: string) => `/get-artifact?${new URLSearchParams({ run_id: runId, path })}`;

export const searchLoggedModels = (experimentIds: string[], filter?: string) =>
  apiFetch<{ models?: LoggedModel[]; next_page_token?: string }>(`${M}/logged-models/search`, {
    method: 'POST',
    body: { experiment_ids: experimentIds, filter: filter || undefined, max_results: 100 },
  });

export const getLoggedModel = (modelId: string) =>
  apiFetch<{ model: LoggedModel }>(`${M}/logged-models/${encodeURIComponent(modelId)}`).then((r) => r.model);

/** MLflow's proxied artifact service, which serves any `mlflow-artifacts:` location (a logged model's too). */
const PROXIED_ARTIFACTS = '/api/2.0/mlflow-artifacts/artifacts';

/** The store path of an `mlflow-artifacts:` URI (with or without a host); undefined for a location the server does not hold. */
export const proxiedArtifactPath = (uri: string | undefined): string | undefined => {
  const match = uri ? /^mlflow-artifacts:(?:\/\/[^/]*)?\/*(.*?)\/*$/.exec(uri) : null;
  return match ? (match[1] ?? '') : undefined;
};

/** Lists a folder of the proxied store; the server names entries relative to it, so they are prefixed here. */
export const listProxiedArtifacts = (folder: string, signal?: AbortSignal) =>
  apiFetch<{ files?: FileInfo[] }>(PROXIED_ARTIFACTS, { query: { path: folder }, signal }).then((r) =>
    (r.files ?? []).map((file) => ({ ...file, path: file.path.split('/').pop() ?? file.path })),
  );

export const proxiedArtifactUrl = (path: string) => `${PROXIED_ARTIFACTS}/${path.split('/').map(encodeURIComponent).join('/')}`;

export const tagsOf = (pairs: readonly KeyValue[] | undefined) => new Map((pairs ?? []).map((p) => [p.key, p.value]));
