import { describe, expect, it } from 'vitest';
import { npmiOf } from '../../../../../shared/domain/genai/trace-search/correlation.js';
import { sliceRange } from '../../../../../shared/domain/genai/trace-search/slices.js';

describe('NPMI of two trace filters (MLflow trace_correlation.py)', () => {
  it('scores 10 joint of 20 and 15 among 100 as MLflow does, unsmoothed and with Jeffreys prior', () => {
    // Act
    const result = npmiOf(10, 20, 15, 100);

    // Assess: log(10·100 / (20·15)) / −log(10/100), and the same with 0.5 added to each cell
    expect(result.npmi).toBeCloseTo(Math.log(1000 / 300) / Math.log(10), 10);
    expect(result.npmiSmoothed).toBeCloseTo(Math.log((10.5 * 102) / (21 * 16)) / -Math.log(10.5 / 102), 10);
  });

  it.each([
    { counts: [0, 0, 5, 10], npmi: Number.NaN, smoothed: Number.NaN, why: 'no support for filter 1' },
    { counts: [0, 5, 5, 0], npmi: Number.NaN, smoothed: Number.NaN, why: 'no population' },
    { counts: [6, 5, 5, 10], npmi: Number.NaN, smoothed: Number.NaN, why: 'inconsistent counts' },
    { counts: [0, 5, 5, 10], npmi: -1, smoothed: expect.any(Number), why: 'never together' },
    { counts: [5, 5, 5, 5], npmi: 1, smoothed: 1, why: 'always together, nothing else' },
  ])('$why: $npmi', ({ counts, npmi, smoothed }) => {
    // Act
    const [joint, one, two, total] = counts as [number, number, number, number];
    const result = npmiOf(joint, one, two, total);

    // Assess
    expect(result).toEqual({ npmi, npmiSmoothed: smoothed });
  });
});

describe('slices of a request-time range', () => {
  it.each([
    { from: 0, to: 99, count: 4, slices: [[0, 24], [25, 49], [50, 74], [75, 99]] },
    { from: 10, to: 12, count: 16, slices: [[10, 10], [11, 11], [12, 12]] },
    { from: 5, to: 5, count: 8, slices: [[5, 5]] },
    { from: 0, to: 9, count: 3, slices: [[0, 2], [3, 5], [6, 9]] },
  ])('[$from, $to] in $count: $slices', ({ from, to, count, slices }) => {
    // Act
    const result = sliceRange(from, to, count);

    // Assess: contiguous, disjoint, covering the range
    expect(result.map((s) => [s.fromTime, s.toTime])).toEqual(slices);
  });
});
