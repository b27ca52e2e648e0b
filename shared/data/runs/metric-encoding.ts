/**
 * Metric values are IEEE doubles with NaN and ±Infinity allowed, which DynamoDB numbers cannot hold (nor any
 * double above 1e126), so values are stored as their shortest round-trip string.
 */
export const encodeMetricValue = (value: number): string => String(value);
export const decodeMetricValue = (value: string): number => Number(value);

const hex64 = (value: bigint) => value.toString(16).padStart(16, '0');
const SIGN = 1n << 63n;
const MASK = (1n << 64n) - 1n;

/** A signed integer as 16 hex digits that sort like the integer. */
const sortableInteger = (value: number) => hex64((BigInt(Math.trunc(value)) + SIGN) & MASK);

/**
 * A double as 16 hex digits that sort like the number. NaN ranks as 0, as MLflow's SQL store compares it
 * (it stores NaN with value 0 and an is_nan flag).
 */
const sortableDouble = (value: number) => {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Number.isNaN(value) ? 0 : value === 0 ? 0 : value);
  const bits = view.getBigUint64(0);
  return hex64(bits & SIGN ? ~bits & MASK : bits | SIGN);
};

/**
 * The rank of a point in MLflow's latest-metric order (compareMetricRank in shared/domain/tracking/metric-points.ts),
 * as one string, so that a conditional write can keep the maximum without reading it first.
 */
export const metricRank = (point: { step: number; timestamp: number; value: number }) =>
  sortableInteger(point.step) + sortableInteger(point.timestamp) + sortableDouble(point.value);

/**
 * Ranks of the min and max items (`MN#`, `MX#`): the value's order as 16 hex digits, and NaN losing to every
 * number (Cairn's range rule, shared/domain/tracking/metric-ranges.ts): for the min NaN ranks above every
 * number ('n' > 'f...'), for the max below every number ('-' < '0...'). A min item is replaced only by a lower
 * rank, a max item only by a higher one.
 */
export const metricMinRank = (value: number) => (Number.isNaN(value) ? 'n' : sortableDouble(value));
export const metricMaxRank = (value: number) => (Number.isNaN(value) ? '-' : sortableDouble(value));
