/** Figures, formatting and the final table. Verdicts are informational: the benchmark never fails on time. */
import type { Reference } from './config.js';

export interface Row {
  workload: string;
  measure: string;
  cairn: string;
  reference: string;
  target: string;
  /** vs the reference: how many times better, and whether the target is met. */
  verdict: string;
}

export const percentile = (sortedAscending: number[], p: number): number => {
  if (sortedAscending.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sortedAscending.length) - 1;
  return sortedAscending[Math.min(Math.max(rank, 0), sortedAscending.length - 1)] ?? Number.NaN;
};

export interface LatencySummary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  min: number;
  max: number;
  mean: number;
}

export const summarize = (samplesMs: number[]): LatencySummary => {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    min: sorted[0] ?? Number.NaN,
    max: sorted[sorted.length - 1] ?? Number.NaN,
    mean: sorted.reduce((sum, x) => sum + x, 0) / (sorted.length || 1),
  };
};

/** Integers with thousands separators; fractions with a sensible number of digits. */
export const fmt = (value: number, digits?: number): string => {
  if (!Number.isFinite(value)) return String(value);
  const fraction = digits ?? (Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : Math.abs(value) >= 1 ? 2 : 3);
  return value.toLocaleString('en-US', { minimumFractionDigits: fraction, maximumFractionDigits: fraction });
};

export const fmtMs = (ms: number): string => `${fmt(ms)} ms`;
export const fmtSeconds = (ms: number): string => `${fmt(ms / 1000, 2)} s`;

const range = (ref: Reference, scale = 1, digits?: number): string =>
  ref.low === ref.high ? fmt(ref.low * scale, digits) : `${fmt(ref.low * scale, digits)}–${fmt(ref.high * scale, digits)}`;

const times = (low: number, high: number): string =>
  Math.abs(low - high) < 0.05 * Math.max(low, high) ? `${fmt(low, 1)}×` : `${fmt(Math.min(low, high), 1)}–${fmt(Math.max(low, high), 1)}×`;

/** Higher is better; the target is `factor` times the reference (its high end to meet it fully). */
export const throughputRow = (workload: string, measure: string, value: number, ref: Reference, factor: number): Row => {
  const fully = value >= factor * ref.high;
  const partly = value >= factor * ref.low;
  return {
    workload,
    measure,
    cairn: fmt(value, 0),
    reference: range(ref, 1, 0),
    target: `≥ ${range(ref, factor, 0)} (${factor}×)`,
    verdict: `${times(value / ref.high, value / ref.low)} ref; ${fully ? 'target met' : partly ? 'met vs low ref only' : 'BELOW target'}`,
  };
};

/** Lower is better; the target is an absolute bound in the same unit as `value`. */
export const latencyRow = (
  workload: string,
  measure: string,
  value: number,
  unit: 'ms' | 's',
  ref: Reference | undefined,
  targetAtMost: number | undefined,
): Row => {
  const show = (x: number) => `${fmt(x, unit === 's' ? 2 : undefined)} ${unit}`;
  const against = ref ? `${times(ref.low / value, ref.high / value)} faster than ref` : '';
  const met = targetAtMost === undefined ? '' : value <= targetAtMost ? 'target met' : 'ABOVE target';
  return {
    workload,
    measure,
    cairn: show(value),
    reference: ref ? `${range(ref, 1, unit === 's' ? 0 : 0)} ${unit}` : '—',
    target: targetAtMost === undefined ? '—' : `≤ ${show(targetAtMost)}`,
    verdict: [against, met].filter(Boolean).join('; ') || '(informational)',
  };
};

export const infoRow = (workload: string, measure: string, cairn: string, note = '(informational)'): Row => ({
  workload,
  measure,
  cairn,
  reference: '—',
  target: '—',
  verdict: note,
});

const HEADERS: Row = {
  workload: 'Workload',
  measure: 'Measure',
  cairn: 'Cairn',
  reference: 'MLflow ref',
  target: 'Cairn target',
  verdict: 'Verdict',
};

const COLUMNS = Object.keys(HEADERS) as (keyof Row)[];
const NUMERIC = new Set<keyof Row>(['cairn', 'reference']);

export const renderTable = (rows: Row[]): string => {
  const widths = COLUMNS.map((column) => Math.max(...[HEADERS, ...rows].map((row) => [...row[column]].length)));
  const pad = (text: string, column: keyof Row, width: number) =>
    NUMERIC.has(column) ? text.padStart(width) : text.padEnd(width);
  const line = (row: Row) => `| ${COLUMNS.map((column, i) => pad(row[column], column, widths[i] ?? 0)).join(' | ')} |`;
  const rule = `|${widths.map((width, i) => (NUMERIC.has(COLUMNS[i] as keyof Row) ? `${'-'.repeat(width + 1)}:` : '-'.repeat(width + 2))).join('|')}|`;
  return [line(HEADERS), rule, ...rows.map(line)].join('\n');
};

/** Wall time of a phase, for the progress lines and the summary. */
export const stopwatch = () => {
  const started = performance.now();
  return () => performance.now() - started;
};

export const log = (message: string): void => {
  const now = new Date().toISOString().slice(11, 19);
  console.log(`[${now}] ${message}`);
};

/** What one workload hands back: its table rows, extra detail lines, and how long the phase took. */
export interface WorkloadResult {
  name: string;
  rows: Row[];
  details: string[];
  phaseMs: number;
}

/** The heap in use after two full collections (needs --expose-gc; without it, as it stands): what a process holds. */
export const heldHeapBytes = (): number => {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed;
};
