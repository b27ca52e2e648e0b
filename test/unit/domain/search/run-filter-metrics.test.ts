import { describe, it, expect } from 'vitest';
import { aRun, idsMatching } from './run-builders.js';

const metricRuns = [
  aRun({ id: 'low', metrics: { acc: 0.2 } }),
  aRun({ id: 'mid', metrics: { acc: 0.5 } }),
  aRun({ id: 'high', metrics: { acc: 0.9 } }),
  aRun({ id: 'none', metrics: { loss: 1 } }),
  aRun({ id: 'nan', metrics: { acc: Number.NaN } }),
];

describe('run filter: empty filters', () => {
  it.each([
    { filter: undefined, label: 'undefined' },
    { filter: '', label: 'empty' },
    { filter: '   \n', label: 'blank' },
  ])('an $label filter keeps every run', ({ filter }) => {
    // Prepare
    const runs = metricRuns;

    // Act
    const ids = idsMatching(runs, filter);

    // Assess
    expect(ids).toEqual(['low', 'mid', 'high', 'none', 'nan']);
  });
});

describe('run filter: metrics', () => {
  it.each([
    { filter: 'metrics.acc = 0.5', expected: ['mid'] },
    { filter: 'metrics.acc != 0.5', expected: ['low', 'high', 'nan'] },
    { filter: 'metrics.acc > 0.5', expected: ['high'] },
    { filter: 'metrics.acc >= 0.5', expected: ['mid', 'high'] },
    { filter: 'metrics.acc < 0.5', expected: ['low', 'nan'] },
    { filter: 'metrics.acc <= 0.5', expected: ['low', 'mid', 'nan'] },
  ])('`$filter` keeps $expected (missing metric never matches, NaN compares as 0)', ({ filter, expected }) => {
    // Prepare
    const runs = metricRuns;

    // Act
    const ids = idsMatching(runs, filter);

    // Assess
    expect(ids).toEqual(expected);
  });

  it('a NaN metric matches `= 0`, as the reference stores NaN as 0 for comparisons', () => {
    // Prepare
    const runs = metricRuns;

    // Act
    const ids = idsMatching(runs, 'metrics.acc = 0');

    // Assess
    expect(ids).toEqual(['nan']);
  });

  it('the singular `metric.` prefix, negative and exponent literals are accepted', () => {
    // Prepare
    const runs = [aRun({ id: 'neg', metrics: { d: -0.25 } }), aRun({ id: 'pos', metrics: { d: 0.25 } })];

    // Act
    const ids = idsMatching(runs, 'metric.d < -1e-1');

    // Assess
    expect(ids).toEqual(['neg']);
  });

  it('an infinite metric is greater than any finite literal', () => {
    // Prepare
    const runs = [aRun({ id: 'inf', metrics: { m: Infinity } }), aRun({ id: 'big', metrics: { m: 1e300 } })];

    // Act
    const ids = idsMatching(runs, 'metrics.m > 1e307');

    // Assess
    expect(ids).toEqual(['inf']);
  });

  it('backtick and double-quoted metric keys may hold spaces and dashes', () => {
    // Prepare
    const runs = [aRun({ id: 'a', metrics: { 'val loss': 1, 'f1-score': 0.9 } }), aRun({ id: 'b', metrics: { 'val loss': 3 } })];

    // Act
    const ids = idsMatching(runs, 'metrics.`val loss` < 2 AND metrics."f1-score" > 0.5');

    // Assess
    expect(ids).toEqual(['a']);
  });

  it('a metric named like an Object.prototype member is missing unless logged', () => {
    // Prepare
    const runs = [aRun({ id: 'plain' }), aRun({ id: 'logged', metrics: { constructor: 1 } })];

    // Act
    const ids = idsMatching(runs, 'metrics.constructor >= 0');

    // Assess
    expect(ids).toEqual(['logged']);
  });
});
