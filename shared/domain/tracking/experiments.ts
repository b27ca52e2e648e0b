import { experimentNameNotFound, experimentNotActive, experimentNotFound, invalidParameter, notFound } from '../../errors/index.js';
import { appendToUri, validateArtifactLocation } from '../artifacts/artifact-locations.js';
import type { Experiment, ViewType } from './entities.js';
import { positionAt } from '../kernel/catalog.js';
import { snapshotPage } from '../kernel/snapshot-page.js';
import { PAGE_SIZES, pageSizeOf } from '../kernel/pagination.js';
import type { Visibility } from '../kernel/visibility.js';
import {
  compareExperiments,
  experimentMatches,
  experimentSortKey,
  parseExperimentFilter,
  parseExperimentOrderBy,
  readExperimentSortKey,
} from '../search/index.js';
import type { TrackingPorts } from './ports.js';
import { validateExperimentName, validateExperimentTag } from './validation.js';

type Deps<K extends keyof TrackingPorts> = Pick<TrackingPorts, K>;

export const DEFAULT_EXPERIMENT_ID = '0';

/** The "Default" experiment "0" exists in every store, as in MLflow; creating it again is a no-op. */
export const ensureDefaultExperiment = async (deps: Deps<'experiments' | 'now' | 'defaultArtifactRoot'>): Promise<void> => {
  if (await deps.experiments.get(DEFAULT_EXPERIMENT_ID)) return;
  const now = deps.now();
  await deps.experiments.createIfMissing({
    experimentId: DEFAULT_EXPERIMENT_ID,
    name: 'Default',
    artifactLocation: appendToUri(deps.defaultArtifactRoot, DEFAULT_EXPERIMENT_ID),
    lifecycleStage: 'active',
    creationTime: now,
    lastUpdateTime: now,
    tags: {},
  });
};

/** With `creatorUserId` (authorization on), the creator gets MANAGE in the transaction that creates the experiment. */
export const createExperiment = async (
  deps: Deps<'experiments' | 'now' | 'defaultArtifactRoot'>,
  request: { name: string; artifactLocation?: string; tags: { key: string; value: string }[]; creatorUserId?: number },
): Promise<string> => {
  validateExperimentName(request.name);
  validateArtifactLocation(request.artifactLocation);
  for (const tag of request.tags) validateExperimentTag(tag.key, tag.value);
  const experimentId = await deps.experiments.allocateId();
  const now = deps.now();
  const creatorGrant =
    request.creatorUserId === undefined
      ? undefined
      : { subject: { kind: 'user', id: request.creatorUserId }, resource: { kind: 'experiment', id: experimentId }, permission: 'MANAGE' } as const;
  await deps.experiments.create(
    {
      experimentId,
      name: request.name,
      artifactLocation: request.artifactLocation || appendToUri(deps.defaultArtifactRoot, experimentId),
      lifecycleStage: 'active',
      creationTime: now,
      lastUpdateTime: now,
      tags: Object.fromEntries(request.tags.map((t) => [t.key, t.value])),
    },
    creatorGrant,
  );
  return experimentId;
};

export const getExperiment = (deps: Deps<'experiments'>, experimentId: string): Promise<Experiment> =>
  deps.experiments.require(experimentId);

export const getExperimentByName = async (deps: Deps<'experiments'>, name: string): Promise<Experiment> => {
  const experiment = await deps.experiments.getByName(name);
  if (!experiment) throw experimentNameNotFound(name);
  return experiment;
};

/** The experiment, which must be active: INVALID_PARAMETER_VALUE when deleted, as MLflow answers. */
export const requireActiveExperiment = async (deps: Deps<'experiments'>, experimentId: string): Promise<Experiment> => {
  const experiment = await deps.experiments.require(experimentId);
  if (experiment.lifecycleStage !== 'active') throw experimentNotActive(experimentId);
  return experiment;
};

/** SearchExperiments; with `visible`, only the experiments the caller may read, left out before paging. */
export const searchExperiments = async (
  deps: Deps<'experiments'>,
  request: { filter?: string; orderBy?: string[]; maxResults?: number; pageToken?: string; viewType?: ViewType },
  visible?: Visibility,
) => {
  const maxResults = pageSizeOf(request.maxResults, PAGE_SIZES.searchExperiments);
  const filter = parseExperimentFilter(request.filter);
  const order = parseExperimentOrderBy(request.orderBy);
  const viewType = request.viewType ?? 'ACTIVE_ONLY';
  const scope = { kind: 'experiments/search', request: [request.filter ?? '', request.orderBy ?? [], viewType], viewer: visible?.viewer };
  const compare = compareExperiments(order);
  return snapshotPage({
    snapshot: await deps.experiments.catalog(),
    pageToken: request.pageToken,
    scope,
    maxResults,
    include: (e) =>
      (!visible || visible.sees(e.experimentId)) &&
      (viewType === 'ALL' || (viewType === 'ACTIVE_ONLY') === (e.lifecycleStage === 'active')) &&
      experimentMatches(e, filter),
    keyOf: (item, version) => positionAt(item, version),
    project: experimentSortKey,
    readKey: readExperimentSortKey,
    compare,
  });
};

export const renameExperiment = async (deps: Deps<'experiments' | 'now'>, experimentId: string, newName: string): Promise<void> => {
  validateExperimentName(newName);
  const experiment = await deps.experiments.require(experimentId);
  // The reference answers INVALID_STATE (500) here; a caller's mistake must not be a 5xx that clients retry.
  if (experiment.lifecycleStage !== 'active') throw invalidParameter('Cannot rename a non-active experiment.');
  await deps.experiments.rename(experiment, newName, deps.now());
};

/** Deletes the experiment and, as MLflow does, every run in it. */
export const deleteExperiment = async (deps: Deps<'experiments' | 'runs' | 'runIndex' | 'now'>, experimentId: string): Promise<void> => {
  if (experimentId === '0') throw invalidParameter('Cannot delete the default experiment \'0\'. This is an internally reserved experiment.');
  const experiment = await deps.experiments.require(experimentId);
  if (experiment.lifecycleStage !== 'active') throw experimentNotFound(experimentId);
  await setRunsLifecycle(deps, experimentId, 'deleted');
  if (!(await deps.experiments.setLifecycle(experimentId, 'active', 'deleted', deps.now()))) {
    throw experimentNotFound(experimentId);
  }
};

/** Restores the experiment and every run in it, including runs deleted one by one before, as MLflow does. */
export const restoreExperiment = async (deps: Deps<'experiments' | 'runs' | 'runIndex' | 'now'>, experimentId: string): Promise<void> => {
  const experiment = await deps.experiments.require(experimentId);
  if (experiment.lifecycleStage !== 'deleted') throw experimentNotFound(experimentId);
  await setRunsLifecycle(deps, experimentId, 'active');
  if (!(await deps.experiments.setLifecycle(experimentId, 'deleted', 'active', deps.now()))) {
    throw experimentNotFound(experimentId);
  }
};

const setRunsLifecycle = async (deps: Deps<'runs' | 'runIndex' | 'now'>, experimentId: string, stage: 'active' | 'deleted') => {
  const runs = (await deps.runIndex.runsOf(experimentId)).filter((run) => run.info.lifecycleStage !== stage);
  const now = deps.now();
  for (let offset = 0; offset < runs.length; offset += 25) {
    await Promise.all(
      runs.slice(offset, offset + 25).map((run) => deps.runs.setLifecycle(run.info, stage, now)),
    );
  }
};

export const setExperimentTag = async (deps: Deps<'experiments'>, experimentId: string, key: string, value: string) => {
  validateExperimentTag(key, value);
  await requireActiveExperiment(deps, experimentId);
  if (!(await deps.experiments.setTag(experimentId, key, value))) throw experimentNotFound(experimentId);
};

export const deleteExperimentTag = async (deps: Deps<'experiments'>, experimentId: string, key: string) => {
  await requireActiveExperiment(deps, experimentId);
  if (!(await deps.experiments.deleteTag(experimentId, key))) {
    throw notFound(`No tag with name: ${key} in experiment with id ${experimentId}`);
  }
};
