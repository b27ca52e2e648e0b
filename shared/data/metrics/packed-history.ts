import { QueryCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import type { DbContext } from '../db-context.js';
import { expression, fromAttributes, send, type Item } from '../dynamo-ops.js';
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

const HEX_DIGITS = '0123456789abcdef';
/**
 * Every chunk of one metric of one run, packed, oldest first. Only the packed points, their count and the
 * write time are fetched (the chunk's extras are not needed to draw it). Points repeated across chunks
 * are still there: the caller merges them (see shared/domain/metric-buckets.ts).
 *
 * Most histories fit in one query page (1 MB, about 40,000 points). A million-point history is about
 * 24 MB, 24 pages read one after another; so when the first page is not the last, the rest of the
 * partition is read in parallel: chunk sort keys are `C#<hex content hash>`, spread evenly over their
 * first hex digit, so each digit past the first page's last key is its own query.
 */
export const readPackedHistory = async (db: DbContext, runId: string, key: string): Promise<PackedChunk[]> => {
  const pk = metricHistoryPartition(runId, key);
  const query = (condition: string, values: Item, startKey?: Record<string, AttributeValue>) =>
    send(() =>
      db.client.send(
        new QueryCommand({
          TableName: db.tableName,
          KeyConditionExpression: condition,
          ProjectionExpression: '#points, #count, #writtenAt',
          ...expression({ '#points': 'points', '#count': 'count', '#writtenAt': 'writtenAt' }, values),
          ExclusiveStartKey: startKey,
        }),
      ),
    );
  const items: Item[] = [];
  const readPrefix = async (prefix: string, startKey?: Record<string, AttributeValue>) => {
    let from = startKey;
    do {
      const page = await query('pk = :pk AND begins_with(sk, :prefix)', { ':pk': pk, ':prefix': prefix }, from);
      for (const item of page.Items ?? []) items.push(fromAttributes(item));
      from = page.LastEvaluatedKey;
    } while (from);
  };
  const first = await query('pk = :pk', { ':pk': pk });
  for (const item of first.Items ?? []) items.push(fromAttributes(item));
  if (first.LastEvaluatedKey) {
    const digit = String(fromAttributes(first.LastEvaluatedKey).sk).charAt(2);
    const later = [...HEX_DIGITS.slice(HEX_DIGITS.indexOf(digit) + 1)];
    await Promise.all([readPrefix(`C#${digit}`, first.LastEvaluatedKey), ...later.map((d) => readPrefix(`C#${d}`))]);
  }
  return items.map((item) => packedChunk(item, runId, key)).sort((a, b) => a.writtenAt - b.writtenAt);
};

const packedChunk = (item: Item, runId: string, key: string): PackedChunk => {
  const { points, count, writtenAt } = item as { points?: unknown; count?: unknown; writtenAt?: unknown };
  if (!(points instanceof Uint8Array) || typeof count !== 'number' || points.byteLength < count * 24) {
    throw new Error(`Malformed metric history chunk of run ${runId}, key ${key}`);
  }
  return { writtenAt: typeof writtenAt === 'number' ? writtenAt : 0, count, triples: triplesOf(points, count) };
};
