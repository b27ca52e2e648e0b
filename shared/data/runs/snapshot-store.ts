import { deserialize, serialize } from 'node:v8';
import { gunzipSync, gzipSync } from 'node:zlib';
import { DeleteItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { Run } from '../../domain/tracking/entities.js';
import { recordOf } from '../../domain/kernel/own-records.js';
import { stamp } from '../codec.js';
import type { DbContext } from '../db-context.js';
import { isConditionalCheckFailed } from '../dynamo-errors.js';
import { batchGet, expression, getItem, send, toAttributes, type Item } from '../dynamo-ops.js';
import { runSnapshotHeadKey, runSnapshotPartKey } from './keys.js';

export const RUN_SNAPSHOT_HEAD_ITEM = 'run-snapshot-head';
export const RUN_SNAPSHOT_PART_ITEM = 'run-snapshot-part';

/**
 * Runs are spread over this many segments by a hash of their id, so a rebuild rewrites only the segments that
 * hold changed runs, and a warm reader that sees a new head reloads only those. 64 keeps a segment of a
 * 100,000-run experiment around 1,600 runs (about 200 KB compressed, one part) and the head small.
 */
export const SNAPSHOT_SEGMENTS = 64;
/** Bytes of one part: under DynamoDB's 400 KB item limit with room for the keys. */
const PART_BYTES = 350_000;
/** Changes of the encoding bump this; a head of another format is ignored (rebuilt from the table). */
const FORMAT = 1;

/** One run of a segment, with the dirty-mark token it was read at (none when read before marks existed). */
export interface SnapshotEntry {
  readonly run: Run;
  readonly token?: string;
}

export interface SegmentRef {
  readonly build: string;
  readonly parts: number;
}

export interface SnapshotHead {
  readonly version: number;
  readonly segments: Readonly<Record<string, SegmentRef>>;
  readonly runs: number;
  readonly builtAt: number;
}

export const segmentOf = (runId: string): number => {
  let hash = 0x811c9dc5;
  for (let i = 0; i < runId.length; i++) hash = Math.imul(hash ^ runId.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % SNAPSHOT_SEGMENTS;
};

export const readSnapshotHead = async (db: DbContext, experimentId: string): Promise<SnapshotHead | undefined> => {
  const item = await getItem(db, runSnapshotHeadKey(experimentId));
  if (!item || item.format !== FORMAT) return undefined;
  return { version: Number(item.version), segments: (item.segments ?? {}) as Record<string, SegmentRef>, runs: Number(item.runs), builtAt: Number(item.builtAt) };
};

/**
 * The runs of the given segments, or undefined when a part is gone (a newer head replaced it meanwhile: the
 * caller reads the head again).
 */
export const loadSegments = async (
  db: DbContext,
  experimentId: string,
  refs: ReadonlyMap<number, SegmentRef>,
): Promise<Map<number, SnapshotEntry[]> | undefined> => {
  const keys = [...refs].flatMap(([segment, ref]) =>
    Array.from({ length: ref.parts }, (_, part) => runSnapshotPartKey(experimentId, segment, ref.build, part)),
  );
  const items = await batchGet(db, keys);
  if (items.length !== keys.length) return undefined;
  const bySegment = new Map<number, Item[]>();
  for (const item of items) {
    const segment = Number(item.segment);
    bySegment.set(segment, [...(bySegment.get(segment) ?? []), item]);
  }
  const segments = new Map<number, SnapshotEntry[]>();
  for (const [segment, parts] of bySegment) {
    parts.sort((a, b) => Number(a.part) - Number(b.part));
    segments.set(segment, decodeSegment(Buffer.concat(parts.map((p) => p.data as Uint8Array))));
  }
  for (const segment of refs.keys()) if (!segments.has(segment)) segments.set(segment, []);
  return segments;
};

/** Writes a segment's parts under a build id of its own; returns where they are. */
export const writeSegment = async (
  db: DbContext,
  experimentId: string,
  segment: number,
  build: string,
  entries: readonly SnapshotEntry[],
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
              ...runSnapshotPartKey(experimentId, segment, build, part),
              ...stamp(RUN_SNAPSHOT_PART_ITEM),
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
 * Replaces the head if it is still at `previous` (none: if there is none); false when another build won.
 * Parts are written before, so a reader of the new head finds them all.
 */
export const publishSnapshotHead = async (
  db: DbContext,
  experimentId: string,
  previous: number | undefined,
  head: SnapshotHead,
): Promise<boolean> => {
  try {
    await send(() =>
      db.client.send(
        new PutItemCommand({
          TableName: db.tableName,
          Item: toAttributes({ ...runSnapshotHeadKey(experimentId), ...stamp(RUN_SNAPSHOT_HEAD_ITEM), format: FORMAT, ...head }),
          ...(previous === undefined
            ? { ConditionExpression: 'attribute_not_exists(pk) OR #format <> :format' }
            : { ConditionExpression: '#version = :version AND #format = :format' }),
          ...expression(
            previous === undefined ? { '#format': 'format' } : { '#version': 'version', '#format': 'format' },
            previous === undefined ? { ':format': FORMAT } : { ':version': previous, ':format': FORMAT },
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

export const deleteSegmentParts = async (db: DbContext, experimentId: string, segment: number, ref: SegmentRef): Promise<void> => {
  await Promise.all(
    Array.from({ length: ref.parts }, (_, part) =>
      send(() =>
        db.client.send(new DeleteItemCommand({ TableName: db.tableName, Key: toAttributes(runSnapshotPartKey(experimentId, segment, ref.build, part)) })),
      ),
    ),
  );
};

/**
 * V8's serializer keeps what JSON cannot (NaN, ±Infinity, undefined) and is several times faster to read
 * than JSON; gzip at level 1 shrinks it about 5x for a fraction of level 6's time.
 */
const encodeSegment = (entries: readonly SnapshotEntry[]): Buffer =>
  gzipSync(serialize(entries.map((e) => [e.run, e.token ?? null])), { level: 1 });

const decodeSegment = (bytes: Buffer): SnapshotEntry[] =>
  (deserialize(gunzipSync(bytes)) as [Run, string | null][]).map(([run, token]) => ({ run: reviveRun(run), ...(token === null ? {} : { token }) }));

/** Records come back as plain objects: make them null-prototype again, so a key `__proto__` stays an own key. */
const reviveRun = (run: Run): Run => ({
  ...run,
  params: recordOf(Object.entries(run.params)),
  tags: recordOf(Object.entries(run.tags)),
  metrics: recordOf(Object.entries(run.metrics)),
  ...(run.metricRanges ? { metricRanges: recordOf(Object.entries(run.metricRanges)) } : {}),
});
