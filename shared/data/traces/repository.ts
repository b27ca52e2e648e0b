import { createHash } from 'node:crypto';
import type { Span, TraceInfo } from '../../domain/genai/entities.js';
import type { SpanPayloadSlot, TraceDeletion, TraceInfoMerge, TraceInfoPage, TraceRepository } from '../../domain/genai/ports.js';
import { mergeTraceInfo } from '../../domain/genai/trace-merge.js';
import { invalidParameter, notFound, temporarilyUnavailable } from '../../errors/index.js';
import type { DbContext } from '../db-context.js';
import { batchGet, expression, getItem, queryAll, queryPages, type Item } from '../dynamo-ops.js';
import { TABLE } from '../table-definition.js';
import { batchWrite } from './batch-writes.js';
import { traceWriteLimit } from './limiter.js';
import { deleteInfo, updateInfoItem, writeInfo, type MarkingDb } from './info-writes.js';
import { listPage } from './listing.js';
import { encodeSpanChunk, fromSpanChunkItem, fromTraceInfoItem, MAX_INLINE_CHUNK_BYTES, toSpanChunkItem } from './codec.js';
import { SPAN_CHUNK_PREFIX, spanPayloadStoreKey, traceInfoKey, traceListingPartition, traceListingSort, tracePartition } from './keys.js';

/** Read-merge-write rounds before a trace that keeps changing under the writer is reported busy. */
const MERGE_ATTEMPTS = 8;
/** Traces deleted at once by a delete-traces call. */
const PARALLEL_DELETES = 8;

export interface TraceRepositoryOptions {
  /** Told after each committed write of a trace info, with its experiment (npm start's local snapshot feed). */
  readonly onTraceMarked?: (experimentId: string) => void;
}

/** Traces on DynamoDB (keys.ts): the info item and span items in the trace's partition, the info listed in gsi1. */
export const createTraceRepository = (table: DbContext, payloads: SpanPayloadSlot, options: TraceRepositoryOptions = {}): TraceRepository => {
  const db: MarkingDb = { ...table, onTraceMarked: options.onTraceMarked };
  const limit = traceWriteLimit(db);
  const readInfo = async (traceId: string) => {
    const item = await limit(() => getItem(db, traceInfoKey(traceId)));
    return item ? fromTraceInfoItem(item) : undefined;
  };

  /** Reads the stored info, lets `change` make the next one, writes it back unless another writer came between. */
  const updateInfo = async (
    traceId: string,
    change: (stored: TraceInfo | undefined) => TraceInfo,
    options: { createFirst?: boolean } = {},
  ): Promise<TraceInfo> => {
    // Most infos are new (a trace's first export): one conditional put, and a read only when one is stored.
    if (options.createFirst) {
      const created = change(undefined);
      if (await writeInfo(db, created, undefined, 0)) return created;
    }
    for (let attempt = 0; attempt < MERGE_ATTEMPTS; attempt++) {
      const stored = await readInfo(traceId);
      const next = change(stored?.info);
      if (await writeInfo(db, next, stored?.rev, attempt)) return next;
    }
    throw temporarilyUnavailable(`Trace ${traceId} is being changed by other requests; retry later.`);
  };

  /**
   * Items for spans of one trace: one gzipped chunk when it fits MAX_INLINE_CHUNK_BYTES, else halves of it, down
   * to single spans, which past the limit go to the artifact store. Chunk keys come from the span ids, so sending
   * the same spans again writes the same items.
   */
  const chunkItems = async (traceId: string, experimentId: string, spans: readonly Span[], writtenAt: number): Promise<Item[]> => {
    const digest = createHash('sha256').update(spans.map((span) => span.spanId).sort().join(',')).digest('hex').slice(0, 24);
    const gz = encodeSpanChunk(spans);
    if (gz.byteLength <= MAX_INLINE_CHUNK_BYTES) return [toSpanChunkItem(traceId, experimentId, digest, spans.length, writtenAt, { gz })];
    if (spans.length > 1) {
      const half = Math.ceil(spans.length / 2);
      const parts = await Promise.all([spans.slice(0, half), spans.slice(half)].map((part) => chunkItems(traceId, experimentId, part, writtenAt)));
      return parts.flat();
    }
    const store = payloads.store;
    if (!store) throw invalidParameter(`Span ${spans[0]?.spanId} of trace ${traceId} is too large for this server (no artifact store).`);
    const key = spanPayloadStoreKey(experimentId, traceId, digest);
    await store.put(key, gz, { contentType: 'application/gzip', contentLength: gz.byteLength });
    return [toSpanChunkItem(traceId, experimentId, digest, 1, writtenAt, { key })];
  };

  const readPayload = async (key: string): Promise<Uint8Array | undefined> => {
    const object = await payloads.store?.get(key);
    if (!object) return undefined;
    const chunks: Buffer[] = [];
    for await (const chunk of object.body) chunks.push(Buffer.from(chunk as Uint8Array));
    return Buffer.concat(chunks);
  };

  /** Every item of the trace's partition: its info, spans, and what other aggregates keep there. */
  const partitionItems = (traceId: string) =>
    queryAll(db, { KeyConditionExpression: 'pk = :pk', ...expression({}, { ':pk': tracePartition(traceId) }) });

  /**
   * Everything but the info goes in batches; the info goes last, with the trace's dirty mark in one
   * transaction, so a search that starts once the delete is acknowledged no longer finds the trace.
   */
  const deletePartition = async (experimentId: string, traceId: string): Promise<void> => {
    const items = await partitionItems(traceId);
    const payloadKeys = items.flatMap((item) => (typeof item.payloadKey === 'string' ? [item.payloadKey] : []));
    const store = payloads.store;
    if (store) await Promise.all(payloadKeys.map((key) => store.delete(key)));
    const info = traceInfoKey(traceId);
    const others = items.filter((item) => item.sk !== info.sk).map((item) => ({ pk: String(item.pk), sk: String(item.sk) }));
    await batchWrite(db, [], others);
    await deleteInfo(db, experimentId, traceId);
  };

  const deleteAll = async (experimentId: string, traceIds: readonly string[]): Promise<void> => {
    let next = 0;
    const worker = async () => {
      while (next < traceIds.length) {
        const traceId = traceIds[next++];
        if (traceId !== undefined) await deletePartition(experimentId, traceId);
      }
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL_DELETES, traceIds.length) }, worker));
  };

  /** The oldest traces of the experiment whose request time is at most `maxTimestampMillis`. */
  const idsOlderThan = async (experimentId: string, maxTimestampMillis: number, maxTraces: number | undefined) => {
    const ids: string[] = [];
    const pages = queryPages(db, {
      IndexName: TABLE.indexes.byOwner.name,
      KeyConditionExpression: '#pk = :pk AND #sk < :below',
      ProjectionExpression: 'traceId',
      ...expression(
        { '#pk': TABLE.indexes.byOwner.partitionKey, '#sk': TABLE.indexes.byOwner.sortKey },
        { ':pk': traceListingPartition(experimentId), ':below': traceListingSort(maxTimestampMillis + 1, '') },
      ),
    });
    for await (const page of pages) {
      for (const item of page) {
        if (maxTraces !== undefined && ids.length >= maxTraces) return ids;
        ids.push(String(item.traceId));
      }
    }
    return ids;
  };

  /** Chunks of every trace's spans, written together: 25 items per BatchWriteItem whatever the traces. */
  const putSpansOfTraces = async (experimentId: string, spans: readonly Span[]): Promise<void> => {
    const byTrace = new Map<string, Map<string, Span>>();
    // A span sent twice in one request keeps its last version, as a second export would.
    for (const span of spans) {
      const own = byTrace.get(span.traceId) ?? new Map<string, Span>();
      own.set(span.spanId, span);
      byTrace.set(span.traceId, own);
    }
    const writtenAt = Date.now();
    const items = await Promise.all([...byTrace].map(([traceId, own]) => chunkItems(traceId, experimentId, [...own.values()], writtenAt)));
    await batchWrite(db, items.flat());
  };

  const getInfos = async (traceIds: readonly string[]): Promise<TraceInfo[]> => {
    const unique = [...new Set(traceIds)];
    const items = await batchGet(db, unique.map((id) => traceInfoKey(id)));
    const byId = new Map(items.map((item) => fromTraceInfoItem(item).info).map((info) => [info.traceId, info]));
    return unique.flatMap((id) => byId.get(id) ?? []);
  };

  return {
    putInfo(info: TraceInfo, merge: TraceInfoMerge): Promise<TraceInfo> {
      return updateInfo(info.traceId, (stored) => {
        if (!stored) return info;
        if (stored.experimentId !== info.experimentId) {
          throw invalidParameter(`Trace ${info.traceId} belongs to experiment ${stored.experimentId}, not ${info.experimentId}.`);
        }
        return mergeTraceInfo(stored, info, merge);
      }, { createFirst: true });
    },

    endTrace(traceId, end) {
      return updateInfo(traceId, (stored) => {
        if (!stored) throw notFound(`Trace with request_id '${traceId}' not found.`);
        return {
          ...stored,
          executionDuration: end.endTimeMs - stored.requestTime,
          state: end.state,
          metadata: { ...stored.metadata, ...end.metadata },
          tags: { ...stored.tags, ...end.tags },
        };
      });
    },

    async getInfo(traceId) {
      return (await readInfo(traceId))?.info;
    },

    getInfos,

    putSpans(traceId, experimentId, spans) {
      return putSpansOfTraces(experimentId, spans.filter((span) => span.traceId === traceId));
    },

    putSpansOfTraces,

    async getSpans(traceId) {
      const items = await queryAll(db, {
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :spans)',
        ...expression({}, { ':pk': tracePartition(traceId), ':spans': SPAN_CHUNK_PREFIX }),
      });
      const chunks = await Promise.all(
        items.map(async (item) => {
          const chunk = fromSpanChunkItem(item);
          return { writtenAt: chunk.writtenAt, spans: chunk.spans(chunk.payloadKey ? await readPayload(chunk.payloadKey) : undefined) };
        }),
      );
      // A span in two chunks (an export split differently when sent again) is read once, from the later chunk.
      const bySpan = new Map<string, Span>();
      for (const chunk of chunks.sort((a, b) => a.writtenAt - b.writtenAt)) for (const span of chunk.spans) bySpan.set(span.spanId, span);
      return [...bySpan.values()].sort(
        (a, b) => compareDigits(a.startTimeUnixNano, b.startTimeUnixNano) || (a.spanId < b.spanId ? -1 : a.spanId > b.spanId ? 1 : 0),
      );
    },

    setTag(traceId, key, value) {
      return updateInfoItem(db, traceId, 'SET tags.#k = :v ADD #rev :one', { '#k': key, '#rev': 'rev' }, { ':v': value, ':one': 1 }, 'attribute_exists(pk)');
    },

    async deleteTag(traceId, key) {
      const removed = await updateInfoItem(
        db,
        traceId,
        'REMOVE tags.#k ADD #rev :one',
        { '#k': key, '#rev': 'rev' },
        { ':one': 1 },
        'attribute_exists(pk) AND attribute_exists(tags.#k)',
      );
      if (removed) return 'deleted';
      return (await readInfo(traceId)) ? 'missing-tag' : 'missing-trace';
    },

    async listByExperiment(experimentId, query): Promise<TraceInfoPage> {
      return listPage(db, experimentId, query);
    },

    async deleteTraces(experimentId, which: TraceDeletion) {
      const ids =
        'traceIds' in which
          ? (await getInfos(which.traceIds)).filter((info) => info.experimentId === experimentId).map((info) => info.traceId)
          : await idsOlderThan(experimentId, which.maxTimestampMillis, which.maxTraces);
      await deleteAll(experimentId, ids);
      return ids.length;
    },

    async linkToRun(traceIds, runId) {
      await Promise.all(
        [...new Set(traceIds)].map((traceId) =>
          updateInfoItem(
            db,
            traceId,
            'SET linkedRunIds = list_append(if_not_exists(linkedRunIds, :none), :run) ADD #rev :one',
            { '#rev': 'rev' },
            { ':none': [], ':run': [runId], ':runId': runId, ':one': 1 },
            'attribute_exists(pk) AND (attribute_not_exists(linkedRunIds) OR NOT contains(linkedRunIds, :runId))',
          ),
        ),
      );
    },
  };
};

/** Order of two decimal digit strings of unsigned integers. */
const compareDigits = (a: string, b: string) => (a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0);
