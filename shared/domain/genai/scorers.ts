import { notFound } from '../../errors/index.js';
import { requireActiveExperiment } from '../tracking/experiments.js';
import type { ExperimentStore } from '../tracking/ports.js';
import type { ScorerHead, ScorerStore, ScorerVersion } from './scorers-entities.js';

/**
 * Scorer management as MLflow 3.6's SQL store does it (register_scorer, list_scorers, list_scorer_versions,
 * get_scorer, delete_scorer): every call first requires the experiment to exist and be active, and a missing
 * name or version is RESOURCE_DOES_NOT_EXIST in the store's words.
 */
export interface ScorerDeps {
  readonly experiments: ExperimentStore;
  readonly scorers: ScorerStore;
  readonly now: () => number;
}

const scorerNotFound = (experimentId: string, name: string) =>
  notFound(`Scorer with name '${name}' not found for experiment ${experimentId}.`);

const versionNotFound = (experimentId: string, name: string, version: number) =>
  notFound(`Scorer with name '${name}' and version ${version} not found for experiment ${experimentId}.`);

const requireHead = async (deps: ScorerDeps, experimentId: string, name: string): Promise<ScorerHead> => {
  await requireActiveExperiment(deps, experimentId);
  const head = await deps.scorers.head(experimentId, name);
  if (!head) throw scorerNotFound(experimentId, name);
  return head;
};

export const registerScorer = async (deps: ScorerDeps, experimentId: string, name: string, serializedScorer: string): Promise<ScorerVersion> => {
  await requireActiveExperiment(deps, experimentId);
  return deps.scorers.register(experimentId, name, serializedScorer, deps.now());
};

/** The latest version of each scorer name, by name. */
export const listScorers = async (deps: ScorerDeps, experimentId: string): Promise<ScorerVersion[]> => {
  await requireActiveExperiment(deps, experimentId);
  return deps.scorers.latestOf(await deps.scorers.heads(experimentId));
};

export const listScorerVersions = async (deps: ScorerDeps, experimentId: string, name: string): Promise<ScorerVersion[]> => {
  const versions = await deps.scorers.versions(await requireHead(deps, experimentId, name));
  if (versions.length === 0) throw scorerNotFound(experimentId, name);
  return versions;
};

/** A given version, or the highest one when `version` is undefined. */
export const getScorer = async (deps: ScorerDeps, experimentId: string, name: string, version?: number): Promise<ScorerVersion> => {
  const head = await requireHead(deps, experimentId, name);
  if (version !== undefined) {
    const found = await deps.scorers.version(head, version);
    if (!found) throw versionNotFound(experimentId, name, version);
    return found;
  }
  const latest = head.latestVersion > 0 ? await deps.scorers.version(head, head.latestVersion) : undefined;
  if (!latest) throw scorerNotFound(experimentId, name);
  return latest;
};

/** One version, or every version and the scorer itself when `version` is undefined. */
export const deleteScorer = async (deps: ScorerDeps, experimentId: string, name: string, version?: number): Promise<void> => {
  await requireActiveExperiment(deps, experimentId);
  const outcome = await deps.scorers.delete(experimentId, name, version);
  if (outcome === 'no-scorer') throw scorerNotFound(experimentId, name);
  if (outcome === 'no-version') throw version === undefined ? scorerNotFound(experimentId, name) : versionNotFound(experimentId, name, version);
};
