import { describe, expect, it } from 'vitest';
import { bucketHistory, bucketSorted, mergeHistory, type Buckets, type ExactPoints } from '../../../../shared/domain/tracking/metric-buckets.js';

/** Packs points as the chunk codec stores them: (timestamp, step, value) triples. */
const chunk = (points: { ts: number; step: number; value: number }[]) =>
  Float64Array.from(points.flatMap((p) => [p.ts, p.step, p.value]));

const line = (from: number, to: number, value: (step: number) => number = (s) => s) =>
  Array.from({ length: to - from }, (_, i) => ({ ts: 1000 + (from + i) * 10, step: from + i, value: value(from + i) }));

const asBuckets = (series: ReturnType<typeof bucketHistory>): Buckets => {
  expect(series.kind).toBe('buckets');
  return series as Buckets;
};
const asPoints = (series: ReturnType<typeof bucketHistory>): ExactPoints => {
  expect(series.kind).toBe('points');
  return series as ExactPoints;
};

describe('bucketHistory', () => {
  it('answers the exact points when they fit in the buckets', () => {
    const series = asPoints(bucketHistory([chunk(line(0, 5))], { xAxis: 'step', buckets: 5 }));
    expect(series).toEqual({ kind: 'points', count: 5, steps: [0, 1, 2, 3, 4], timestamps: [1000, 1010, 1020, 1030, 1040], values: [0, 1, 2, 3, 4] });
  });

  it('keeps a single-step spike as the max of its bucket', () => {
    const points = line(0, 100_000, (s) => (s === 77_777 ? 1e6 : Math.sin(s / 100)));
    const series = asBuckets(bucketHistory([chunk(points)], { xAxis: 'step', buckets: 500 }));
    expect(series.xMin.length).toBe(500);
    expect(series.count).toBe(100_000);
    expect(series.counts.reduce((a, b) => a + b, 0)).toBe(100_000);
    const spikeBucket = series.xMin.findIndex((lo, i) => lo <= 77_777 && 77_777 <= series.xMax[i]!);
    expect(series.max[spikeBucket]).toBe(1e6);
    expect(Math.max(...series.max)).toBe(1e6);
    expect(series.max.filter((m) => m === 1e6)).toHaveLength(1);
  });

  it('gives each bucket its extent, min, max, last value and count', () => {
    const values = [5, 1, 9, 3, 7, 2, 8, 4];
    const points = values.map((value, step) => ({ ts: step, step, value }));
    const series = asBuckets(bucketHistory([chunk(points)], { xAxis: 'step', buckets: 4 }));
    expect(series).toEqual({
      kind: 'buckets',
      count: 8,
      xMin: [0, 2, 4, 6],
      xMax: [1, 3, 5, 7],
      min: [1, 3, 2, 4],
      max: [5, 9, 7, 8],
      last: [1, 3, 2, 4],
      counts: [2, 2, 2, 2],
    });
  });

  it('merges chunks written out of order and drops points repeated across chunks', () => {
    const all = line(0, 40);
    const chunks = [chunk(all.slice(20)), chunk(all.slice(0, 25)), chunk(all.slice(10, 15))];
    const series = asPoints(bucketHistory(chunks, { xAxis: 'step', buckets: 100 }));
    expect(series.count).toBe(40);
    expect(series.steps).toEqual(all.map((p) => p.step));
  });

  it('sorts interleaved chunks by step, then timestamp, then value', () => {
    const a = chunk([{ ts: 5, step: 0, value: 1 }, { ts: 6, step: 2, value: 3 }]);
    const b = chunk([{ ts: 1, step: 1, value: 2 }, { ts: 2, step: 0, value: 0 }]);
    const byStep = asPoints(bucketHistory([a, b], { xAxis: 'step', buckets: 10 }));
    expect(byStep.steps).toEqual([0, 0, 1, 2]);
    expect(byStep.values).toEqual([0, 1, 2, 3]);
    const byTime = asPoints(bucketHistory([a, b], { xAxis: 'timestamp', buckets: 10 }));
    expect(byTime.timestamps).toEqual([1, 2, 5, 6]);
    expect(byTime.values).toEqual([2, 0, 1, 3]);
  });

  it('takes the latest point of the last step as the last value (several points on one step)', () => {
    const points = [
      { ts: 1, step: 0, value: 1 },
      { ts: 3, step: 1, value: 30 },
      { ts: 2, step: 1, value: 20 },
    ];
    const series = asBuckets(bucketHistory([chunk(points)], { xAxis: 'step', buckets: 1 }));
    expect(series.last).toEqual([30]);
    expect(series.counts).toEqual([3]);
  });

  it('keeps only points in the x range, and buckets over that range', () => {
    const series = asBuckets(bucketHistory([chunk(line(0, 1000))], { xAxis: 'step', xMin: 100, xMax: 199, buckets: 10 }));
    expect(series.count).toBe(100);
    expect(series.xMin[0]).toBe(100);
    expect(series.xMax[series.xMax.length - 1]).toBe(199);
    expect(series.counts).toEqual(Array(10).fill(10));
    const byTime = asPoints(bucketHistory([chunk(line(0, 1000))], { xAxis: 'timestamp', xMin: 1000, xMax: 1020, buckets: 10 }));
    expect(byTime.steps).toEqual([0, 1, 2]);
  });

  it('answers an empty series for no points or an empty range', () => {
    expect(bucketHistory([], { xAxis: 'step', buckets: 10 })).toEqual({ kind: 'points', count: 0, steps: [], timestamps: [], values: [] });
    expect(bucketHistory([chunk(line(0, 10))], { xAxis: 'step', xMin: 50, xMax: 60, buckets: 10 }).count).toBe(0);
  });

  it('leaves NaN out of min and max but counts it; a NaN-only bucket has NaN bounds', () => {
    const points = [
      { ts: 0, step: 0, value: NaN },
      { ts: 1, step: 1, value: NaN },
      { ts: 2, step: 2, value: 4 },
      { ts: 3, step: 3, value: NaN },
    ];
    const series = asBuckets(bucketHistory([chunk(points)], { xAxis: 'step', buckets: 2 }));
    expect(series.min[0]).toBeNaN();
    expect(series.max[0]).toBeNaN();
    expect(series.min[1]).toBe(4);
    expect(series.max[1]).toBe(4);
    expect(series.last[1]).toBeNaN();
    expect(series.counts).toEqual([2, 2]);
  });

  it('treats repeated NaN points as one point', () => {
    const p = { ts: 1, step: 1, value: NaN };
    expect(bucketHistory([chunk([p]), chunk([p])], { xAxis: 'step', buckets: 10 }).count).toBe(1);
  });

  it('puts every point in one bucket when all share one x', () => {
    const points = Array.from({ length: 5 }, (_, i) => ({ ts: i, step: 7, value: i }));
    const series = asBuckets(bucketHistory([chunk(points)], { xAxis: 'step', buckets: 2 }));
    expect(series.counts).toEqual([5]);
    expect(series.last).toEqual([4]);
  });
});

describe('a history merged once, then sliced per read', () => {
  // Two writers' chunks, out of order, overlapping, with repeated points and two points on one step.
  const chunks = [
    chunk(line(500, 1000, (s) => (s === 777 ? 1e6 : Math.cos(s)))),
    chunk(line(0, 600, (s) => Math.cos(s))),
    chunk([{ ts: 99_999, step: 300, value: -5 }, { ts: 1000 + 300 * 10, step: 300, value: Math.cos(300) }]),
  ];
  const cases = [
    { buckets: 2000 },
    { buckets: 37 },
    { buckets: 37, xMin: 250, xMax: 800 },
    { buckets: 10, xMin: 300, xMax: 300 },
    { buckets: 50, xMin: 777.5, xMax: 778 },
    { buckets: 50, xMin: 2000 },
  ];

  it.each(cases)('answers what bucketing the chunks answers, by step (%o)', (range) => {
    const merged = mergeHistory(chunks, 'step');
    expect(bucketSorted(merged, { xAxis: 'step', ...range })).toEqual(bucketHistory(chunks, { xAxis: 'step', ...range }));
  });

  it('answers what bucketing the chunks answers, by timestamp', () => {
    const merged = mergeHistory(chunks, 'timestamp');
    for (const range of [{ buckets: 40 }, { buckets: 40, xMin: 5000, xMax: 99_999 }, { buckets: 3000 }]) {
      expect(bucketSorted(merged, { xAxis: 'timestamp', ...range })).toEqual(bucketHistory(chunks, { xAxis: 'timestamp', ...range }));
    }
  });

  it('leaves the chunks it merged as they were', () => {
    const before = chunks.map((c) => Array.from(c));
    mergeHistory(chunks, 'step');
    expect(chunks.map((c) => Array.from(c))).toEqual(before);
  });
});
