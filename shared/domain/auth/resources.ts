import { ownersOfPath, storeKeyOf, type StoreLocation } from '../artifacts/artifact-locations.js';
import type { DeploymentStore } from '../deployments/ports.js';
import { MODEL_URI } from '../deployments/scoring.js';
import type { RegistryStore } from '../registry/ports.js';
import type { ExperimentStore, LoggedModelStore, RunStore } from '../tracking/ports.js';
import type { TraceRepository } from '../genai/ports.js';
import type { ResourceRef } from './entities.js';
import type { Resolved, Target } from './policy.js';

/**
 * What a request touches, found through the data layer: a run by its experiment, a logged model by its
 * experiment, an artifact path by the runs and logged models it lies under, a model version's source by what
 * it names, a registered model by its id (found from its name now, so a rename or a new model under an old
 * name changes nothing). Something that does not exist resolves to nothing: the handler answers its 404.
 */

export interface ResourceLookup {
  readonly experiments: Pick<ExperimentStore, 'getByName'>;
  readonly runs: Pick<RunStore, 'getInfo'>;
  readonly runExperimentCache: Map<string, string>;
  readonly loggedModels: Pick<LoggedModelStore, 'get'>;
  readonly registry: Pick<RegistryStore, 'getModelByName'>;
  readonly deployments?: Pick<DeploymentStore, 'get'>;
  /** MLflow 3 traces, so trace routes are checked on the trace's experiment. */
  readonly traces?: Pick<TraceRepository, 'getInfo'>;
  /** Cairn's artifact store, so `s3://` sources inside it are traced to their owners. */
  readonly store?: StoreLocation;
}

/** Where a target's values come from in the request. */
export interface RequestValues {
  readonly fields: Record<string, unknown>;
  readonly params: Record<string, string>;
  /** The request path after a prefix, decoded as the handler decodes it. */
  readonly pathAfter: (prefix: string) => string;
}

const INVALID = Symbol('invalid');
type Value = string | undefined | typeof INVALID;

/** One id as the handlers' schemas take it: a string, or a number they turn into one; nothing else names a resource. */
const single = (value: unknown): Value => {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return INVALID;
};

const many = (value: unknown): Value[] => (Array.isArray(value) ? value.map(single) : [single(value)]);

const refused = (field: string): Resolved => ({ ok: false, field });
const found = (resources: ResourceRef[]): Resolved => ({ ok: true, resources });
const experiment = (id: string): ResourceRef => ({ kind: 'experiment', id });

const experimentOfRun = async (lookup: ResourceLookup, runId: string): Promise<string | undefined> => {
  const cached = lookup.runExperimentCache.get(runId);
  if (cached !== undefined) return cached;
  return (await lookup.runs.getInfo(runId))?.experimentId;
};

const experimentOfLoggedModel = async (lookup: ResourceLookup, modelId: string) => (await lookup.loggedModels.get(modelId))?.experimentId;

const registeredModel = async (lookup: ResourceLookup, name: string): Promise<ResourceRef[]> => {
  const model = await lookup.registry.getModelByName(name);
  return model ? [{ kind: 'registered_model', id: model.modelId }] : [];
};

/**
 * The experiments a store key lies in: those of every run and logged model on its path, and the experiment whose
 * id is its first segment (MLflow's layout, `<experiment id>/<run id>/artifacts/...`), so that neither a run of
 * one experiment named under another's folder nor a folder of no run reaches past its experiment. A key under
 * none of them (the store's root, another layout) is nobody's: only admins reach it.
 */
export const experimentsOfStoreKey = async (lookup: ResourceLookup, key: string): Promise<ResourceRef[] | undefined> => {
  const ids = new Set<string>();
  const first = key.split('/')[0] ?? '';
  if (/^\d+$/.test(first)) ids.add(first);
  for (const owner of ownersOfPath(key)) {
    const experimentId = owner.kind === 'run' ? await experimentOfRun(lookup, owner.id) : await experimentOfLoggedModel(lookup, owner.id);
    if (experimentId !== undefined) ids.add(experimentId);
  }
  return ids.size > 0 ? [...ids].map(experiment) : undefined;
};

/** Whether a URI points into Cairn's store (storeKeyOf's two forms: the proxied root, its bucket and prefix), whatever its path. */
const namesTheStore = (uri: string, store: StoreLocation): boolean => {
  if (uri.startsWith('mlflow-artifacts:')) return true;
  const s3 = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
  if (!s3 || !store.s3 || s3[1] !== store.s3.bucket) return false;
  const path = s3[2] ?? '';
  return store.s3.prefix === '' || path === store.s3.prefix || path.startsWith(`${store.s3.prefix}/`);
};

/** `runs:/<run id>/...`, `models:/<name>/<version>`, `models:/<name>@<alias>`, `models:/<logged model id>`, or a location in the store. */
const sourceResources = async (lookup: ResourceLookup, source: string, field: string): Promise<Resolved> => {
  const run = /^runs:\/([^/]+)/.exec(source);
  if (run) {
    const experimentId = await experimentOfRun(lookup, run[1] ?? '');
    return found(experimentId === undefined ? [] : [experiment(experimentId)]);
  }
  const loggedModel = /^models:\/(m-[0-9a-f]{32})\/?$/.exec(source);
  if (loggedModel) {
    const experimentId = await experimentOfLoggedModel(lookup, loggedModel[1] ?? '');
    return found(experimentId === undefined ? [] : [experiment(experimentId)]);
  }
  const registered = /^models:\/([^/@]+)(?:\/|@)/.exec(source);
  if (registered) return found(await registeredModel(lookup, registered[1] ?? ''));
  let key: string;
  try {
    key = storeKeyOf(source, lookup.store ?? {});
  } catch {
    // Not in Cairn's store: the client's own storage, which Cairn never reads. A location in the store that is
    // no safe key (`..` in it) names nothing a check could pass: refused here, not left to the handler.
    return namesTheStore(source, lookup.store ?? {}) ? refused(field) : found([]);
  }
  const experiments = await experimentsOfStoreKey(lookup, key);
  return experiments ? found(experiments) : refused(field);
};

export const resolveTarget = async (lookup: ResourceLookup, target: Target, request: RequestValues): Promise<Resolved> => {
  switch (target.kind) {
    case 'experiment': {
      const id = single(request.fields[target.field]) ?? target.orDefault;
      if (id === INVALID) return refused(target.field);
      return found(id === undefined ? [] : [experiment(id)]);
    }
    case 'experiments': {
      const ids = many(request.fields[target.field]);
      if (ids.includes(INVALID)) return refused(target.field);
      return found(ids.filter((id): id is string => typeof id === 'string').map(experiment));
    }
    case 'experiment-by-name': {
      const name = single(request.fields[target.field]);
      if (name === INVALID) return refused(target.field);
      const found_ = name === undefined ? undefined : await lookup.experiments.getByName(name);
      return found(found_ ? [experiment(found_.experimentId)] : []);
    }
    case 'run': {
      for (const field of target.fields) {
        const runId = single(request.fields[field]);
        if (runId === INVALID) return refused(field);
        if (runId === undefined) continue;
        const experimentId = await experimentOfRun(lookup, runId);
        return found(experimentId === undefined ? [] : [experiment(experimentId)]);
      }
      return found([]);
    }
    case 'runs': {
      const runIds = many(request.fields[target.field]);
      if (runIds.includes(INVALID)) return refused(target.field);
      const ids = await Promise.all(runIds.filter((id): id is string => typeof id === 'string').map((id) => experimentOfRun(lookup, id)));
      return found([...new Set(ids.filter((id): id is string => id !== undefined))].map(experiment));
    }
    case 'registered-model': {
      const name = single(request.fields[target.field]);
      if (name === INVALID) return refused(target.field);
      return found(name === undefined ? [] : await registeredModel(lookup, name));
    }
    case 'logged-model': {
      const raw = target.param !== undefined ? request.params[target.param] : target.field !== undefined ? request.fields[target.field] : undefined;
      const modelId = single(raw);
      if (modelId === INVALID) return refused(target.param ?? target.field ?? 'model_id');
      const experimentId = modelId === undefined ? undefined : await experimentOfLoggedModel(lookup, modelId);
      return found(experimentId === undefined ? [] : [experiment(experimentId)]);
    }
    case 'trace': {
      const raw = target.param !== undefined ? request.params[target.param] : target.field !== undefined ? request.fields[target.field] : undefined;
      const traceId = single(raw);
      if (traceId === INVALID) return refused(target.param ?? target.field ?? 'trace_id');
      const info = traceId === undefined || !lookup.traces ? undefined : await lookup.traces.getInfo(traceId);
      return found(info ? [experiment(info.experimentId)] : []);
    }
    case 'artifact-path': {
      const raw = target.after !== undefined ? request.pathAfter(target.after) : single(request.fields[target.field ?? 'path']);
      if (raw === INVALID) return refused(target.field ?? 'path');
      const experiments = await experimentsOfStoreKey(lookup, raw ?? '');
      return experiments ? found(experiments) : refused('path');
    }
    case 'artifact-owner': {
      const runId = single(request.fields.run_id);
      const modelId = single(request.fields.model_id);
      if (runId === INVALID || modelId === INVALID) return refused('run_id');
      const experimentId =
        runId !== undefined ? await experimentOfRun(lookup, runId) : modelId !== undefined ? await experimentOfLoggedModel(lookup, modelId) : undefined;
      return found(experimentId === undefined ? [] : [experiment(experimentId)]);
    }
    case 'version-source': {
      const source = single(request.fields[target.field]);
      if (source === INVALID) return refused(target.field);
      return source === undefined ? found([]) : sourceResources(lookup, source, target.field);
    }
    case 'deployment': {
      const id = single(request.fields[target.field]);
      if (id === INVALID) return refused(target.field);
      const deployment = id === undefined || !lookup.deployments ? undefined : await lookup.deployments.get(id);
      return found(deployment ? [{ kind: 'registered_model', id: deployment.modelId }] : []);
    }
    case 'store-location': {
      const location = single(request.fields[target.field]);
      if (location === INVALID) return refused(target.field);
      if (location === undefined || !namesTheStore(location, lookup.store ?? {})) return found([]);
      let key: string;
      try {
        key = storeKeyOf(location, lookup.store ?? {});
      } catch {
        return refused(target.field);
      }
      // A folder of no experiment (a team's own prefix) is nobody's: the creator's runs get folders of their own there.
      return found((await experimentsOfStoreKey(lookup, key)) ?? []);
    }
    case 'model-uri': {
      const uri = single(request.fields[target.field]);
      if (uri === INVALID) return refused(target.field);
      if (uri === undefined) return found([]);
      // The name as scoring reads it (everything up to the '@', '/' included), not as a version source reads it.
      const scored = MODEL_URI.exec(uri);
      return scored ? found(await registeredModel(lookup, scored[1] ?? '')) : sourceResources(lookup, uri, target.field);
    }
  }
};
