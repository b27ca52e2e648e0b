import { invalidParameter, runNotActive, runNotFound } from '../../errors/index.js';
import { appendToUri } from '../artifacts/artifact-locations.js';
import { RUN_NAME_TAG, type Run, type RunInfo, type RunStatus } from './entities.js';
import { requireActiveExperiment, DEFAULT_EXPERIMENT_ID } from './experiments.js';
import { newRunId, randomName } from './names.js';
import type { RunScope, TrackingPorts } from './ports.js';
import { normalizeRunTag } from './validation.js';

type Deps<K extends keyof TrackingPorts> = Pick<TrackingPorts, K>;
/** What finding a run's experiment takes: the run store, and the process-wide cache of run → experiment. */
export type RunLookup = Deps<'runs' | 'runExperimentCache'>;

/** The run's experiment, from the process-wide cache when known (it never changes), else from the table. */
export const resolveRunScope = async (deps: RunLookup, runId: string): Promise<RunScope> => {
  const cached = deps.runExperimentCache.get(runId);
  if (cached !== undefined) return { runId, experimentId: cached };
  const info = await deps.runs.getInfo(runId);
  if (!info) throw runNotFound(runId);
  rememberRun(deps, info);
  return { runId, experimentId: info.experimentId };
};

const rememberRun = (deps: Deps<'runExperimentCache'>, info: RunInfo) => {
  if (deps.runExperimentCache.size > 100_000) deps.runExperimentCache.clear();
  deps.runExperimentCache.set(info.runId, info.experimentId);
};

export const requireRun = async (deps: RunLookup, runId: string): Promise<Run> => {
  const run = await deps.runs.get(runId);
  if (!run) throw runNotFound(runId);
  rememberRun(deps, run.info);
  return run;
};

const requireActiveRunInfo = async (deps: Deps<'runs'>, runId: string): Promise<RunInfo> => {
  const info = await deps.runs.getInfo(runId);
  if (!info) throw runNotFound(runId);
  if (info.lifecycleStage !== 'active') throw runNotActive(runId);
  return info;
};

export interface CreateRunRequest {
  experimentId?: string;
  userId?: string;
  runName?: string;
  startTime?: number;
  tags: { key: string; value: string }[];
}

/** MLflow's CreateRun: the name and the `mlflow.runName` tag agree, and a random name is given when neither is. */
export const createRun = async (deps: Deps<'experiments' | 'runs' | 'runExperimentCache' | 'now'>, request: CreateRunRequest): Promise<Run> => {
  const experimentId = request.experimentId || DEFAULT_EXPERIMENT_ID;
  const tags = request.tags.map((t) => normalizeRunTag(t.key, t.value));
  const nameTag = tags.findLast((t) => t.key === RUN_NAME_TAG)?.value;
  if (request.runName && nameTag !== undefined && nameTag !== request.runName) {
    throw invalidParameter(
      `Both 'run_name' argument and 'mlflow.runName' tag are specified, but with different values (run_name='${request.runName}', mlflow.runName='${nameTag}').`,
    );
  }
  const experiment = await requireActiveExperiment(deps, experimentId);
  const runId = newRunId();
  const runName = request.runName || nameTag || randomName();
  if (nameTag === undefined) tags.push({ key: RUN_NAME_TAG, value: runName });
  const info: RunInfo = {
    runId,
    experimentId,
    runName,
    userId: request.userId ?? '',
    status: 'RUNNING',
    startTime: request.startTime ?? deps.now(),
    artifactUri: appendToUri(experiment.artifactLocation, runId, 'artifacts'),
    lifecycleStage: 'active',
  };
  const uniqueTags = [...new Map(tags.map((t) => [t.key, t])).values()];
  await deps.runs.create(info, uniqueTags, deps.now());
  rememberRun(deps, info);
  return {
    info,
    params: {},
    tags: Object.fromEntries(uniqueTags.map((t) => [t.key, t.value])),
    metrics: {},
    datasetInputs: [],
    modelInputs: [],
    modelOutputs: [],
  };
};

/** MLflow's UpdateRun: any status, end time only when given, a new name renames the tag too. */
export const updateRun = async (
  deps: Deps<'runs' | 'now'>,
  runId: string,
  update: { status?: RunStatus; endTime?: number; runName?: string },
): Promise<RunInfo> => {
  const info = await requireActiveRunInfo(deps, runId);
  const next: RunInfo = {
    ...info,
    status: update.status ?? info.status,
    endTime: update.endTime ?? info.endTime,
    runName: update.runName || info.runName,
  };
  await deps.runs.updateInfo(next, deps.now(), update.runName || undefined);
  return next;
};

export const deleteRun = async (deps: RunLookup & Deps<'now'>, runId: string): Promise<void> => {
  const scope = await resolveRunScope(deps, runId);
  await deps.runs.setLifecycle(scope, 'deleted', deps.now());
};

export const restoreRun = async (deps: RunLookup & Deps<'now'>, runId: string): Promise<void> => {
  const scope = await resolveRunScope(deps, runId);
  await deps.runs.setLifecycle(scope, 'active', deps.now());
};

/** SetTag; the `mlflow.runName` tag also renames the run, as in MLflow. */
export const setRunTag = async (deps: RunLookup & Deps<'now'>, runId: string, key: string, value: string): Promise<void> => {
  const tag = normalizeRunTag(key, value);
  if (tag.key === RUN_NAME_TAG) {
    await updateRun(deps, runId, { runName: tag.value });
    return;
  }
  const scope = await resolveRunScope(deps, runId);
  await deps.runs.logData(scope, { tags: [tag] }, deps.now());
};

export const deleteRunTag = async (deps: RunLookup & Deps<'now'>, runId: string, key: string): Promise<void> => {
  const scope = await resolveRunScope(deps, runId);
  await deps.runs.deleteTag(scope, key, deps.now());
};
