import { PutItemCommand, QueryCommand, UpdateItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Span, TraceInfo } from '../../domain/genai/entities.js';
import type { SpanPayloadSlot, TraceDeletion, TraceInfoMerge, TraceInfoPage, TraceListQuery, TraceRepository } from '../../domain/genai/ports.js';
import { mergeTraceInfo } from '../../domain/genai/trace-merge.js';
import { invalidParameter, notFound, temporarilyUnavailable } from '../../errors/index.js';
import type { DbContext } from '../db-context.js';
import { isConditionalCheckFailed } from '../dynamo-errors.js';
import { batchGet, expression, fromAttributes, getItem, queryAll, queryPages, send, toAttributes, type Item, type Key } from '../dynamo-ops.js';
import { TABLE } from '../table-definition.js';
import { batchWrite } from './batch-writes.js';
import {
  encodeSpanPayload,
  fromSpanItem,
  fromTraceInfoItem,
  MAX_INLINE_PAYLOAD_BYTES,
  toSpanItem,
  toTraceInfoItem,
} from './codec.js';
import { SPAN_SORT_PREFIX, spanPayloadStoreKey, traceInfoKey, traceListingPartition, traceListingSort, tracePartition } from './keys.js';

/** Read-merge-write rounds before a trace that keeps changing under the writer is reported busy. */
const MERGE_ATTEMPTS = 8;
/** Traces deleted at once by a delete-traces call. */
const PARALLEL_DELETES = 8;

/** Traces on DynamoDB (keys.ts): the info item and span items in the trace's partition, the info listed in gsi1. */
export const createTraceRepository = (db: DbContext, payloads: SpanPayloadSlot): TraceRepository => {
  const readInfo = async (traceId: string) => {
    const item = await getItem(db, traceInfoKey(traceId));
    return item ? fromTraceInfoItem(item) : undefined;
  };

  /** Writes `info` if the stored revision is still `rev` (or, for a new trace, if none is stored); false otherwise. */
  const writeInfo = async (info: TraceInfo, rev: number | undefined): Promise<boolean> => {
    try {
      await send(() =>
        db.client.send(
          new PutItemCommand({
            TableName: db.tableName,
            Item: toAttributes(toTraceInfoItem(info, (rev ?? 0) + 1)),
            ...(rev === undefined
              ? { ConditionExpression: 'attribute_not_exists(pk)' }
              : { ConditionExpression: '#rev = :rev', ...expression({ '#rev': 'rev' }, { ':rev': rev }) }),
          }),
        ),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  };

  /** Reads the stored info, lets `change` make the next one, writes it back unless another writer came between. */
  const updateInfo = async (traceId: string, change: (stored: TraceInfo | undefined) => TraceInfo): Promise<TraceInfo> => {
    for (let attempt = 0; attempt < MERGE_ATTEMPTS; attempt++) {
      const stored = await readInfo(traceId);
      const next = change(stored?.info);
      if (await writeInfo(next, stored?.rev)) return next;
    }
    throw temporarilyUnavailable(`Trace ${traceId} is being changed by other requests; retry later.`);
  };

  const updateItem = async (key: Key, update: string, names: Record<string, string>, values: Item, condition: string) => {
    try {
      await send(() =>
        db.client.send(
          new UpdateItemCommand({
            TableName: db.tableName,
            Key: toAttributes(key),
            UpdateExpression: update,
            ConditionExpression: condition,
            ...expression(names, values),
          }),
        ),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  };

  const spanItemOf = async (span: Span, experimentId: string): Promise<Item> => {
    const payload = encodeSpanPayload(span);
    if (!('gz' in payload) || payload.gz.byteLength <= MAX_INLINE_PAYLOAD_BYTES) return toSpanItem(span, experimentId, payload);
    const store = payloads.store;
    if (!store) throw invalidParameter(`Span ${span.spanId} of trace ${span.traceId} is too large for this server (no artifact store).`);
    const key = spanPayloadStoreKey(experimentId, span.traceId, span.spanId);
    await store.put(key, payload.gz, { contentType: 'application/gzip', contentLength: payload.gz.byteLength });
    return toSpanItem(span, experimentId, { key });
  };

  /** Every item of the trace's partition: its info, spans, and what other aggregates keep there. */
  const partitionItems = (traceId: string) =>
    queryAll(db, { KeyConditionExpression: 'pk = :pk', ...expression({}, { ':pk': tracePartition(traceId) }) });

  const deletePartition = async (traceId: string): Promise<void> => {
    const items = await partitionItems(traceId);
    const payloadKeys = items.flatMap((item) => (typeof item.payloadKey === 'string' ? [item.payloadKey] : []));
    const store = payloads.store;
    if (store) await Promise.all(payloadKeys.map((key) => store.delete(key)));
    await batchWrite(db, [], items.map((item) => ({ pk: String(item.pk), sk: String(item.sk) })));
  };

  const deleteAll = async (traceIds: readonly string[]): Promise<void> => {
    let next = 0;
    const worker = async () => {
      while (next < traceIds.length) {
        const traceId = traceIds[next++];
        if (traceId !== undefined) await deletePartition(traceId);
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
      });
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

    async putSpans(traceId, experimentId, spans) {
      const items = await Promise.all(spans.filter((span) => span.traceId === traceId).map((span) => spanItemOf(span, experimentId)));
      // One item per span id: a span sent twice in one request keeps its last version, as a second export would.
      const bySpan = new Map(items.map((item) => [String(item.sk), item]));
      await batchWrite(db, [...bySpan.values()]);
    },

    async getSpans(traceId) {
      const items = await queryAll(db, {
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :span)',
        ...expression({}, { ':pk': tracePartition(traceId), ':span': SPAN_SORT_PREFIX }),
      });
      const spans = await Promise.all(
        items.map(async (item) => {
          const stored = fromSpanItem(item);
          if (!stored.payloadKey) return stored.span();
          const object = await payloads.store?.get(stored.payloadKey);
          if (!object) return stored.span();
          const chunks: Buffer[] = [];
          for await (const chunk of object.body) chunks.push(Buffer.from(chunk as Uint8Array));
          return stored.span(Buffer.concat(chunks));
        }),
      );
      return spans.sort(
        (a, b) => compareDigits(a.startTimeUnixNano, b.startTimeUnixNano) || (a.spanId < b.spanId ? -1 : a.spanId > b.spanId ? 1 : 0),
      );
    },

    setTag(traceId, key, value) {
      return updateItem(traceInfoKey(traceId), 'SET tags.#k = :v ADD #rev :one', { '#k': key, '#rev': 'rev' }, { ':v': value, ':one': 1 }, 'attribute_exists(pk)');
    },

    async deleteTag(traceId, key) {
      const removed = await updateItem(
        traceInfoKey(traceId),
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
      await deleteAll(ids);
      return ids.length;
    },

    async linkToRun(traceIds, runId) {
      await Promise.all(
        [...new Set(traceIds)].map((traceId) =>
          updateItem(
            traceInfoKey(traceId),
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

const encodeCursor = (key: Record<string, AttributeValue>) => Buffer.from(JSON.stringify(fromAttributes(key))).toString('base64url');
const decodeCursor = (cursor: string): Record<string, AttributeValue> => {
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (typeof key !== 'object' || key === null || Array.isArray(key)) throw new Error('not a key');
    const entries = Object.entries(key as Record<string, unknown>);
    if (entries.length !== 4 || entries.some(([, v]) => typeof v !== 'string')) throw new Error('not a key');
    return toAttributes(key as Item);
  } catch {
    throw invalidParameter('Invalid page token.');
  }
};

/**
 * One page of the experiment's infos from gsi1: the request-time range in the key condition, states as a filter.
 * DynamoDB counts filtered-out items against a query's Limit, so queries go on until the page is full or the
 * listing ends; a page cut short of a query's end continues after its last item.
 */
const listPage = async (db: DbContext, experimentId: string, query: TraceListQuery): Promise<TraceInfoPage> => {
  const { partitionKey, sortKey, name } = TABLE.indexes.byOwner;
  const limit = Math.max(1, Math.min(1000, Math.trunc(query.limit)));
  const values: Item = { ':pk': traceListingPartition(experimentId) };
  const { fromTime, toTime } = query;
  let range = '';
  if (fromTime !== undefined && toTime !== undefined) {
    range = ' AND #sk BETWEEN :from AND :to';
    values[':from'] = traceListingSort(fromTime, '');
    values[':to'] = traceListingSort(toTime, '\uffff');
  } else if (fromTime !== undefined) {
    range = ' AND #sk >= :from';
    values[':from'] = traceListingSort(fromTime, '');
  } else if (toTime !== undefined) {
    range = ' AND #sk < :to';
    values[':to'] = traceListingSort(toTime + 1, '');
  }
  const keyCondition = `#pk = :pk${range}`;
  const states = query.states ?? [];
  states.forEach((state, index) => (values[`:s${index}`] = state));
  const filter = states.length > 0 ? { FilterExpression: `#state IN (${states.map((_, index) => `:s${index}`).join(', ')})` } : {};
  const names: Record<string, string> = { '#pk': partitionKey, ...(range ? { '#sk': sortKey } : {}), ...(states.length > 0 ? { '#state': 'state' } : {}) };

  const infos: TraceInfo[] = [];
  let startKey = query.cursor ? decodeCursor(query.cursor) : undefined;
  for (;;) {
    const remaining = limit - infos.length;
    const page = await send(() =>
      db.client.send(
        new QueryCommand({
          TableName: db.tableName,
          IndexName: name,
          KeyConditionExpression: keyCondition,
          ScanIndexForward: query.order === 'asc',
          Limit: states.length > 0 ? Math.max(remaining, 100) : remaining,
          ExclusiveStartKey: startKey,
          ...filter,
          ...expression(names, values),
        }),
      ),
    );
    const items = (page.Items ?? []).map(fromAttributes);
    const taken = items.slice(0, remaining);
    infos.push(...taken.map((item) => fromTraceInfoItem(item).info));
    if (taken.length < items.length) {
      const last = taken[taken.length - 1] as Item;
      return { infos, cursor: encodeCursor(toAttributes({ pk: last.pk, sk: last.sk, [partitionKey]: last[partitionKey], [sortKey]: last[sortKey] })) };
    }
    startKey = page.LastEvaluatedKey;
    if (!startKey) return { infos };
    if (infos.length >= limit) return { infos, cursor: encodeCursor(startKey) };
  }
};
