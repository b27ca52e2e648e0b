import type { DbContext } from '../db-context.js';
import { expression, queryAll } from '../dynamo-ops.js';
import { metricHistoryPartition } from './keys.js';

/**
 * One stored chunk of a history, left packed: `[timestamp, step, value]` repeated `count` times, as the
 * chunk codec wrote them (little-endian doubles). Readers that only scan values (bucketing a
 * million-point history for a chart) use it instead of building a MetricPoint object per point.
 */
export interface PackedChunk {
  readonly writtenAt: number;
  readonly count: number;
  /** Interleaved (timestamp, step, value) triples. */
  readonly triples: Float64Array;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** A zero-copy view when the bytes are aligned on a little-endian machine; one copy otherwise. */
export const triplesOf = (bytes: Uint8Array, count: number): Float64Array => {
  const length = count * 3;
  if (LITTLE_ENDIAN && bytes.byteOffset % 8 === 0) return new Float64Array(bytes.buffer, bytes.byteOffset, length);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const triples = new Float64Array(length);
  for (let index = 0; index < length; index++) triples[index] = view.getFloat64(index * 8, true);
  return triples;
};

/**
 * Every chunk of one metric of one run, packed, oldest first. Only the packed points, their count and the
 * write time are fetched (the chunk's extras are not needed to draw it). Points repeated across chunks
 * are still there: the caller merges them (see shared/domain/metric-buckets.ts).
 */
export const readPackedHistory = async (db: DbContext, runId: string, key: string): Promise<PackedChunk[]> => {
  const items = await queryAll(db, {
    KeyConditionExpression: 'pk = :pk',
    ProjectionExpression: '#points, #count, #writtenAt',
    ...expression({ '#points': 'points', '#count': 'count', '#writtenAt': 'writtenAt' }, { ':pk': metricHistoryPartition(runId, key) }),
  });
  return items
    .map((item) => {
      const { points, count, writtenAt } = item as { points?: unknown; count?: unknown; writtenAt?: unknown };
      if (!(points instanceof Uint8Array) || typeof count !== 'number' || points.byteLength < count * 24) {
        throw new Error(`Malformed metric history chunk of run ${runId}, key ${key}`);
      }
      return { writtenAt: typeof writtenAt === 'number' ? writtenAt : 0, count, triples: triplesOf(points, count) };
    })
    .sort((a, b) => a.writtenAt - b.writtenAt);
};
