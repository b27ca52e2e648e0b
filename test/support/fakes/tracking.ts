import {
  alreadyExists,
  badRequest,
  experimentAlreadyExists,
  experimentNotFound,
  loggedModelNotFound,
  notFound,
  runNotActive,
  runNotFound,
} from '../../../shared/errors/index.js';
import { recordOf } from '../../../shared/domain/kernel/own-records.js';
import { snapshotOf } from '../../../shared/domain/kernel/catalog.js';
import type { Grant } from '../../../shared/domain/auth/entities.js';
import type { DatasetInput, Experiment, LoggedModel, MetricPoint, Run, RunInfo } from '../../../shared/domain/tracking/entities.js';
import { RUN_NAME_TAG } from '../../../shared/domain/tracking/entities.js';
import { createHistorySnapshotCache } from '../../../shared/domain/tracking/history-snapshots.js';
import { compareMetricRank, sortAndDeduplicate } from '../../../shared/domain/tracking/metric-points.js';
import {
  ParamValuesChanged,
  type ExperimentStore,
  type LoggedModelStore,
  type MetricHistoryStore,
  type RunScope,
  type RunSearchIndex,
  type RunStore,
  type RunWrites,
  type TrackingPorts,
} from '../../../shared/domain/tracking/ports.js';

/**
 * Tracking's ports in memory, with the table's rules: names are unique, every write to a run checks that it
 * is active and is stored whole or not at all, params are immutable (ParamValuesChanged with every conflict),
 * the latest value of a metric is its greatest point, a run write's model points reach only active models.
 * Reads answer copies, with prototype-less maps as the table's codecs give them.
 */

interface StoredRun {
  info: RunInfo;
  params: Map<string, string>;
  tags: Map<string, string>;
  latest: Map<string, MetricPoint>;
  /** Points per key in arrival order, repeats included (the history reader removes them). */
  history: Map<string, MetricPoint[]>;
  datasetInputs: Map<string, DatasetInput>;
  modelInputs: Set<string>;
  modelOutputs: Map<string, number>;
}

const sortedRecord = <V>(map: Map<string, V>) => recordOf([...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
const copyOf = <T>(value: T): T => structuredClone(value);

const experimentCopy = (experiment: Experiment): Experiment => ({ ...copyOf(experiment), tags: recordOf(Object.entries(experiment.tags)) });

export const memoryExperiments = (): ExperimentStore & { readonly all: Map<string, Experiment>; readonly creatorGrants: Grant[] } => {
  const all = new Map<string, Experiment>();
  /** The grants `create` was given, in order (the table writes them with the experiment). */
  const creatorGrants: Grant[] = [];
  const names = new Map<string, string>();
  let sequence = 0;
  const get = async (id: string) => {
    const found = all.get(id);
    return found && experimentCopy(found);
  };
  const store: ExperimentStore = {
    get,
    async require(id) {
      const found = await get(id);
      if (!found) throw experimentNotFound(id);
      return found;
    },
    async getByName(name) {
      const id = names.get(name);
      return id === undefined ? undefined : get(id);
    },
    async list() {
      return [...all.values()].map(experimentCopy);
    },
    async catalog() {
      return snapshotOf([...all.values()].map(experimentCopy));
    },
    async allocateId() {
      return String(++sequence);
    },
    async reserveIdsThrough(id) {
      sequence = Math.max(sequence, id);
    },
    async create(experiment, creatorGrant) {
      if (all.has(experiment.experimentId) || names.has(experiment.name)) throw experimentAlreadyExists(experiment.name);
      all.set(experiment.experimentId, experimentCopy(experiment));
      names.set(experiment.name, experiment.experimentId);
      if (creatorGrant) creatorGrants.push(creatorGrant);
    },
    async createIfMissing(experiment) {
      if (all.has(experiment.experimentId) || names.has(experiment.name)) return false;
      await store.create(experiment);
      return true;
    },
    async rename(experiment, newName, now) {
      if (experiment.name === newName) return;
      const stored = all.get(experiment.experimentId);
      if (names.has(newName)) throw badRequest(`Experiment(name=${newName}) already exists.`);
      if (!stored || stored.name !== experiment.name) throw notFound(`No Experiment with id=${experiment.experimentId} exists`);
      names.delete(stored.name);
      names.set(newName, stored.experimentId);
      all.set(stored.experimentId, { ...stored, name: newName, lastUpdateTime: now });
    },
    async setLifecycle(id, from, to, now) {
      const stored = all.get(id);
      if (stored?.lifecycleStage !== from) return false;
      all.set(id, { ...stored, lifecycleStage: to, lastUpdateTime: now });
      return true;
    },
    async setTag(id, key, value) {
      const stored = all.get(id);
      if (!stored) return false;
      stored.tags = recordOf([...Object.entries(stored.tags), [key, value]]);
      return true;
    },
    async deleteTag(id, key) {
      const stored = all.get(id);
      if (!stored || !Object.hasOwn(stored.tags, key)) return false;
      stored.tags = recordOf(Object.entries(stored.tags).filter(([k]) => k !== key));
      return true;
    },
  };
  return Object.assign(store, { all, creatorGrants });
};

type StoredModel = LoggedModel;

export const memoryLoggedModels = (): LoggedModelStore & { readonly all: Map<string, StoredModel> } => {
  const all = new Map<string, StoredModel>();
  const copy = (model: StoredModel): LoggedModel => ({
    ...copyOf(model),
    tags: recordOf(Object.entries(model.tags)),
    params: recordOf(Object.entries(model.params)),
  });
  const active = (modelId: string) => {
    const model = all.get(modelId);
    if (!model || model.lifecycleStage !== 'active') throw loggedModelNotFound(modelId);
    return model;
  };
  const store: LoggedModelStore = {
    async create(model) {
      if (all.has(model.modelId)) throw alreadyExists(`Logged model ${model.modelId} exists`);
      all.set(model.modelId, copy(model));
    },
    async get(modelId) {
      const model = all.get(modelId);
      return model && model.lifecycleStage === 'active' ? copy(model) : undefined;
    },
    async exists(modelId) {
      return all.has(modelId);
    },
    async listByExperiment(experimentId) {
      return [...all.values()]
        .filter((m) => m.experimentId === experimentId && m.lifecycleStage === 'active')
        .sort((a, b) => a.creationTimestampMs - b.creationTimestampMs || (a.modelId < b.modelId ? -1 : 1))
        .map(copy);
    },
    async *newestFirst(experimentId, after, pageSize = 100) {
      const newest = [...all.values()]
        .filter((m) => m.experimentId === experimentId && m.lifecycleStage === 'active')
        .sort((a, b) => b.creationTimestampMs - a.creationTimestampMs || (a.modelId < b.modelId ? -1 : 1))
        .filter((m) => !after || m.creationTimestampMs < after.creationTimestampMs || (m.creationTimestampMs === after.creationTimestampMs && m.modelId > after.modelId));
      for (let offset = 0; offset < newest.length; offset += pageSize) yield newest.slice(offset, offset + pageSize).map(copy);
    },
    async getMany(modelIds) {
      return modelIds.flatMap((id) => {
        const model = all.get(id);
        return model && model.lifecycleStage === 'active' ? [copy(model)] : [];
      });
    },
    async setStatus(modelId, status, now, statusMessage) {
      const model = active(modelId);
      Object.assign(model, { status, lastUpdatedTimestampMs: now }, statusMessage === undefined ? {} : { statusMessage });
    },
    async setTags(modelId, tags, now) {
      const model = active(modelId);
      model.tags = recordOf([...Object.entries(model.tags), ...tags.map((t) => [t.key, t.value] as const)]);
      model.lastUpdatedTimestampMs = now;
    },
    async deleteTag(modelId, key, now) {
      const model = active(modelId);
      if (!Object.hasOwn(model.tags, key)) throw loggedModelNotFound(modelId);
      model.tags = recordOf(Object.entries(model.tags).filter(([k]) => k !== key));
      model.lastUpdatedTimestampMs = now;
    },
    async logParams(modelId, params, now) {
      const model = active(modelId);
      model.params = recordOf([...Object.entries(model.params), ...params.map((p) => [p.key, p.value] as const)]);
      model.lastUpdatedTimestampMs = now;
    },
    async softDelete(modelId, now) {
      Object.assign(active(modelId), { lifecycleStage: 'deleted', lastUpdatedTimestampMs: now });
    },
  };
  return Object.assign(store, { all });
};

/** Runs, their histories and their search index; run writes append model points to `models`' active models. */
export const memoryRuns = (models: ReturnType<typeof memoryLoggedModels>) => {
  const all = new Map<string, StoredRun>();
  /** Every logData call that reached the store, so a test can tell one write from two. */
  const writes: { scope: RunScope; writes: RunWrites }[] = [];

  const activeRun = (runId: string) => {
    const run = all.get(runId);
    if (!run) throw runNotFound(runId);
    if (run.info.lifecycleStage !== 'active') throw runNotActive(runId);
    return run;
  };
  const toRun = (run: StoredRun): Run => ({
    info: copyOf(run.info),
    params: sortedRecord(run.params),
    tags: sortedRecord(run.tags),
    metrics: sortedRecord(new Map([...run.latest].map(([key, point]) => [key, copyOf(point)]))),
    datasetInputs: [...run.datasetInputs.values()].map(copyOf),
    modelInputs: [...run.modelInputs].map((modelId) => ({ modelId })),
    modelOutputs: [...run.modelOutputs].map(([modelId, step]) => ({ modelId, step })),
  });

  const logData = (scope: RunScope, request: RunWrites): void => {
    const run = activeRun(scope.runId);
    const conflicts = (request.params ?? [])
      .filter((p) => run.params.has(p.key) && run.params.get(p.key) !== p.value)
      .map((p) => ({ key: p.key, oldValue: run.params.get(p.key) ?? '', newValue: p.value }));
    if (conflicts.length > 0) throw new ParamValuesChanged(scope.runId, conflicts);
    for (const p of request.params ?? []) run.params.set(p.key, p.value);
    for (const t of request.tags ?? []) run.tags.set(t.key, t.value);
    if (request.runName !== undefined) {
      run.info.runName = request.runName;
      run.tags.set(RUN_NAME_TAG, request.runName);
    }
    for (const point of request.metrics ?? []) {
      run.history.set(point.key, [...(run.history.get(point.key) ?? []), copyOf(point)]);
      const current = run.latest.get(point.key);
      if (!current || compareMetricRank(point, current) > 0) {
        run.latest.set(point.key, { key: point.key, value: point.value, timestamp: point.timestamp, step: point.step });
      }
    }
    for (const { modelId, points } of request.modelMetrics ?? []) {
      const model = models.all.get(modelId);
      if (model?.lifecycleStage === 'active') model.metrics.push(...points.map(copyOf));
    }
  };

  const runs: RunStore = {
    async create(info, tags) {
      if (all.has(info.runId)) throw new Error(`run ${info.runId} exists`);
      all.set(info.runId, {
        info: copyOf(info),
        params: new Map(),
        tags: new Map(tags.map((t) => [t.key, t.value])),
        latest: new Map(),
        history: new Map(),
        datasetInputs: new Map(),
        modelInputs: new Set(),
        modelOutputs: new Map(),
      });
    },
    async get(runId) {
      const run = all.get(runId);
      return run && toRun(run);
    },
    async getInfo(runId) {
      const run = all.get(runId);
      return run && copyOf(run.info);
    },
    async updateInfo(info, _now, runNameTag) {
      const run = activeRun(info.runId);
      run.info = { ...run.info, status: info.status, runName: info.runName, ...(info.endTime === undefined ? {} : { endTime: info.endTime }) };
      if (runNameTag !== undefined) run.tags.set(RUN_NAME_TAG, runNameTag);
    },
    async setLifecycle(scope, stage) {
      const run = all.get(scope.runId);
      if (!run) throw new Error(`run ${scope.runId} does not exist`);
      run.info.lifecycleStage = stage;
    },
    async logData(scope, request) {
      writes.push({ scope: copyOf(scope), writes: copyOf(request) });
      logData(scope, request);
    },
    async deleteTag(scope, key) {
      const run = activeRun(scope.runId);
      if (!run.tags.delete(key)) throw notFound(`No tag with name: ${key} in run with id ${scope.runId}`);
    },
    async logInputs(scope, datasets, modelIds) {
      const run = activeRun(scope.runId);
      for (const input of datasets) run.datasetInputs.set(JSON.stringify([input.dataset.name, input.dataset.digest]), copyOf(input));
      for (const modelId of modelIds) run.modelInputs.add(modelId);
    },
    async logOutputs(scope, outputs) {
      const run = activeRun(scope.runId);
      for (const { modelId, step } of outputs) run.modelOutputs.set(modelId, step);
    },
    // The fake keeps no metric ranges: Cairn's search reads them from the history each time.
    async fillMetricRanges() {},
  };

  const metrics: MetricHistoryStore = {
    async history(runId, key) {
      return sortAndDeduplicate(all.get(runId)?.history.get(key) ?? []).map(copyOf);
    },
    async packedHistory(runId, key) {
      const points = await metrics.history(runId, key);
      return [{ writtenAt: 0, count: points.length, triples: Float64Array.from(points.flatMap((p) => [p.timestamp, p.step, p.value])) }];
    },
  };

  const runIndex: RunSearchIndex = {
    async runsOf(experimentId) {
      return [...all.values()].filter((run) => run.info.experimentId === experimentId).map(toRun);
    },
  };

  return { runs, metrics, runIndex, all, writes };
};

export interface MemoryTracking {
  readonly ports: TrackingPorts;
  readonly experiments: ReturnType<typeof memoryExperiments>;
  readonly loggedModels: ReturnType<typeof memoryLoggedModels>;
  readonly runs: ReturnType<typeof memoryRuns>;
  /** Moves the clock the ports read. */
  tick(ms?: number): number;
}

/** All of tracking's ports over memory, with a clock the test moves (it starts at 1,000 and steps 1 ms a read). */
export const createTrackingPorts = (options: { defaultArtifactRoot?: string } = {}): MemoryTracking => {
  let time = 1_000;
  const experiments = memoryExperiments();
  const loggedModels = memoryLoggedModels();
  const runs = memoryRuns(loggedModels);
  const ports: TrackingPorts = {
    experiments,
    runs: runs.runs,
    metrics: runs.metrics,
    loggedModels,
    runIndex: runs.runIndex,
    // The memory store reads as it writes: its listing is the index.
    loggedModelIndex: { modelsOf: (experimentId) => loggedModels.listByExperiment(experimentId) },
    now: () => ++time,
    defaultArtifactRoot: options.defaultArtifactRoot ?? 'mlflow-artifacts:/',
    runExperimentCache: new Map(),
    historySnapshots: createHistorySnapshotCache(),
  };
  return { ports, experiments, loggedModels, runs, tick: (ms = 1) => (time += ms) };
};
