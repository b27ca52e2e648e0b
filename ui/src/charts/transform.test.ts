import { describe, expect, it } from 'vitest';
import { emaSmooth, formatDuration, formatValue, outlierRange, positiveOnly, runningAverage, smooth } from './transform';

describe('smoothing', () => {
  it('EMA is debiased: a constant series stays constant from the first point', () => {
    expect(emaSmooth([5, 5, 5, 5], 0.9).map((v) => Number(v!.toFixed(10)))).toEqual([5, 5, 5, 5]);
  });

  it('EMA follows the recurrence, and weight 0 leaves values as they are', () => {
    const smoothed = emaSmooth([0, 10], 0.5);
    // last = 0 → 0 (debiased 0); then 0*0.5 + 0.5*10 = 5, debiased by 1 - 0.25 → 6.666…
    expect(smoothed[0]).toBe(0);
    expect(smoothed[1]).toBeCloseTo(20 / 3, 10);
    expect(emaSmooth([1, 7, 3], 0)).toEqual([1, 7, 3]);
  });

  it('EMA and running average keep gaps and non-finite values without letting them move the curve', () => {
    expect(emaSmooth([2, null, NaN, 2], 0.7)).toEqual([2, null, NaN, expect.closeTo(2, 10)]);
    expect(runningAverage([1, null, 3, Infinity, 5], 2)).toEqual([1, null, 2, Infinity, 4]);
  });

  it('running average is trailing over the window', () => {
    expect(runningAverage([1, 2, 3, 4, 5], 3)).toEqual([1, 1.5, 2, 3, 4]);
  });

  it('picks the smoothing by kind', () => {
    expect(smooth([1, 3], 'none', 0.9)).toEqual([1, 3]);
    expect(smooth([1, 3], 'avg', 2)).toEqual([1, 2]);
    expect(smooth([1, 3], 'ema', 0.5)[1]).toBeCloseTo((0.5 * 0.5 + 0.5 * 3) / 0.75, 10);
  });
});

describe('ignoring outliers', () => {
  it('clips the y range to the 5th–95th percentile of every series, so one spike does not flatten the rest', () => {
    const calm = Array.from({ length: 100 }, (_, i) => i / 100);
    const spiky = [...calm];
    spiky[50] = 1e9;
    const [lo, hi] = outlierRange([spiky, calm])!;
    expect(hi).toBeLessThan(2);
    expect(lo).toBeLessThan(0.06);
    expect(hi).toBeGreaterThan(0.94);
  });

  it('skips gaps and non-finite values, and answers nothing without values', () => {
    expect(outlierRange([[null, NaN, Infinity]])).toBeUndefined();
    const [lo, hi] = outlierRange([[3, null, 3]])!;
    expect(lo).toBeLessThan(3);
    expect(hi).toBeGreaterThan(3);
  });

  it('turns values a log axis cannot show into gaps', () => {
    expect(positiveOnly([1, 0, -2, null, 0.5])).toEqual([1, null, null, null, 0.5]);
  });
});

describe('formatting', () => {
  it('formats durations and values compactly', () => {
    expect(formatDuration(4.25)).toBe('4.3s');
    expect(formatDuration(200)).toBe('3m 20s');
    expect(formatDuration(3900)).toBe('1h 05m');
    expect(formatDuration(600)).toBe('10m');
    expect(formatDuration(7200)).toBe('2h');
    expect(formatValue(0.123456)).toBe('0.1235');
    expect(formatValue(1e7)).toBe('1.000e+7');
    expect(formatValue(NaN)).toBe('NaN');
    expect(formatValue(null)).toBe('–');
  });
});
