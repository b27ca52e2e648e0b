import { QueryCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import type { DbContext } from '../db-context.js';
import { batchGet, expression, fromAttributes, send, type Item } from '../dynamo-ops.js';
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
const POINT_BYTES = 24;
const PAGE_BYTES = 1024 * 1024;

/**
 * Every item of one history partition with the given attributes. Most histories fit in one query page
 * (1 MB, about 40,000 points); a million-point history is about 24 MB, 24 pages read one after another,
 * so when the first page is not the last, the rest is read in parallel: chunk sort keys are
 * `C#<hex content hash>`, spread evenly over their first hex digit, so each digit past the first page's
 * last key is its own query. A partition known to span several pages (`spread`) is read by digit at once.
 */
const readPartition = async (db: DbContext, pk: string, attributes: string[], spread = false): Promise<Item[]> => {
  const names = Object.fromEntries(attributes.map((name) => [`#${name}`, name]));
  const query = (condition: string, values: Item, startKey?: Record<string, AttributeValue>) =>
    send(() =>
      db.client.send(
        new QueryCommand({
          TableName: db.tableName,
          KeyConditionExpression: condition,
          ProjectionExpression: Object.keys(names).join(', '),
          ...expression(names, values),
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
  if (spread) {
    await Promise.all([...HEX_DIGITS].map((d) => readPrefix(`C#${d}`)));
    return items;
  }
  const first = await query('pk = :pk', { ':pk': pk });
  for (const item of first.Items ?? []) items.push(fromAttributes(item));
  if (first.LastEvaluatedKey) {
    const digit = String(fromAttributes(first.LastEvaluatedKey).sk).charAt(2);
    const later = [...HEX_DIGITS.slice(HEX_DIGITS.indexOf(digit) + 1)];
    await Promise.all([readPrefix(`C#${digit}`, first.LastEvaluatedKey), ...later.map((d) => readPrefix(`C#${d}`))]);
  }
  return items;
};

/**
 * Chunks already read, by partition and sort key. A chunk never changes (its key is its content's hash),
 * so a cached chunk is always right; a history only gains chunks. Bounded by points held (24 bytes each),
 * least recently used partitions dropped first.
 */
const CACHE_POINTS = 2_000_000;
const cache = new Map<string, { chunks: Map<string, PackedChunk>; points: number; ordered: PackedChunk[] }>();
let cachedPoints = 0;

const remember = (cacheKey: string, chunks: Map<string, PackedChunk>, ordered: PackedChunk[]) => {
  const previous = cache.get(cacheKey);
  if (previous) {
    cache.delete(cacheKey);
    cachedPoints -= previous.points;
  }
  const points = [...chunks.values()].reduce((sum, chunk) => sum + chunk.count, 0);
  if (points > CACHE_POINTS) return;
  cache.set(cacheKey, { chunks, points, ordered });
  cachedPoints += points;
  for (const [oldest, entry] of cache) {
    if (cachedPoints <= CACHE_POINTS) break;
    cache.delete(oldest);
    cachedPoints -= entry.points;
  }
};

/** Empties the process's chunk cache (tests that want a cold read). */
export const clearPackedHistoryCache = () => {
  cache.clear();
  cachedPoints = 0;
};

/**
 * Every chunk of one metric of one run, packed, oldest first. Only the packed points, their count and the
 * write time are fetched (the chunk's extras are not needed to draw it). Points repeated across chunks
 * are still there: the caller merges them (see shared/domain/tracking/metric-buckets.ts).
 *
 * A history read before is listed by sort key only (a keys-only query) and just its new chunks are
 * fetched: zooming a million-point chart does not move its 24 MB again. A request that arrives while the
 * same history is being read joins that read, so it may miss a point written after the read began (the
 * chart's next refresh shows it); MLflow's own history endpoints do not go through here. While a history
 * gains no chunk, every read answers the same array (frozen by convention: callers never change it), so
 * callers may keep what they derive from it (the merged history, metric-buckets-query.ts) by identity.
 */
export const readPackedHistory = (db: DbContext, runId: string, key: string): Promise<PackedChunk[]> => {
  const cacheKey = `${db.tableName}\u0000${metricHistoryPartition(runId, key)}`;
  // Requests for one history that arrive together (a chart and a summary of it) share one read.
  const running = inFlight.get(cacheKey);
  if (running) return running;
  const read = readThroughCache(db, runId, key, cacheKey).finally(() => inFlight.delete(cacheKey));
  inFlight.set(cacheKey, read);
  return read;
};

const inFlight = new Map<string, Promise<PackedChunk[]>>();

const readThroughCache = async (db: DbContext, runId: string, key: string, cacheKey: string): Promise<PackedChunk[]> => {
  const pk = metricHistoryPartition(runId, key);
  const entry = cache.get(cacheKey);
  let chunks: Map<string, PackedChunk>;
  if (!entry) {
    const items = await readPartition(db, pk, ['sk', 'points', 'count', 'writtenAt']);
    chunks = new Map(items.map((item) => [String(item.sk), packedChunk(item, runId, key)]));
  } else {
    const known = entry.chunks;
    // DynamoDB's 1 MB page counts whole items before the projection, so even this keys-only listing of a
    // million-point history is 24 pages: read them by digit at once rather than a first page, then the rest.
    const spread = entry.points * POINT_BYTES > PAGE_BYTES;
    const listed = (await readPartition(db, pk, ['sk'], spread)).map((item) => String(item.sk));
    const missing = listed.filter((sk) => !known.has(sk));
    if (missing.length === 0) {
      remember(cacheKey, known, entry.ordered);
      return entry.ordered;
    }
    const fetched = await batchGet(db, missing.map((sk) => ({ pk, sk })));
    chunks = new Map(known);
    for (const item of fetched) chunks.set(String(item.sk), packedChunk(item, runId, key));
  }
  const ordered = [...chunks.values()].sort((a, b) => a.writtenAt - b.writtenAt);
  remember(cacheKey, chunks, ordered);
  return ordered;
};

const packedChunk = (item: Item, runId: string, key: string): PackedChunk => {
  const { points, count, writtenAt } = item as { points?: unknown; count?: unknown; writtenAt?: unknown };
  if (!(points instanceof Uint8Array) || typeof count !== 'number' || points.byteLength < count * 24) {
    throw new Error(`Malformed metric history chunk of run ${runId}, key ${key}`);
  }
  return { writtenAt: typeof writtenAt === 'number' ? writtenAt : 0, count, triples: triplesOf(points, count) };
};
