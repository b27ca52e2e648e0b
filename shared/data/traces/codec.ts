import { gunzipSync, gzipSync } from 'node:zlib';
import { z } from 'zod';
import { TRACE_STATES, type Span, type TraceInfo } from '../../domain/genai/entities.js';
import { parseJsonKeepingBigInts, stringifyJson } from '../../domain/genai/raw-json.js';
import { entityHeader, parseItem, stamp, StringMapSchema } from '../codec.js';
import type { Item } from '../dynamo-ops.js';
import { spanChunkKey, traceInfoKey, traceListingKey } from './keys.js';

const INFO = 'trace-info';
const SPAN_CHUNK = 'trace-spans';

/** Chunks above this (gzipped) go to the artifact store: items stay small and cheap to write and read. */
export const MAX_INLINE_CHUNK_BYTES = 64 * 1024;

const TraceInfoItemSchema = z.object({
  ...entityHeader(INFO),
  traceId: z.string(),
  experimentId: z.string(),
  clientRequestId: z.string().optional(),
  requestTime: z.number(),
  executionDuration: z.number().optional(),
  state: z.enum(TRACE_STATES),
  requestPreview: z.string().optional(),
  responsePreview: z.string().optional(),
  metadata: StringMapSchema,
  tags: StringMapSchema,
  linkedRunIds: z.array(z.string()).optional(),
  /** Bumped by every write: writers that read, merge and write back check it (optimistic concurrency). */
  rev: z.number(),
});

export const toTraceInfoItem = (info: TraceInfo, rev: number): Item => ({
  ...traceInfoKey(info.traceId),
  ...traceListingKey(info.experimentId, info.requestTime, info.traceId),
  ...stamp(INFO),
  ...info,
  rev,
});

export const fromTraceInfoItem = (item: Item): { info: TraceInfo; rev: number } => {
  const { _et, _v, rev, linkedRunIds, ...info } = parseItem(TraceInfoItemSchema, item);
  return { info: { ...info, ...(linkedRunIds && linkedRunIds.length > 0 ? { linkedRunIds } : {}) }, rev };
};

/** A span as stored in a chunk: everything but the trace id, which the partition names. */
type StoredSpanJson = Omit<Span, 'traceId'>;

const SpanChunkItemSchema = z.object({
  ...entityHeader(SPAN_CHUNK),
  traceId: z.string(),
  experimentId: z.string(),
  /** How many spans the chunk holds, and when it was written (a span in two chunks is read from the later). */
  count: z.number(),
  writtenAt: z.number(),
  /** The spans as gzipped JSON, or the artifact-store key that holds it. */
  spansGz: z.instanceof(Uint8Array).optional(),
  payloadKey: z.string().optional(),
});

/** The spans of a chunk as gzipped JSON (64-bit integers kept: raw-json.ts). */
export const encodeSpanChunk = (spans: readonly Span[]): Uint8Array =>
  gzipSync(stringifyJson(spans.map(({ traceId: _traceId, ...span }): StoredSpanJson => span)));

export const toSpanChunkItem = (
  traceId: string,
  experimentId: string,
  digest: string,
  count: number,
  writtenAt: number,
  payload: { gz: Uint8Array } | { key: string },
): Item => ({
  ...spanChunkKey(traceId, digest),
  ...stamp(SPAN_CHUNK),
  traceId,
  experimentId,
  count,
  writtenAt,
  ...('gz' in payload ? { spansGz: payload.gz } : { payloadKey: payload.key }),
});

/** A stored chunk, its spans still to read (from the artifact store, when `payloadKey` says so). */
export interface StoredSpanChunk {
  readonly writtenAt: number;
  readonly payloadKey?: string;
  /** The chunk's spans, given the gzipped JSON when it is kept in the artifact store. */
  spans(external?: Uint8Array): Span[];
}

export const fromSpanChunkItem = (item: Item): StoredSpanChunk => {
  const stored = parseItem(SpanChunkItemSchema, item);
  return {
    writtenAt: stored.writtenAt,
    ...(stored.payloadKey ? { payloadKey: stored.payloadKey } : {}),
    spans(external) {
      const gz = stored.spansGz ?? external;
      if (!gz) return [];
      const list = parseJsonKeepingBigInts(gunzipSync(gz).toString('utf8')) as StoredSpanJson[];
      return list.map((span) => ({ ...span, traceId: stored.traceId }));
    },
  };
};
