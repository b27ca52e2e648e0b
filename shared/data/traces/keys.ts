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
