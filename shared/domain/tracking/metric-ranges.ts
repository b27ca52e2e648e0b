import type { MetricRange } from './entities.js';
import type { PackedHistoryChunk } from './ports.js';

/**
 * Cairn's min and max of a metric key (MLflow keeps neither). The rule, wherever a range is made or merged:
 * - NaN points are left out, so one NaN never hides the numbers of a run: a key's min and max are NaN only
 *   when every one of its points is NaN (MLflow itself orders NaN past every number, run-order.ts);
 * - ±Infinity are values like any other: -Infinity is a min, Infinity a max;
 * - -0 and 0 are the same value (the first one logged stays).
 * Ranges are monotone (a min only goes down, a max only up), which is what lets the store keep them with
 * conditional writes and no read, and what makes merging in any order give the same range.
 */

/** Which value of a key a search reads: MLflow's latest value, or Cairn's min or max. */
export type MetricAggregate = 'last' | 'min' | 'max';

/** Whether `candidate` is a lower min than `current` (NaN loses to every number). */
export const lowersMin = (candidate: number, current: number): boolean =>
  !Number.isNaN(candidate) && (Number.isNaN(current) || candidate < current);

/** Whether `candidate` is a higher max than `current` (NaN loses to every number). */
export const raisesMax = (candidate: number, current: number): boolean =>
  !Number.isNaN(candidate) && (Number.isNaN(current) || candidate > current);

/** Both ranges as one; either may be missing. */
export const mergeRanges = (a: MetricRange | undefined, b: MetricRange | undefined): MetricRange | undefined => {
  if (!a || !b) return a ?? b;
  return { min: lowersMin(b.min, a.min) ? b.min : a.min, max: raisesMax(b.max, a.max) ? b.max : a.max };
};

/** The range of some values; undefined when there are none. */
export const rangeOfValues = (values: Iterable<number>): MetricRange | undefined => {
  let range: MetricRange | undefined;
  for (const value of values) {
    if (!range) range = { min: value, max: value };
    else {
      if (lowersMin(value, range.min)) range.min = value;
      if (raisesMax(value, range.max)) range.max = value;
    }
  }
  return range;
};

/** The range of a stored history, read straight from its packed (timestamp, step, value) triples. */
export const rangeOfPackedHistory = (chunks: readonly PackedHistoryChunk[]): MetricRange | undefined => {
  let range: MetricRange | undefined;
  for (const { count, triples } of chunks) {
    for (let i = 0; i < count; i++) {
      const value = triples[i * 3 + 2] as number;
      if (!range) range = { min: value, max: value };
      else {
        if (lowersMin(value, range.min)) range.min = value;
        if (raisesMax(value, range.max)) range.max = value;
      }
    }
  }
  return range;
};
