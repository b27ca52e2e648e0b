import type { TraceInfo } from '../../domain/genai/entities.js';
import type { DbContext } from '../db-context.js';
import { batchGet, expression, getItem, queryPages } from '../dynamo-ops.js';
import type { SnapshotKind } from '../snapshots/kind.js';
import { sliceRange } from '../../domain/genai/trace-search/slices.js';
import { TABLE } from '../table-definition.js';
import { fromTraceInfoItem } from './codec.js';
import {
  TRACE_DIRTY_SHARDS,
  traceDirtyKey,
  traceDirtyPartition,
  traceInfoKey,
  traceListingPartition,
  traceListingSort,
  traceSnapshotHeadKey,
  traceSnapshotPartKey,
} from './keys.js';

export const TRACE_DIRTY_ITEM = 'trace-dirty';

/** Time slices of the listing read side by side when an experiment without a snapshot is read whole. */
const SLICES = 16;

/** The trace info, strongly consistent; undefined when gone or (an id reused elsewhere) of another experiment. */
const rereadInfo = async (db: DbContext, experimentId: string, traceId: string): Promise<TraceInfo | undefined> => {
  const item = await getItem(db, traceInfoKey(traceId));
  if (!item) return undefined;
  const { info } = fromTraceInfoItem(item);
  return info.experimentId === experimentId ? info : undefined;
};

/** rereadInfo of up to 100 ids in one BatchGetItem (strongly consistent). */
const rereadInfos = async (db: DbContext, experimentId: string, traceIds: readonly string[]): Promise<Map<string, TraceInfo>> => {
  const items = await batchGet(db, traceIds.map((traceId) => traceInfoKey(traceId)));
  const infos = new Map<string, TraceInfo>();
  for (const item of items) {
    const { info } = fromTraceInfoItem(item);
    if (info.experimentId === experimentId) infos.set(info.traceId, info);
  }
  return infos;
};

/**
 * Every info of the experiment from gsi1 (its listing by request time), in time slices read at once: a
 * single query reads 1 MB pages one after another. gsi1 is eventually consistent; the dirty marks cover what
 * it may lag behind.
 */
const readAllInfos = async (db: DbContext, experimentId: string): Promise<Map<string, TraceInfo>> => {
  const { name, partitionKey, sortKey } = TABLE.indexes.byOwner;
  const names = { '#pk': partitionKey, '#sk': sortKey };
  const end = async (forward: boolean) => {
    const pages = queryPages(db, {
      IndexName: name,
      KeyConditionExpression: '#pk = :pk',
      ScanIndexForward: forward,
      Limit: 1,
      ProjectionExpression: 'requestTime',
      ...expression({ '#pk': partitionKey }, { ':pk': traceListingPartition(experimentId) }),
    });
    // The first page only: following its LastEvaluatedKey would read the listing one item at a time.
    for await (const [item] of pages) return item === undefined ? undefined : Number(item.requestTime);
    return undefined;
  };
  const [from, to] = await Promise.all([end(true), end(false)]);
  const infos = new Map<string, TraceInfo>();
  if (from === undefined || to === undefined) return infos;
  const slices = sliceRange(from, to, SLICES);
  // Each slice ends just before the next one's first millisecond; the first and last reach past the ends,
  // so a trace written meanwhile outside them is read too.
  const bounds = slices.map((slice, i) => ({
    low: i === 0 ? traceListingSort(0, '') : traceListingSort(slice.fromTime, ''),
    high: i === slices.length - 1 ? '\uffff' : traceListingSort(slice.toTime + 1, ''),
  }));
  await Promise.all(
    bounds.map(async ({ low, high }) => {
      const pages = queryPages(db, {
        IndexName: name,
        KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :low AND :high',
        ...expression(names, { ':pk': traceListingPartition(experimentId), ':low': low, ':high': high }),
      });
      for await (const items of pages) {
        for (const item of items) {
          const { info } = fromTraceInfoItem(item);
          infos.set(info.traceId, info);
        }
      }
    }),
  );
  return infos;
};

/**
 * Trace infos as a search snapshot kind (shared/data/snapshots). About 700 bytes each in memory with six short
 * tags and metadata and short previews (`npx tsx test/bench/traces-search.ts` prints the figure).
 */
export const TRACE_SNAPSHOT_KIND: SnapshotKind<TraceInfo> = {
  name: 'trace',
  markEntity: TRACE_DIRTY_ITEM,
  headEntity: 'trace-snapshot-head',
  partEntity: 'trace-snapshot-part',
  markShards: TRACE_DIRTY_SHARDS,
  markPartition: traceDirtyPartition,
  markKey: traceDirtyKey,
  markIdAttribute: 'traceId',
  headKey: traceSnapshotHeadKey,
  partKey: traceSnapshotPartKey,
  format: 1,
  dueAtDirty: 1000,
  // About 690 bytes of heap per info (test/bench/traces-search.ts).
  heldBytes: 700,
  idOf: (info) => info.traceId,
  reread: rereadInfo,
  rereadMany: rereadInfos,
  readAll: readAllInfos,
  // V8's deserializer keeps a key `__proto__` as an own property; only the prototype is to be dropped, in place
  // (copying 100,000 infos' maps would add a fifth to a cold load).
  revive: (info) => {
    Object.setPrototypeOf(info.tags, null);
    Object.setPrototypeOf(info.metadata, null);
    return info;
  },
};
