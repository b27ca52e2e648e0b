import type { MetricPoint } from './entities.js';

/** MLflow's history order: (timestamp, step, value) ascending. NaN sorts as MLflow's SQL store ranks it, as 0. */
export const compareHistoryPoints = (a: MetricPoint, b: MetricPoint): number =>
  a.timestamp - b.timestamp || a.step - b.step || rankValue(a.value) - rankValue(b.value) || nanLast(a.value, b.value);

const rankValue = (value: number) => (Number.isNaN(value) ? 0 : value === Infinity ? Number.MAX_VALUE : value === -Infinity ? -Number.MAX_VALUE : value);
const nanLast = (a: number, b: number) => Number(Number.isNaN(a)) - Number(Number.isNaN(b));

const latestRankValue = (value: number) => (Number.isNaN(value) ? 0 : value);

/**
 * MLflow's latest-value order: (step, timestamp, value), NaN as 0. A run's latest value of a metric is its
 * greatest point in this order (shared/data/runs/metric-encoding.ts encodes it as a string DynamoDB compares).
 */
export const compareMetricRank = (
  a: { step: number; timestamp: number; value: number },
  b: { step: number; timestamp: number; value: number },
): number => Math.sign(a.step - b.step || a.timestamp - b.timestamp || latestRankValue(a.value) - latestRankValue(b.value)) || 0;

/** Points are the same point when timestamp, step and value agree (NaN equals NaN), as MLflow's primary key says. */
export const samePoint = (a: MetricPoint, b: MetricPoint): boolean =>
  a.timestamp === b.timestamp &&
  a.step === b.step &&
  (a.value === b.value || (Number.isNaN(a.value) && Number.isNaN(b.value)));

/**
 * Sorts in history order and drops repeated points, keeping the first occurrence in `points` (callers pass
 * chunks oldest first, so a point keeps the extras it was first logged with).
 */
export const sortAndDeduplicate = (points: MetricPoint[]): MetricPoint[] => {
  const indexed = points.map((point, index) => ({ point, index }));
  indexed.sort((a, b) => compareHistoryPoints(a.point, b.point) || a.index - b.index);
  const result: MetricPoint[] = [];
  for (const { point } of indexed) {
    const previous = result[result.length - 1];
    if (previous && samePoint(previous, point)) continue;
    result.push(point);
  }
  return result;
};
