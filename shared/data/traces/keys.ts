/**
 * Trace keys (MLflow 3 tracing). Everything of one trace lives in its partition, so a trace is read with one query
 * and deleted with one query plus batch deletes; the info is also listed per experiment by request time.
 *   TRACE#<traceId> / INFO            the trace info (gsi1: TRACES#<experimentId> / <request ms, 15 digits>#<traceId>)
 *   TRACE#<traceId> / SPANS#<digest>  spans of one export, gzipped together (or, past 64 KB, in the artifact store);
 *                                     the digest is of their span ids, so an export sent again lands on the same item
 * Other aggregates of a trace (assessments) add their own sort keys to the same partition: tracePartition.
 */
export const tracePartition = (traceId: string) => `TRACE#${traceId}`;
export const traceInfoKey = (traceId: string) => ({ pk: tracePartition(traceId), sk: 'INFO' }) as const;
export const SPAN_CHUNK_PREFIX = 'SPANS#';
export const spanChunkKey = (traceId: string, digest: string) => ({ pk: tracePartition(traceId), sk: `${SPAN_CHUNK_PREFIX}${digest}` }) as const;

export const traceListingPartition = (experimentId: string) => `TRACES#${experimentId}`;
/** Request times pad to 15 digits, so string order is time order (ms until the year 33658). */
export const traceListingSort = (requestTimeMs: number, traceId: string) =>
  `${String(Math.max(0, Math.trunc(requestTimeMs))).padStart(15, '0')}#${traceId}`;
export const traceListingKey = (experimentId: string, requestTimeMs: number, traceId: string) =>
  ({ gsi1pk: traceListingPartition(experimentId), gsi1sk: traceListingSort(requestTimeMs, traceId) }) as const;

/** Where spans too large for an item are kept in the artifact store: beside the trace's own artifacts. */
export const spanPayloadStoreKey = (experimentId: string, traceId: string, digest: string) =>
  `${experimentId}/traces/${traceId}/cairn-spans/${digest}.json.gz`;

/**
 * The experiment's dirty trace infos: one mark per trace whose info changed since the search snapshot was last
 * built, written with a fresh token in the change's own transaction and read strongly consistent by every
 * search (shared/data/README.md, "Search traces"). Spread over shards by a hash of the trace id.
 *   TRACEDIRTY#<experimentId>#<shard> / <traceId>
 */
export const TRACE_DIRTY_SHARDS = 4;
export const traceDirtyPartition = (experimentId: string, shard: number) => `TRACEDIRTY#${experimentId}#${shard}`;
export const traceDirtyShard = (traceId: string) => {
  let hash = 0;
  for (let i = 0; i < traceId.length; i++) hash = (hash * 31 + traceId.charCodeAt(i)) >>> 0;
  return hash % TRACE_DIRTY_SHARDS;
};
export const traceDirtyKey = (experimentId: string, traceId: string) =>
  ({ pk: traceDirtyPartition(experimentId, traceDirtyShard(traceId)), sk: traceId }) as const;

/**
 * The experiment's trace search snapshot (shared/data/snapshots): a head naming the current build of each
 * segment, and the segments' parts (gzip of the infos of one hash bucket), never overwritten.
 *   TRACESNAP#<experimentId> / HEAD
 *   TRACESNAP#<experimentId>#<segment> / <build id>#<part>
 */
export const traceSnapshotHeadKey = (experimentId: string) => ({ pk: `TRACESNAP#${experimentId}`, sk: 'HEAD' }) as const;
export const traceSnapshotPartKey = (experimentId: string, segment: number, build: string, part: number) =>
  ({ pk: `TRACESNAP#${experimentId}#${String(segment).padStart(3, '0')}`, sk: `${build}#${String(part).padStart(3, '0')}` }) as const;
