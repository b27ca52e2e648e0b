import { describe, expect, it } from 'vitest';
import { decodeMetricValue, encodeMetricValue, metricRank } from '../../../shared/data/runs/metric-encoding.js';
import { compareMetricRank } from '../../../shared/domain/tracking/metric-points.js';

const point = (step: number, timestamp: number, value: number) => ({ step, timestamp, value });

/** MLflow's latest-metric order, written plainly, to check the string rank against. */
const mlflowCompare = (a: ReturnType<typeof point>, b: ReturnType<typeof point>) => {
  const v = (x: number) => (Number.isNaN(x) ? 0 : x);
  return a.step - b.step || a.timestamp - b.timestamp || Math.sign(v(a.value) - v(b.value));
};

describe('metric encoding', () => {
  it.each([0, -0.5, 1e-310, 1.7976931348623157e308, 1e200, Number.NaN, Infinity, -Infinity, 0.1 + 0.2])(
    'stores %s as a string that reads back exactly',
    (value) => {
      // Act
      const decoded = decodeMetricValue(encodeMetricValue(value));

      // Assess
      expect(Object.is(decoded, value) || (decoded === 0 && value === 0)).toBe(true);
    },
  );

  it('ranks points by step, then timestamp, then value, as MLflow picks the latest', () => {
    // Prepare
    const values = [-Infinity, -1e300, -2, -0.5, 0, Number.NaN, 1e-300, 0.5, 3, 1e300, Infinity];
    const points = [-3, 0, 7, 2 ** 40].flatMap((step) =>
      [0, 5, 1_795_000_000_000].flatMap((timestamp) => values.map((value) => point(step, timestamp, value))),
    );

    // Act
    const byRank = [...points].sort((a, b) => (metricRank(a) < metricRank(b) ? -1 : metricRank(a) > metricRank(b) ? 1 : 0));

    // Assess
    for (let i = 1; i < byRank.length; i++) {
      expect(mlflowCompare(byRank[i - 1]!, byRank[i]!)).toBeLessThanOrEqual(0);
    }
  });

  it('compares points in the same order as their ranks sort', () => {
    // Prepare
    const points = [point(1, 2, 3), point(1, 2, Number.NaN), point(1, 2, -1), point(0, 9, 9), point(2, 0, -9), point(1, 3, 0)];

    // Act & Assess
    for (const a of points) {
      for (const b of points) {
        const byRank = metricRank(a) < metricRank(b) ? -1 : metricRank(a) > metricRank(b) ? 1 : 0;
        expect(compareMetricRank(a, b)).toBe(byRank);
      }
    }
  });

  it('gives NaN the rank of 0, as the SQL store compares it', () => {
    // Act & Assess
    expect(metricRank(point(1, 1, Number.NaN))).toBe(metricRank(point(1, 1, 0)));
  });
});
