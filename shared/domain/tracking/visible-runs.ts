import type { Visibility } from '../kernel/visibility.js';
import { rememberRun, type RunLookup } from './runs.js';

/**
 * The runs of `runIds` whose experiment the caller may read, in their order, for the reads that name several
 * runs at once (metric histories of many runs, chart buckets): the others are left out of the answer, as
 * runs/search leaves out unreadable experiments. A run that does not exist is left out too, so the answer
 * does not tell it from an unreadable one. Without a visibility every run is kept and nothing is read.
 * A run's experiment never changes, so the process-wide cache answers most lookups without a read.
 */
export const readableRunIds = async (deps: RunLookup, runIds: readonly string[], visible: Visibility | undefined): Promise<string[]> => {
  if (!visible) return [...runIds];
  const experiments = await Promise.all(runIds.map((runId) => experimentOfRun(deps, runId)));
  return runIds.filter((_, index) => {
    const experimentId = experiments[index];
    return experimentId !== undefined && visible.sees(experimentId);
  });
};

const experimentOfRun = async (deps: RunLookup, runId: string): Promise<string | undefined> => {
  const cached = deps.runExperimentCache.get(runId);
  if (cached !== undefined) return cached;
  const info = await deps.runs.getInfo(runId);
  if (!info) return undefined;
  rememberRun(deps, info);
  return info.experimentId;
};
