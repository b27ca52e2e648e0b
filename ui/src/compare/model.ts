import { tagValue, type Run } from '../api/types';
import { formatDuration, formatTime, runDuration } from '../views/runs/cells';

/** One row of the comparison: a field and its value per run (undefined where the run lacks it). */
export interface CompareRow {
  section: 'Run' | 'Params' | 'Metrics' | 'Tags';
  key: string;
  label: string;
  values: (string | undefined)[];
  /** Some runs differ (a missing value counts as a difference). */
  differs: boolean;
}

/** Min, max and last of one metric of one run. */
export interface MetricSummary {
  last: number;
  min?: number | undefined;
  max?: number | undefined;
}

export type MetricSummaries = Map<string, Map<string, MetricSummary>>; // runId → key → summary

export const differs = (values: readonly (string | undefined)[]): boolean => values.some((value) => value !== values[0]);

const formatNumber = (value: number | undefined): string | undefined => {
  if (value === undefined) return undefined;
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
  return String(Number(value.toPrecision(6)));
};

const row = (section: CompareRow['section'], key: string, label: string, values: (string | undefined)[]): CompareRow => ({
  section,
  key: `${section}:${key}`,
  label,
  values,
  differs: differs(values),
});

const keysOf = (runs: readonly Run[], pick: (run: Run) => { key: string }[] | undefined) =>
  [...new Set(runs.flatMap((run) => (pick(run) ?? []).map((entry) => entry.key)))].sort((a, b) => a.localeCompare(b));

/**
 * The comparison table's rows: run attributes, params, each metric as last / min / max, and tags (system
 * tags, `mlflow.*`, only when asked). Metric min/max come from `summaries` when known.
 */
export const compareRows = (
  runs: readonly Run[],
  summaries: MetricSummaries,
  options: { systemTags: boolean },
): CompareRow[] => {
  const rows: CompareRow[] = [
    row('Run', 'status', 'Status', runs.map((r) => r.info.status)),
    // Times, durations and users read as in the runs table and on the run page (views/runs/cells.ts).
    row('Run', 'start', 'Started', runs.map((r) => formatTime(r.info.start_time) || undefined)),
    row('Run', 'duration', 'Duration', runs.map((r) => formatDuration(runDuration(r)) || undefined)),
    row('Run', 'user', 'User', runs.map((r) => r.info.user_id || tagValue(r.data.tags, 'mlflow.user') || undefined)),
  ];
  for (const key of keysOf(runs, (r) => r.data.params)) {
    rows.push(row('Params', key, key, runs.map((r) => r.data.params?.find((p) => p.key === key)?.value)));
  }
  for (const key of keysOf(runs, (r) => r.data.metrics)) {
    const per = runs.map((r) => {
      const summary = summaries.get(r.info.run_id)?.get(key);
      const latest = r.data.metrics?.find((m) => m.key === key);
      return { last: latest?.value, min: summary?.min ?? latest?.min, max: summary?.max ?? latest?.max };
    });
    rows.push(row('Metrics', `${key}:last`, key, per.map((s) => formatNumber(s.last))));
    rows.push(row('Metrics', `${key}:min`, `${key} (min)`, per.map((s) => formatNumber(s.min))));
    rows.push(row('Metrics', `${key}:max`, `${key} (max)`, per.map((s) => formatNumber(s.max))));
  }
  for (const key of keysOf(runs, (r) => r.data.tags)) {
    if (!options.systemTags && key.startsWith('mlflow.')) continue;
    rows.push(row('Tags', key, key, runs.map((r) => r.data.tags?.find((t) => t.key === key)?.value)));
  }
  return rows;
};

/** Reads `runs=["a","b"]` as MLflow's compare links write it; a plain comma list works too. */
export const parseIdList = (text: string | null | undefined): string[] => {
  if (!text) return [];
  try {
    const value: unknown = JSON.parse(text);
    if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  } catch {
    // not JSON
  }
  return text.split(',').map((part) => part.trim()).filter(Boolean);
};
