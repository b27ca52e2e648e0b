import { gunzipSync, gzipSync } from 'node:zlib';
import { z } from 'zod';
import { SPAN_ATTRIBUTES, SPAN_STATUS_CODES, TRACE_STATES, type Span, type SpanAttributeValue, type SpanEvent, type TraceInfo } from '../../domain/genai/entities.js';
import { parseJsonKeepingBigInts, stringifyJson } from '../../domain/genai/raw-json.js';
import { entityHeader, parseItem, stamp, StringMapSchema } from '../codec.js';
import type { Item } from '../dynamo-ops.js';
import { traceInfoKey, traceListingKey, traceSpanKey } from './keys.js';

const INFO = 'trace-info';
const SPAN = 'trace-span';

/** Span payloads above this are gzipped in the item (JSON of attributes compresses several times over). */
const GZIP_ABOVE_BYTES = 2048;
/** Compressed payloads above this go to the artifact store: items stay small and cheap to write and read. */
export const MAX_INLINE_PAYLOAD_BYTES = 64 * 1024;

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

/** What of a span is kept as one JSON document (the rest are plain attributes, readable without decoding). */
interface SpanPayload {
  otelTraceId: string;
  statusMessage: string;
  attributes: Record<string, SpanAttributeValue>;
  events: SpanEvent[];
}

const SpanItemSchema = z.object({
  ...entityHeader(SPAN),
  traceId: z.string(),
  experimentId: z.string(),
  spanId: z.string(),
  parentSpanId: z.string().optional(),
  name: z.string(),
  start: z.string(),
  end: z.string().optional(),
  status: z.enum(SPAN_STATUS_CODES),
  spanType: z.string().optional(),
  /** The payload as JSON text, gzipped JSON, or the artifact-store key that holds the gzipped JSON. */
  payload: z.string().optional(),
  payloadGz: z.instanceof(Uint8Array).optional(),
  payloadKey: z.string().optional(),
});

/** A span's payload, gzipped when it is large: its bytes decide where it goes (inline, or the artifact store). */
export const encodeSpanPayload = (span: Span): { text: string } | { gz: Uint8Array } => {
  const payload: SpanPayload = {
    otelTraceId: span.otelTraceId,
    statusMessage: span.status.message,
    attributes: span.attributes,
    events: span.events,
  };
  const text = stringifyJson(payload);
  return Buffer.byteLength(text) <= GZIP_ABOVE_BYTES ? { text } : { gz: gzipSync(text) };
};

/** The span type MLflow's client sets (`mlflow.spanType`, JSON text), plain: search filters on it. */
const spanTypeOf = (span: Span): string | undefined => {
  const value = span.attributes[SPAN_ATTRIBUTES.spanType];
  if (typeof value !== 'string') return undefined;
  try {
    const decoded: unknown = JSON.parse(value);
    return typeof decoded === 'string' ? decoded : value;
  } catch {
    return value;
  }
};

export const toSpanItem = (
  span: Span,
  experimentId: string,
  payload: { text: string } | { gz: Uint8Array } | { key: string },
): Item => ({
  ...traceSpanKey(span.traceId, span.spanId),
  ...stamp(SPAN),
  traceId: span.traceId,
  experimentId,
  spanId: span.spanId,
  ...(span.parentSpanId ? { parentSpanId: span.parentSpanId } : {}),
  name: span.name,
  start: span.startTimeUnixNano,
  ...(span.endTimeUnixNano ? { end: span.endTimeUnixNano } : {}),
  status: span.status.code,
  ...(spanTypeOf(span) !== undefined ? { spanType: spanTypeOf(span) } : {}),
  ...('text' in payload ? { payload: payload.text } : 'gz' in payload ? { payloadGz: payload.gz } : { payloadKey: payload.key }),
});

/** A stored span item, its payload still to read when it lives in the artifact store. */
export interface StoredSpan {
  readonly payloadKey?: string;
  /** The span, given the payload's gzipped bytes when they are stored elsewhere. */
  span(externalPayload?: Uint8Array): Span;
}

export const fromSpanItem = (item: Item): StoredSpan => {
  const stored = parseItem(SpanItemSchema, item);
  return {
    ...(stored.payloadKey ? { payloadKey: stored.payloadKey } : {}),
    span(externalPayload) {
      const gz = stored.payloadGz ?? externalPayload;
      const text = stored.payload ?? (gz ? gunzipSync(gz).toString('utf8') : undefined);
      const payload = (text === undefined ? {} : parseJsonKeepingBigInts(text)) as Partial<SpanPayload>;
      return {
        traceId: stored.traceId,
        otelTraceId: payload.otelTraceId ?? stored.traceId.replace(/^tr-/, ''),
        spanId: stored.spanId,
        ...(stored.parentSpanId ? { parentSpanId: stored.parentSpanId } : {}),
        name: stored.name,
        startTimeUnixNano: stored.start,
        ...(stored.end ? { endTimeUnixNano: stored.end } : {}),
        status: { code: stored.status, message: payload.statusMessage ?? '' },
        attributes: payload.attributes ?? {},
        events: payload.events ?? [],
      };
    },
  };
};
