import { getRun } from '../api/mlflow';
import type { Run } from '../api/types';
import { useAsync } from '../api/use-async';

/** Runs by id, fetched a few at a time; an id the server does not know is left out (and listed). */
export const fetchRuns = async (runIds: readonly string[], signal?: AbortSignal): Promise<{ runs: Run[]; missing: string[] }> => {
  const results: (Run | undefined)[] = new Array(runIds.length);
  let next = 0;
  const worker = async () => {
    while (next < runIds.length) {
      const index = next++;
      results[index] = await getRun(runIds[index]!, signal).catch((error: unknown) => {
        if ((error as { status?: number }).status === 404) return undefined;
        throw error;
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(8, runIds.length) }, worker));
  return {
    runs: results.filter((run): run is Run => run !== undefined),
    missing: runIds.filter((_, i) => results[i] === undefined),
  };
};

export const useRuns = (runIds: readonly string[]) => useAsync((signal) => fetchRuns(runIds, signal), [runIds.join(',')]);

/** Every metric key the runs logged, sorted. */
export const metricKeysOf = (runs: readonly Run[]): string[] =>
  [...new Set(runs.flatMap((run) => (run.data.metrics ?? []).map((m) => m.key)))].sort((a, b) => a.localeCompare(b));

/** A run's display name: its name, else the start of its id. */
export const runDisplayName = (run: Run): string =>
  run.info.run_name || run.data.tags?.find((t) => t.key === 'mlflow.runName')?.value || run.info.run_id.slice(0, 8);

/** `metrics.<key>` or `params.<key>` of a run, as a number when it reads as one. */
export const fieldValue = (run: Run, field: string): number | string | undefined => {
  if (field.startsWith('metrics.')) {
    const key = field.slice('metrics.'.length);
    return run.data.metrics?.find((m) => m.key === key)?.value;
  }
  if (field.startsWith('params.')) {
    const key = field.slice('params.'.length);
    const value = run.data.params?.find((p) => p.key === key)?.value;
    if (value === undefined) return undefined;
    const number = Number(value);
    return value.trim() !== '' && Number.isFinite(number) ? number : value;
  }
  return undefined;
};

export const fieldsOf = (runs: readonly Run[]): string[] => [
  ...metricKeysOf(runs).map((k) => `metrics.${k}`),
  ...[...new Set(runs.flatMap((run) => (run.data.params ?? []).map((p) => p.key)))].sort().map((k) => `params.${k}`),
];
