import { describe, expect, it } from 'vitest';
import { alignSeries, bucketsPerRun, mergeZoomed, seriesFromResponse, type RunSeries } from './buckets';

const exact = (runId: string, x: number[], value: number[]): RunSeries => ({
  runId, metricKey: 'loss', x, value, min: value, max: value, count: x.length, bucketed: false,
});

describe('reading the buckets answer', () => {
  it('draws buckets at their last x with the last value as the line and min–max as the band', () => {
    const [series] = seriesFromResponse({
      x_axis: 'step',
      series: [{ run_id: 'r', metric_key: 'loss', count: 9, buckets: { x_min: [0, 5], x_max: [4, 8], min: [1, 'NaN'], max: [9, 'Infinity'], last: [2, 3], count: [5, 4] } }],
    });
    expect(series).toMatchObject({ runId: 'r', x: [4, 8], value: [2, 3], max: [9, Infinity], bucketed: true, count: 9 });
    expect(series!.min[1]).toBeNaN();
  });

  it('reads exact points on the requested axis', () => {
    const answer = { run_id: 'r', metric_key: 'm', count: 2, points: { step: [0, 1], timestamp: [100, 50], value: [1, 'NaN' as const] } };
    expect(seriesFromResponse({ x_axis: 'step', series: [answer] })[0]!.x).toEqual([0, 1]);
    expect(seriesFromResponse({ x_axis: 'timestamp', series: [answer] })[0]!.x).toEqual([100, 50]);
  });
});

describe('merging a zoomed answer into the overview', () => {
  it('keeps the overview outside the zoomed range and the detail inside it', () => {
    const overview = { ...exact('r', [0, 10, 20, 30, 40], [0, 1, 2, 3, 4]), bucketed: true };
    const detail = exact('r', [10, 11, 12, 19, 20], [1, 100, 1.2, 1.9, 2]);
    const merged = mergeZoomed(overview, detail, [10, 20]);
    expect(merged.x).toEqual([0, 10, 11, 12, 19, 20, 30, 40]);
    expect(merged.value).toEqual([0, 1, 100, 1.2, 1.9, 2, 3, 4]);
    expect(merged.bucketed).toBe(true);
  });
});

describe('aligning runs on one x array', () => {
  it('joins runs with few x values as they are, with gaps where a run has no point', () => {
    const aligned = alignSeries([exact('a', [0, 1, 2], [1, 2, 3]), exact('b', [1, 3], [5, 6])], 10);
    expect(aligned.x).toEqual([0, 1, 2, 3]);
    expect(aligned.value).toEqual([[1, 2, 3, null], [null, 5, null, 6]]);
  });

  it('folds many points onto a grid of slots, keeping a single-point spike of any run', () => {
    const x = Array.from({ length: 10_000 }, (_, i) => i);
    const spiky = exact('a', x, x.map((i) => (i === 7_777 ? 1000 : 1)));
    const shifted = exact('b', x.map((i) => i + 0.5), x.map(() => 2));
    const aligned = alignSeries([spiky, shifted], 100);
    expect(aligned.x.length).toBeLessThanOrEqual(100);
    expect(Math.max(...aligned.max[0]!.map((v) => v ?? -Infinity))).toBe(1000);
    expect(aligned.max[1]!.every((v) => v === 2)).toBe(true);
    expect(aligned.min[0]!.every((v) => v === 1)).toBe(true);
  });

  it('leaves NaN out of the band while keeping it as the line value', () => {
    const series: RunSeries = { runId: 'a', metricKey: 'm', x: [0, 0], value: [1, NaN], min: [1, NaN], max: [1, NaN], count: 2, bucketed: false };
    const aligned = alignSeries([series], 10);
    expect(aligned.min[0]).toEqual([1]);
    expect(aligned.max[0]).toEqual([1]);
    expect(aligned.value[0]![0]).toBeNaN();
  });
});

describe('buckets asked per run', () => {
  it('is one per pixel for a few runs, counted in steps of 50 pixels', () => {
    expect(bucketsPerRun(612, 1)).toBe(600);
    expect(bucketsPerRun(630, 3)).toBe(650);
    expect(bucketsPerRun(5000, 1)).toBe(2000);
  });

  it('shares a budget of a few per pixel among many overlaid runs, never below 50', () => {
    expect(bucketsPerRun(1200, 20)).toBe(480);
    expect(bucketsPerRun(600, 100)).toBe(50);
    expect(bucketsPerRun(1200, 100) * 100).toBeLessThanOrEqual(1200 * 8);
  });

  it('does not change for a resize of a few pixels', () => {
    expect(bucketsPerRun(1190, 40)).toBe(bucketsPerRun(1205, 40));
  });
});
