/**
 * Full-fidelity chart data: a metric history cut into at most N buckets along x (step or timestamp), each
 * with its extent, min, max, last value and count, so a single-step spike is always the max of its
 * bucket; or the exact points when there are no more than N of them. Pure: it takes packed chunks
 * (`[timestamp, step, value]` triples, shared/data/metrics/packed-history.ts) and builds no per-point
 * objects, so a million points are bucketed in milliseconds.
 */

export type XAxis = 'step' | 'timestamp';

export interface BucketOptions {
  readonly xAxis: XAxis;
  /** Inclusive range of x; the history's own extent when absent. */
  readonly xMin?: number | undefined;
  readonly xMax?: number | undefined;
  /** Most buckets (and most exact points) to answer. */
  readonly buckets: number;
}

export interface ExactPoints {
  readonly kind: 'points';
  /** Distinct points in range. */
  readonly count: number;
  readonly steps: number[];
  readonly timestamps: number[];
  readonly values: number[];
}

/** Non-empty buckets only, in x order; column i of every array is bucket i. */
export interface Buckets {
  readonly kind: 'buckets';
  readonly count: number;
  readonly xMin: number[];
  readonly xMax: number[];
  /** NaN values are left out of min and max; a bucket holding only NaN has NaN for both. */
  readonly min: number[];
  readonly max: number[];
  /** The value at the bucket's last x (MLflow's latest-point order breaks ties: then timestamp or step, then value). */
  readonly last: number[];
  readonly counts: number[];
}

export type BucketedSeries = ExactPoints | Buckets;

const TS = 0;
const STEP = 1;
const VALUE = 2;

/** Orders values as MLflow's history does (shared/data/metrics/history.ts): NaN ranks as 0, after a real 0. */
const rankValue = (value: number) =>
  Number.isNaN(value) ? 0 : value === Infinity ? Number.MAX_VALUE : value === -Infinity ? -Number.MAX_VALUE : value;

const compareValues = (a: number, b: number) =>
  rankValue(a) - rankValue(b) || Number(Number.isNaN(a)) - Number(Number.isNaN(b));

const sameValue = (a: number, b: number) => a === b || (Number.isNaN(a) && Number.isNaN(b));

/** Sorted, de-duplicated in-range points as interleaved triples; `length / 3` points. */
const collectInRange = (chunks: readonly Float64Array[], options: BucketOptions): Float64Array => {
  const x = options.xAxis === 'step' ? STEP : TS;
  const lo = options.xMin ?? -Infinity;
  const hi = options.xMax ?? Infinity;
  // Chunks usually hold consecutive stretches of the history: laid end to end by their first x, they are
  // already in order and the sort below is skipped.
  const spans = chunks
    .map((triples, index) => {
      let count = 0;
      let firstX = Infinity;
      for (let offset = 0; offset < triples.length; offset += 3) {
        const value = triples[offset + x]!;
        if (value < lo || value > hi) continue;
        if (count === 0) firstX = value;
        count++;
      }
      return { triples, index, count, firstX };
    })
    .filter((span) => span.count > 0)
    .sort((a, b) => a.firstX - b.firstX || a.index - b.index);
  const total = spans.reduce((sum, span) => sum + span.count, 0);
  const merged = new Float64Array(total * 3);
  let write = 0;
  for (const { triples, count } of spans) {
    if (count * 3 === triples.length) {
      merged.set(triples, write);
      write += triples.length;
      continue;
    }
    for (let offset = 0; offset < triples.length; offset += 3) {
      const value = triples[offset + x]!;
      if (value < lo || value > hi) continue;
      merged[write] = triples[offset]!;
      merged[write + 1] = triples[offset + 1]!;
      merged[write + 2] = triples[offset + 2]!;
      write += 3;
    }
  }
  const sorted = isSorted(merged, x) ? merged : sortTriples(merged, x);
  return deduplicate(sorted);
};

const compareAt = (triples: Float64Array, a: number, b: number, x: number): number => {
  const y = x === STEP ? TS : STEP;
  return (
    triples[a + x]! - triples[b + x]! ||
    triples[a + y]! - triples[b + y]! ||
    compareValues(triples[a + VALUE]!, triples[b + VALUE]!)
  );
};

const isSorted = (triples: Float64Array, x: number): boolean => {
  let previous = -Infinity;
  for (let offset = x; offset < triples.length; offset += 3) {
    const current = triples[offset]!;
    // Equal x (several points on one step) is rare: only then are the other fields compared.
    if (current < previous || (current === previous && compareAt(triples, offset - x - 3, offset - x, x) > 0)) return false;
    previous = current;
  }
  return true;
};

const sortTriples = (triples: Float64Array, x: number): Float64Array => {
  const order = new Uint32Array(triples.length / 3);
  for (let index = 0; index < order.length; index++) order[index] = index;
  order.sort((a, b) => compareAt(triples, a * 3, b * 3, x) || a - b);
  const sorted = new Float64Array(triples.length);
  order.forEach((from, to) => sorted.set(triples.subarray(from * 3, from * 3 + 3), to * 3));
  return sorted;
};

/** Drops repeats of a point (the same timestamp, step and value), which sorting has made adjacent. */
const deduplicate = (triples: Float64Array): Float64Array => {
  let write = 0;
  for (let read = 0; read < triples.length; read += 3) {
    if (
      write > 0 &&
      triples[write - 2] === triples[read + 1] &&
      triples[write - 3] === triples[read] &&
      sameValue(triples[write - 1]!, triples[read + 2]!)
    ) {
      continue;
    }
    if (write !== read) {
      triples[write] = triples[read]!;
      triples[write + 1] = triples[read + 1]!;
      triples[write + 2] = triples[read + 2]!;
    }
    write += 3;
  }
  return write === triples.length ? triples : triples.subarray(0, write);
};

export const bucketHistory = (chunks: readonly Float64Array[], options: BucketOptions): BucketedSeries =>
  bucketSorted(collectInRange(chunks, options), options);

/**
 * A whole history merged once: sorted along `xAxis`, repeats removed. Kept by the caller while the history's
 * chunks are unchanged, so each later read (a page load, a zoom) only slices and buckets it, which for a
 * million points is a few milliseconds instead of a 24 MB merge.
 */
export const mergeHistory = (chunks: readonly Float64Array[], xAxis: XAxis): Float64Array => collectInRange(chunks, { xAxis, buckets: 1 });

/** Index of the first point (in triples) whose x is at least `bound`, or after it (`strict`), by bisection. */
const firstAtOrAfter = (triples: Float64Array, x: number, bound: number, strict: boolean): number => {
  let lo = 0;
  let hi = triples.length / 3;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const value = triples[mid * 3 + x]!;
    if (strict ? value <= bound : value < bound) lo = mid + 1;
    else hi = mid;
  }
  return lo;
};

/** Buckets (or exact points) of a history merged by mergeHistory along the same axis. */
export const bucketSorted = (merged: Float64Array, options: BucketOptions): BucketedSeries => {
  const x = options.xAxis === 'step' ? STEP : TS;
  const from = options.xMin === undefined ? 0 : firstAtOrAfter(merged, x, options.xMin, false);
  const to = options.xMax === undefined ? merged.length / 3 : firstAtOrAfter(merged, x, options.xMax, true);
  const triples = merged.subarray(from * 3, Math.max(from, to) * 3);
  const count = triples.length / 3;
  if (count <= options.buckets) {
    const steps = new Array<number>(count);
    const timestamps = new Array<number>(count);
    const values = new Array<number>(count);
    for (let index = 0; index < count; index++) {
      timestamps[index] = triples[index * 3 + TS]!;
      steps[index] = triples[index * 3 + STEP]!;
      values[index] = triples[index * 3 + VALUE]!;
    }
    return { kind: 'points', count, steps, timestamps, values };
  }
  return toBuckets(triples, options);
};

const toBuckets = (triples: Float64Array, options: BucketOptions): Buckets => {
  const x = options.xAxis === 'step' ? STEP : TS;
  const n = options.buckets;
  const lo = options.xMin ?? triples[x]!;
  const hi = options.xMax ?? triples[triples.length - 3 + x]!;
  const width = (hi - lo) / n;
  const result: Buckets = { kind: 'buckets', count: triples.length / 3, xMin: [], xMax: [], min: [], max: [], last: [], counts: [] };
  let current = -1;
  let min = NaN;
  let max = NaN;
  let bucketCount = 0;
  const close = (lastOffset: number) => {
    result.xMax.push(triples[lastOffset + x]!);
    result.min.push(min);
    result.max.push(max);
    result.last.push(triples[lastOffset + VALUE]!);
    result.counts.push(bucketCount);
  };
  for (let offset = 0; offset < triples.length; offset += 3) {
    const xValue = triples[offset + x]!;
    const bucket = width > 0 ? Math.min(n - 1, Math.floor((xValue - lo) / width)) : 0;
    if (bucket !== current) {
      if (current >= 0) close(offset - 3);
      current = bucket;
      result.xMin.push(xValue);
      min = NaN;
      max = NaN;
      bucketCount = 0;
    }
    const value = triples[offset + VALUE]!;
    bucketCount++;
    if (Number.isNaN(value)) continue;
    if (!(value >= min)) min = value;
    if (!(value <= max)) max = value;
  }
  if (current >= 0) close(triples.length - 3);
  return result;
};
