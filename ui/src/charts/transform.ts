import type { SmoothingKind } from './settings';

type Values = readonly (number | null)[];

/**
 * Exponential moving average with TensorBoard's debiasing (the first points are not pulled toward 0).
 * Gaps (null) and non-finite values stay as they are and do not move the average.
 */
export const emaSmooth = (values: Values, weight: number): (number | null)[] => {
  if (weight <= 0) return [...values];
  let last = 0;
  let steps = 0;
  return values.map((value) => {
    if (value === null || !Number.isFinite(value)) return value;
    last = last * weight + (1 - weight) * value;
    steps++;
    return last / (1 - weight ** steps);
  });
};

/** Trailing running average over the last `window` finite values. */
export const runningAverage = (values: Values, window: number): (number | null)[] => {
  const size = Math.max(1, Math.round(window));
  const recent: number[] = [];
  let sum = 0;
  return values.map((value) => {
    if (value === null || !Number.isFinite(value)) return value;
    recent.push(value);
    sum += value;
    if (recent.length > size) sum -= recent.shift()!;
    return sum / recent.length;
  });
};

export const smooth = (values: Values, kind: SmoothingKind, amount: number): (number | null)[] =>
  kind === 'ema' ? emaSmooth(values, amount) : kind === 'avg' ? runningAverage(values, amount) : [...values];

/** The q-quantile (0..1) of sorted values, interpolated between neighbours. */
const quantile = (sorted: readonly number[], q: number): number => {
  const at = (sorted.length - 1) * q;
  const below = Math.floor(at);
  const above = Math.ceil(at);
  return sorted[below]! + (sorted[above]! - sorted[below]!) * (at - below);
};

/**
 * The y range that ignores outliers: the 5th to 95th percentile of every finite value shown, widened by a
 * tenth so the curves do not touch the frame (MLflow's "ignore outliers" clips at the same percentiles).
 * Undefined when there is nothing to measure.
 */
export const outlierRange = (series: readonly Values[], lower = 0.05, upper = 0.95): [number, number] | undefined => {
  const all: number[] = [];
  for (const values of series) for (const value of values) if (value !== null && Number.isFinite(value)) all.push(value);
  if (all.length === 0) return undefined;
  all.sort((a, b) => a - b);
  const lo = quantile(all, lower);
  const hi = quantile(all, upper);
  const pad = (hi - lo) * 0.1 || Math.abs(hi) * 0.1 || 1;
  return [lo - pad, hi + pad];
};

/** A log axis cannot show zero or below: those values become gaps. */
export const positiveOnly = (values: Values): (number | null)[] => values.map((value) => (value !== null && value > 0 ? value : null));

/** Seconds as the relative-time axis shows them: 42s, 3m 20s, 1h 05m. */
export const formatDuration = (seconds: number): string => {
  const sign = seconds < 0 ? '-' : '';
  const s = Math.abs(seconds);
  if (s < 60) return `${sign}${Number(s.toFixed(s < 10 ? 1 : 0))}s`;
  // Whole minutes or hours drop their zero part, so axis ticks stay short: 10m, 1m 40s, 2h, 1h 05m.
  if (s < 3600) {
    const rest = Math.round(s % 60);
    return `${sign}${Math.floor(s / 60)}m${rest ? ` ${String(rest).padStart(2, '0')}s` : ''}`;
  }
  const minutes = Math.floor((s % 3600) / 60);
  return `${sign}${Math.floor(s / 3600)}h${minutes ? ` ${String(minutes).padStart(2, '0')}m` : ''}`;
};

/** A compact number for axes and tooltips: 4 significant digits, exponent form when large or tiny. */
export const formatValue = (value: number | null | undefined): string => {
  if (value === null || value === undefined) return '–';
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '-∞';
  const abs = Math.abs(value);
  if (abs !== 0 && (abs >= 1e6 || abs < 1e-3)) return value.toExponential(3);
  return String(Number(value.toPrecision(4)));
};
