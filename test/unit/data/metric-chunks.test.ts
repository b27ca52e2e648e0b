import { describe, expect, it } from 'vitest';
import type { MetricPoint } from '../../../shared/domain/tracking/entities.js';
import { fromChunkItem, toChunkItem } from '../../../shared/data/metrics/chunk-codec.js';
import { sortAndDeduplicate } from '../../../shared/domain/tracking/metric-points.js';

const RUN = 'a'.repeat(32);
const points = (n: number): MetricPoint[] =>
  Array.from({ length: n }, (_, i) => ({ key: 'loss', value: i === 3 ? Number.NaN : 1 / (i + 1), timestamp: 1_795_000_000_000 + i, step: i }));

describe('metric history chunks', () => {
  it('round-trips points, NaN included, with the extras they were logged with', () => {
    // Prepare
    const original = points(10).map((p) => ({ ...p, modelId: 'm-1', datasetName: 'd', datasetDigest: 'x' }));

    // Act
    const decoded = fromChunkItem(toChunkItem(RUN, 'loss', { modelId: 'm-1', datasetName: 'd', datasetDigest: 'x' }, original, 5));

    // Assess
    expect(decoded.writtenAt).toBe(5);
    expect(decoded.points).toEqual(original);
  });

  it('stores 24 bytes per point', () => {
    // Act
    const item = toChunkItem(RUN, 'loss', {}, points(1000), 1);

    // Assess
    expect((item.points as Buffer).byteLength).toBe(24_000);
  });

  it('gives the same content the same key, so a retried write replaces itself', () => {
    // Act
    const first = toChunkItem(RUN, 'loss', {}, points(100), 1);
    const retry = toChunkItem(RUN, 'loss', {}, points(100), 2);
    const other = toChunkItem(RUN, 'loss', {}, points(101), 1);

    // Assess
    expect(retry.sk).toBe(first.sk);
    expect(other.sk).not.toBe(first.sk);
  });

  it('refuses an item of another entity type', () => {
    // Act & Assess
    expect(() => fromChunkItem({ ...toChunkItem(RUN, 'loss', {}, points(1), 1), _et: 'run' })).toThrow(/not readable/);
  });
});

describe('history order', () => {
  it('sorts by (timestamp, step, value) and keeps one copy of a point, the first logged', () => {
    // Prepare
    const a = { key: 'k', value: 1, timestamp: 2, step: 0, modelId: 'first' };
    const b = { key: 'k', value: 1, timestamp: 2, step: 0, modelId: 'second' };
    const c = { key: 'k', value: Number.NaN, timestamp: 1, step: 5 };
    const d = { key: 'k', value: Number.NaN, timestamp: 1, step: 5 };
    const e = { key: 'k', value: 0.5, timestamp: 2, step: 0 };

    // Act
    const history = sortAndDeduplicate([a, c, b, e, d]);

    // Assess
    expect(history).toEqual([c, e, a]);
  });
});
