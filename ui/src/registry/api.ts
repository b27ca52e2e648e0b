import { ApiError, apiFetch, authHeaders } from '../api/client';
import type { Deployment, ModelVersion, RegisteredModel } from './types';

const M = '/api/2.0/mlflow';
const CAIRN = '/api/2.0/cairn';

export interface ModelsQuery {
  filter?: string;
  orderBy?: string[];
  pageToken?: string;
  maxResults?: number;
}

export interface ModelsPage {
  models: RegisteredModel[];
  nextPageToken: string | undefined;
}

/** SearchRegisteredModels (GET, the query in the URL as MLflow's UI sends it). */
export const searchRegisteredModels = async (query: ModelsQuery, signal?: AbortSignal): Promise<ModelsPage> => {
  const page = await apiFetch<{ registered_models?: RegisteredModel[]; next_page_token?: string }>(`${M}/registered-models/search`, {
    signal,
    query: { filter: query.filter || undefined, order_by: query.orderBy, page_token: query.pageToken || undefined, max_results: query.maxResults },
  });
  return { models: page.registered_models ?? [], nextPageToken: page.next_page_token || undefined };
};

export const getRegisteredModel = (name: string, signal?: AbortSignal) =>
  apiFetch<{ registered_model: RegisteredModel }>(`${M}/registered-models/get`, { query: { name }, signal }).then((r) => r.registered_model);

export const updateModelDescription = (name: string, description: string) =>
  apiFetch<{ registered_model: RegisteredModel }>(`${M}/registered-models/update`, { method: 'PATCH', body: { name, description } });

export const deleteRegisteredModel = (name: string) => apiFetch(`${M}/registered-models/delete`, { method: 'DELETE', body: { name } });

export const setModelTag = (name: string, key: string, value: string) =>
  apiFetch(`${M}/registered-models/set-tag`, { method: 'POST', body: { name, key, value } });

export const deleteModelTag = (name: string, key: string) =>
  apiFetch(`${M}/registered-models/delete-tag`, { method: 'DELETE', body: { name, key } });

export const setAlias = (name: string, alias: string, version: string) =>
  apiFetch(`${M}/registered-models/alias`, { method: 'POST', body: { name, alias, version } });

export const deleteAlias = (name: string, alias: string) => apiFetch(`${M}/registered-models/alias`, { method: 'DELETE', body: { name, alias } });

/** MLflow's filter string literal: single quotes, or double quotes when the text holds a single quote. */
export const filterLiteral = (text: string) => (text.includes("'") ? `"${text}"` : `'${text}'`);

/**
 * Every live version of a model, newest first, read page by page (MLflow's UI reads them all too: a model
 * rarely has more than a few hundred). Stages and aliases are filtered here, as the search grammar has neither.
 */
export const listModelVersions = async (name: string, signal?: AbortSignal): Promise<ModelVersion[]> => {
  const versions: ModelVersion[] = [];
  let pageToken: string | undefined;
  do {
    const page = await apiFetch<{ model_versions?: ModelVersion[]; next_page_token?: string }>(`${M}/model-versions/search`, {
      signal,
      query: { filter: `name = ${filterLiteral(name)}`, order_by: ['version_number DESC'], max_results: 1000, page_token: pageToken },
    });
    versions.push(...(page.model_versions ?? []));
    pageToken = page.next_page_token || undefined;
  } while (pageToken);
  return versions;
};

export const getModelVersion = (name: string, version: string, signal?: AbortSignal) =>
  apiFetch<{ model_version: ModelVersion }>(`${M}/model-versions/get`, { query: { name, version }, signal }).then((r) => r.model_version);

export const updateVersionDescription = (name: string, version: string, description: string) =>
  apiFetch<{ model_version: ModelVersion }>(`${M}/model-versions/update`, { method: 'PATCH', body: { name, version, description } });

export const setVersionTag = (name: string, version: string, key: string, value: string) =>
  apiFetch(`${M}/model-versions/set-tag`, { method: 'POST', body: { name, version, key, value } });

export const deleteVersionTag = (name: string, version: string, key: string) =>
  apiFetch(`${M}/model-versions/delete-tag`, { method: 'DELETE', body: { name, version, key } });

export const transitionStage = (name: string, version: string, stage: string, archiveExisting: boolean) =>
  apiFetch<{ model_version: ModelVersion }>(`${M}/model-versions/transition-stage`, {
    method: 'POST',
    body: { name, version, stage, archive_existing_versions: archiveExisting },
  }).then((r) => r.model_version);

/** A file of the version's model (MLflow's `/model-versions/get-artifact`, outside `/api`); undefined when absent. */
export const getVersionFile = async (name: string, version: string, path: string, signal?: AbortSignal): Promise<string | undefined> => {
  const response = await fetch(`/model-versions/get-artifact?${new URLSearchParams({ name, version, path })}`, {
    signal,
    headers: authHeaders(),
  });
  if (response.status === 404) return undefined;
  if (!response.ok) throw new ApiError(response.status, 'UNKNOWN', `Reading ${path}: HTTP ${response.status}`);
  return response.text();
};

/** The server has no such route: Cairn without deployments configured, or MLflow itself. */
export const isMissingRoute = (error: unknown) =>
  error instanceof ApiError && ((error.status === 404 && error.errorCode === 'ENDPOINT_NOT_FOUND') || error.status === 405);

/** Every deployment of a model, newest first (Cairn's list pages by creation time); undefined where not served. */
export const listDeployments = async (name: string, signal?: AbortSignal): Promise<Deployment[] | undefined> => {
  const deployments: Deployment[] = [];
  let pageToken: string | undefined;
  try {
    do {
      const page = await apiFetch<{ deployments?: Deployment[]; next_page_token?: string }>(`${CAIRN}/deployments/list`, {
        signal,
        query: { name, max_results: 1000, page_token: pageToken },
      });
      deployments.push(...(page.deployments ?? []));
      pageToken = page.next_page_token || undefined;
    } while (pageToken);
  } catch (error) {
    if (isMissingRoute(error)) return undefined;
    throw error;
  }
  return deployments.sort((a, b) => b.creation_timestamp - a.creation_timestamp);
};

export const getDeployment = (deploymentId: string, signal?: AbortSignal) =>
  apiFetch<{ deployment: Deployment }>(`${CAIRN}/deployments/get`, { query: { deployment_id: deploymentId }, signal }).then((r) => r.deployment);

export const decideDeployment = (deploymentId: string, approve: boolean, comment: string) =>
  apiFetch<{ deployment: Deployment }>(`${CAIRN}/deployments/${approve ? 'approve' : 'reject'}`, {
    method: 'POST',
    body: { deployment_id: deploymentId, comment: comment.trim() || undefined },
  }).then((r) => r.deployment);
