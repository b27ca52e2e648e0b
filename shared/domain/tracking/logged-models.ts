import { invalidParameter, loggedModelNotFound, notFound } from '../../errors/index.js';
import { pyRepr } from '../search/messages.js';
import { appendToUri } from '../artifacts/artifact-locations.js';
import type { LoggedModel, LoggedModelStatus, MetricPoint } from './entities.js';
import { requireActiveExperiment } from './experiments.js';
import { samePoint } from './metric-points.js';
import { newLoggedModelId, randomName } from './names.js';
import type { TrackingPorts } from './ports.js';
import { snapshotOf } from '../kernel/catalog.js';
import { readSnapshotToken, snapshotPage } from '../kernel/snapshot-page.js';
import { PAGE_SIZES, pageSizeOf } from '../kernel/pagination.js';
import { visibleIds, type Visibility } from '../kernel/visibility.js';
import { loggedModelMatches, loggedModelOrder, parseLoggedModelFilter, type LoggedModelSortKey } from '../search/index.js';

type Deps<K extends keyof TrackingPorts> = Pick<TrackingPorts, K>;

const INVALID_NAME_CHARACTERS = /[/:.%"']/;

export interface CreateLoggedModelRequest {
  experimentId: string;
  name?: string;
  modelType?: string;
  sourceRunId?: string;
  params: { key: string; value: string }[];
  tags: { key: string; value: string }[];
}

export const createLoggedModel = async (deps: Deps<'experiments' | 'loggedModels' | 'now'>, request: CreateLoggedModelRequest): Promise<LoggedModel> => {
  if (request.name !== undefined && (request.name === '' || INVALID_NAME_CHARACTERS.test(request.name))) {
    throw invalidParameter(
      `Invalid model name '${request.name}' provided. Model name must be a non-empty string and cannot contain the following prohibited characters: '/', ':', '.', '%', '"', "'".`,
    );
  }
  const experiment = await requireActiveExperiment(deps, request.experimentId);
  const modelId = newLoggedModelId();
  const now = deps.now();
  const model: LoggedModel = {
    modelId,
    experimentId: request.experimentId,
    name: request.name ?? randomName(),
    artifactUri: appendToUri(experiment.artifactLocation, 'models', modelId, 'artifacts'),
    status: 'LOGGED_MODEL_PENDING',
    creationTimestampMs: now,
    lastUpdatedTimestampMs: now,
    modelType: request.modelType ?? '',
    sourceRunId: request.sourceRunId,
    tags: Object.fromEntries(request.tags.map((t) => [t.key, t.value])),
    params: Object.fromEntries(request.params.map((p) => [p.key, p.value])),
    metrics: [],
    lifecycleStage: 'active',
  };
  await deps.loggedModels.create(model);
  return model;
};

/** The model with each metric point once (a point re-logged with the model id is stored twice). */
export const getLoggedModel = async (deps: Deps<'loggedModels'>, modelId: string): Promise<LoggedModel> => {
  const model = await deps.loggedModels.get(modelId);
  if (!model) throw loggedModelNotFound(modelId);
  return withUniqueMetrics(model);
};

const withUniqueMetrics = (model: LoggedModel): LoggedModel => {
  const unique: MetricPoint[] = [];
  for (const point of model.metrics) {
    const seen = unique.some(
      (p) => samePoint(p, point) && p.key === point.key && p.runId === point.runId && p.datasetName === point.datasetName && p.datasetDigest === point.datasetDigest,
    );
    if (!seen) unique.push(point);
  }
  return { ...model, metrics: unique };
};

export const finalizeLoggedModel = async (deps: Deps<'loggedModels' | 'now'>, modelId: string, status: LoggedModelStatus) => {
  await deps.loggedModels.setStatus(modelId, status, deps.now());
  return getLoggedModel(deps, modelId);
};

export const setLoggedModelTags = (deps: Deps<'loggedModels' | 'now'>, modelId: string, tags: { key: string; value: string }[]) =>
  deps.loggedModels.setTags(modelId, tags, deps.now());

/** A key that is not set is MLflow's RESOURCE_DOES_NOT_EXIST about the tag, not about the model (its SQL store's words). */
export const deleteLoggedModelTag = async (deps: Deps<'loggedModels' | 'now'>, modelId: string, key: string) => {
  const model = await deps.loggedModels.get(modelId);
  if (!model) throw loggedModelNotFound(modelId);
  if (!Object.hasOwn(model.tags, key)) throw notFound(`No tag with key ${pyRepr(key)} found for model with ID ${pyRepr(modelId)}.`);
  await deps.loggedModels.deleteTag(modelId, key, deps.now());
};

export const logLoggedModelParams = (deps: Deps<'loggedModels' | 'now'>, modelId: string, params: { key: string; value: string }[]) =>
  deps.loggedModels.logParams(modelId, params, deps.now());

export const deleteLoggedModel = (deps: Deps<'loggedModels' | 'now'>, modelId: string) => deps.loggedModels.softDelete(modelId, deps.now());

export interface SearchLoggedModelsRequest {
  experimentIds: string[];
  filter?: string;
  datasets?: { datasetName: string; datasetDigest?: string }[];
  maxResults?: number;
  orderBy?: { fieldName: string; ascending?: boolean; datasetName?: string; datasetDigest?: string }[];
  pageToken?: string;
}

/**
 * SearchLoggedModels. As in MLflow, the page token remembers the query it belongs to, and a token used
 * with another query is INVALID_PARAMETER_VALUE. With `visible`, the experiments the caller may not read are
 * left out before any read.
 *
 * Pages continue after the last model answered (its sort key), so models created or deleted meanwhile shift
 * nothing. In the default order (newest first) without a filter, a search reads each experiment's models only
 * as far as its page needs; any other order, or a filter, looks at them all in the search index
 * (LoggedModelSearchIndex: held in memory, exact). The models a page answers are read again, strongly consistent.
 */
export const searchLoggedModels = async (deps: Deps<'loggedModels' | 'loggedModelIndex'>, request: SearchLoggedModelsRequest, visible?: Visibility) => {
  const maxResults = pageSizeOf(request.maxResults, PAGE_SIZES.searchLoggedModels);
  const query = [request.experimentIds, request.filter ?? '', request.orderBy ?? [], request.datasets ?? []];
  const scope = { kind: 'logged-models/search', request: query, viewer: visible?.viewer };
  const filter = parseLoggedModelFilter(request.filter);
  const order = loggedModelOrder(request.orderBy);
  const experimentIds = visibleIds(request.experimentIds, visible);
  const matches = (model: LoggedModel) => loggedModelMatches(model, filter, request.datasets);
  const after = readSnapshotToken(request.pageToken, scope, 1, order.readKey)?.after;
  const filtered = request.filter !== undefined && request.filter.trim() !== '' || (request.datasets ?? []).length > 0;
  const candidates =
    order.isDefault && !filtered
      ? await newestMatching(deps, experimentIds, after, maxResults + 1, matches)
      : (await Promise.all(experimentIds.map((id) => deps.loggedModelIndex.modelsOf(id)))).flat().map(withUniqueMetrics);
  const { page, nextPageToken } = snapshotPage({
    snapshot: snapshotOf(candidates),
    pageToken: request.pageToken,
    scope,
    maxResults,
    include: matches,
    keyOf: (item) => order.keyOf(item.value),
    readKey: order.readKey,
    compare: order.compare,
  });
  const fresh = new Map((await deps.loggedModels.getMany(page.map((m) => m.modelId))).map((m) => [m.modelId, withUniqueMetrics(m)]));
  return { page: page.flatMap((model) => fresh.get(model.modelId) ?? []), nextPageToken };
};

/** Up to `wanted` matching models of each experiment in the default order, after `after` (a default-order key). */
const newestMatching = async (
  deps: Deps<'loggedModels'>,
  experimentIds: readonly string[],
  after: LoggedModelSortKey | undefined,
  wanted: number,
  matches: (model: LoggedModel) => boolean,
): Promise<LoggedModel[]> => {
  const place = after ? { creationTimestampMs: Number(after[0]), modelId: String(after[1]) } : undefined;
  const perExperiment = await Promise.all(
    experimentIds.map(async (experimentId) => {
      const found: LoggedModel[] = [];
      for await (const models of deps.loggedModels.newestFirst(experimentId, place, wanted)) {
        for (const model of models.map(withUniqueMetrics)) if (matches(model)) found.push(model);
        if (found.length >= wanted) break;
      }
      return found;
    }),
  );
  return perExperiment.flat();
};
