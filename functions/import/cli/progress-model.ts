import type { ImportCounts } from '../../../shared/domain/import/ports.js';

/**
 * What the progress display shows, as plain data: one row per phase with its count, a smoothed rate and, where
 * the total is known, an estimate of the time left. The writers (progress-display.ts) only lay rows out.
 */

export interface ProgressRow {
  readonly label: string;
  readonly count: number;
  readonly total?: number;
  /** Said after the count: `1.2 MB`, `5 versions`. */
  readonly detail?: string;
  /** Per second, smoothed. */
  readonly rate?: number;
  /** Milliseconds left, where the total is known and something was done. */
  readonly etaMs?: number;
}

export interface PhaseValue {
  readonly key: string;
  readonly label: string;
  readonly count: number;
  readonly total?: number;
  readonly detail?: string;
}

/** What both an import and `--verify` count (ImportCounts, VerifyCounts). */
export type PhaseCounts = Pick<
  ImportCounts,
  'experimentsTotal' | 'experiments' | 'runs' | 'metricPoints' | 'artifactFiles' | 'artifactBytes' | 'loggedModels' | 'registeredModels' | 'modelVersions'
>;

/** The phases: experiments, runs, metric points, artifacts, logged models, registered models. */
export const phasesOf = (counts: Readonly<PhaseCounts>): PhaseValue[] => [
  { key: 'experiments', label: 'experiments', count: counts.experiments, total: counts.experimentsTotal },
  { key: 'runs', label: 'runs', count: counts.runs },
  { key: 'points', label: 'metric points', count: counts.metricPoints },
  { key: 'files', label: 'artifacts', count: counts.artifactFiles, detail: `files, ${formatBytes(counts.artifactBytes)}` },
  { key: 'logged', label: 'logged models', count: counts.loggedModels },
  { key: 'registered', label: 'registered models', count: counts.registeredModels, detail: `(${formatCount(counts.modelVersions)} versions)` },
];

/**
 * Rates per phase: an exponential moving average of the per-second rate between samples, with time constant
 * `tauMs`, so a burst (a 100,000-point key written at once) shows as a rise, not as a spike to 10^6/s.
 */
export const createRateTracker = (startedAt: number, tauMs = 3000) => {
  const last = new Map<string, { at: number; count: number; rate: number }>();
  return {
    sample(now: number, phases: readonly PhaseValue[]) {
      for (const phase of phases) {
        const before = last.get(phase.key) ?? { at: startedAt, count: 0, rate: 0 };
        const elapsed = now - before.at;
        if (elapsed <= 0) continue;
        const instant = ((phase.count - before.count) * 1000) / elapsed;
        const weight = 1 - Math.exp(-elapsed / tauMs);
        last.set(phase.key, { at: now, count: phase.count, rate: before.rate + weight * (instant - before.rate) });
      }
    },
    rate: (key: string) => last.get(key)?.rate ?? 0,
  };
};

export type RateTracker = ReturnType<typeof createRateTracker>;

/**
 * Rows for the display. The estimate uses the average since the start (steadier than the smoothed rate for
 * items as uneven as experiments).
 */
export const progressRows = (phases: readonly PhaseValue[], rates: RateTracker, startedAt: number, now: number): ProgressRow[] =>
  phases.map((phase) => {
    const elapsed = now - startedAt;
    const left = phase.total === undefined ? undefined : phase.total - phase.count;
    const etaMs = left !== undefined && left > 0 && phase.count > 0 && elapsed > 0 ? (elapsed / phase.count) * left : left === 0 ? 0 : undefined;
    return {
      label: phase.label,
      count: phase.count,
      ...(phase.total === undefined ? {} : { total: phase.total }),
      ...(phase.detail === undefined ? {} : { detail: phase.detail }),
      rate: rates.rate(phase.key),
      ...(etaMs === undefined ? {} : { etaMs }),
    };
  });

export const formatCount = (value: number) => Math.round(value).toLocaleString('en-US');

export const formatRate = (perSecond: number) =>
  perSecond >= 100 ? `${formatCount(perSecond)}/s` : perSecond >= 10 ? `${perSecond.toFixed(0)}/s` : `${perSecond.toFixed(1)}/s`;

export const formatBytes = (bytes: number) => {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
};

export const formatDuration = (ms: number) => {
  const seconds = Math.round(ms / 1000);
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
};

/** A row as text: `runs  1,234  (12.5/s)`; the TTY writer pads the columns, the plain one joins rows with commas. */
export const rowText = (row: ProgressRow): { label: string; value: string; rate: string; eta: string } => ({
  label: row.label,
  value: `${formatCount(row.count)}${row.total === undefined ? '' : ` / ${formatCount(row.total)}`}${row.detail ? ` ${row.detail}` : ''}`,
  rate: row.rate === undefined || row.rate < 0.05 ? '' : formatRate(row.rate),
  eta: row.etaMs === undefined ? '' : row.etaMs === 0 ? 'done' : `ETA ${formatDuration(row.etaMs)}`,
});
