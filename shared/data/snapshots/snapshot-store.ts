import { deserialize, serialize } from 'node:v8';
import { gunzipSync, gzipSync } from 'node:zlib';
import { DeleteItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { stamp } from '../codec.js';
import type { DbContext } from '../db-context.js';
import { isConditionalCheckFailed } from '../dynamo-errors.js';
import { batchGet, expression, getItem, send, toAttributes, type Item } from '../dynamo-ops.js';
import type { SnapshotEntry, SnapshotKind } from './kind.js';

/**
 * Entities are spread over this many segments by a hash of their id, so a rebuild rewrites only the segments
 * that hold changed entities, and a warm reader that sees a new head reloads only those. 64 keeps a segment of
 * a 100,000-entity experiment around 1,600 entities (a few hundred KB compressed, one or two parts) and the
 * head small.
 */
export const SNAPSHOT_SEGMENTS = 64;
/** Bytes of one part: under DynamoDB's 400 KB item limit with room for the keys. */
const PART_BYTES = 350_000;

export interface SegmentRef {
  readonly build: string;
  readonly parts: number;
}

export interface SnapshotHead {
  readonly version: number;
  readonly segments: Readonly<Record<string, SegmentRef>>;
  /** How many entities the snapshot holds. */
  readonly entries: number;
  readonly builtAt: number;
}

/** FNV-1a of the id: stable across processes and versions, which the segment layout relies on. */
export const segmentOf = (id: string): number => {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) hash = Math.imul(hash ^ id.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % SNAPSHOT_SEGMENTS;
};

export const readSnapshotHead = async <T>(db: DbContext, kind: SnapshotKind<T>, experimentId: string): Promise<SnapshotHead | undefined> => {
  const item = await getItem(db, kind.headKey(experimentId));
  if (!item || item.format !== kind.format) return undefined;
  return {
    version: Number(item.version),
    segments: (item.segments ?? {}) as Record<string, SegmentRef>,
    // Run heads written before snapshots were generic count `runs`.
    entries: Number(item.entries ?? item.runs ?? 0),
    builtAt: Number(item.builtAt),
  };
};

/**
 * The entries of the given segments, or undefined when a part is gone (a newer head replaced it meanwhile: the
 * caller reads the head again).
 */
export const loadSegments = async <T>(
  db: DbContext,
  kind: SnapshotKind<T>,
  experimentId: string,
  refs: ReadonlyMap<number, SegmentRef>,
): Promise<Map<number, SnapshotEntry<T>[]> | undefined> => {
  const keys = [...refs].flatMap(([segment, ref]) =>
    Array.from({ length: ref.parts }, (_, part) => kind.partKey(experimentId, segment, ref.build, part)),
  );
  const items = await batchGet(db, keys);
  if (items.length !== keys.length) return undefined;
  const bySegment = new Map<number, Item[]>();
  for (const item of items) {
    const segment = Number(item.segment);
    const parts = bySegment.get(segment);
    if (parts) parts.push(item);
    else bySegment.set(segment, [item]);
  }
  const segments = new Map<number, SnapshotEntry<T>[]>();
  for (const [segment, parts] of bySegment) {
    parts.sort((a, b) => Number(a.part) - Number(b.part));
    segments.set(segment, decodeSegment(kind, Buffer.concat(parts.map((p) => p.data as Uint8Array))));
  }
  for (const segment of refs.keys()) if (!segments.has(segment)) segments.set(segment, []);
  return segments;
};

/** Writes a segment's parts under a build id of its own; returns where they are. */
export const writeSegment = async <T>(
  db: DbContext,
  kind: SnapshotKind<T>,
  experimentId: string,
  segment: number,
  build: string,
  entries: readonly SnapshotEntry<T>[],
): Promise<{ ref: SegmentRef; bytes: number }> => {
  const bytes = encodeSegment(entries);
  const parts = Math.max(1, Math.ceil(bytes.length / PART_BYTES));
  await Promise.all(
    Array.from({ length: parts }, (_, part) =>
      send(() =>
        db.client.send(
          new PutItemCommand({
            TableName: db.tableName,
            Item: toAttributes({
              ...kind.partKey(experimentId, segment, build, part),
              ...stamp(kind.partEntity),
              segment,
              part,
              data: bytes.subarray(part * PART_BYTES, (part + 1) * PART_BYTES),
            }),
          }),
        ),
      ),
    ),
  );
  return { ref: { build, parts }, bytes: bytes.length };
};

/**
 * Replaces the head if it is still at `previous` (none: if there is none, or one of another format); false
 * when another build won. Parts are written before, so a reader of the new head finds them all.
 */
export const publishSnapshotHead = async <T>(
  db: DbContext,
  kind: SnapshotKind<T>,
  experimentId: string,
  previous: number | undefined,
  head: SnapshotHead,
): Promise<boolean> => {
  try {
    await send(() =>
      db.client.send(
        new PutItemCommand({
          TableName: db.tableName,
          Item: toAttributes({ ...kind.headKey(experimentId), ...stamp(kind.headEntity), format: kind.format, ...head }),
          ...(previous === undefined
            ? { ConditionExpression: 'attribute_not_exists(pk) OR #format <> :format' }
            : { ConditionExpression: '#version = :version AND #format = :format' }),
          ...expression(
            previous === undefined ? { '#format': 'format' } : { '#version': 'version', '#format': 'format' },
            previous === undefined ? { ':format': kind.format } : { ':version': previous, ':format': kind.format },
          ),
        }),
      ),
    );
    return true;
  } catch (error) {
    if (isConditionalCheckFailed(error)) return false;
    throw error;
  }
};

export const deleteSegmentParts = async <T>(db: DbContext, kind: SnapshotKind<T>, experimentId: string, segment: number, ref: SegmentRef): Promise<void> => {
  await Promise.all(
    Array.from({ length: ref.parts }, (_, part) =>
      send(() => db.client.send(new DeleteItemCommand({ TableName: db.tableName, Key: toAttributes(kind.partKey(experimentId, segment, ref.build, part)) }))),
    ),
  );
};

/**
 * V8's serializer keeps what JSON cannot (NaN, ±Infinity, undefined) and is several times faster to read
 * than JSON; gzip at level 1 shrinks it about 5x for a fraction of level 6's time. The layout, `[entity,
 * token | null]` pairs, is the one run snapshots were first written in.
 */
const encodeSegment = <T>(entries: readonly SnapshotEntry<T>[]): Buffer =>
  gzipSync(serialize(entries.map((e) => [e.entity, e.token ?? null])), { level: 1 });

const decodeSegment = <T>(kind: SnapshotKind<T>, bytes: Buffer): SnapshotEntry<T>[] =>
  (deserialize(gunzipSync(bytes)) as [T, string | null][]).map(([entity, token]) => ({
    entity: kind.revive(entity),
    ...(token === null ? {} : { token }),
  }));
