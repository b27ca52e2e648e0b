import type { Span, SpanAttributeValue, SpanEvent, SpanStatusCode } from './entities.js';
import { parseJsonKeepingBigInts } from './raw-json.js';

/**
 * traces.json, the trace data MLflow's client uploads through the artifact protocol when the server does not take
 * its spans (`{"spans": [...]}`), read into spans. Span dicts come in the shapes MLflow's Span.from_dict reads:
 * the 2.x dict (`context`, `parent_id`, `status_code`), the 3.x proto dict (ids in base64, `STATUS_CODE_OK`), and
 * the later hex dict (`otel_trace_id`, status `OK`). Spans that cannot be read are left out: a reader gets what
 * is there, as the MLflow client skips nothing it can read either.
 */

type Obj = Record<string, unknown>;
const isObject = (value: unknown): value is Obj => typeof value === 'object' && value !== null && !Array.isArray(value);

const digits = (value: unknown): string | undefined => {
  if (typeof value === 'bigint') return value >= 0n ? value.toString() : undefined;
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return BigInt(Math.trunc(value)).toString();
  if (typeof value === 'string' && /^\d+$/.test(value)) return BigInt(value).toString();
  return undefined;
};

/** Hex of an id: `0x`-hex (2.x), plain hex (the hex dict), or base64 (the proto dict). */
const hexId = (value: unknown, bytes: number, encoding: 'hex' | 'base64'): string | undefined => {
  if (typeof value !== 'string' || value === '') return undefined;
  const hex = encoding === 'base64' ? Buffer.from(value, 'base64').toString('hex') : value.replace(/^0x/i, '').toLowerCase();
  if (!/^[0-9a-f]+$/.test(hex) || hex.length > bytes * 2) return undefined;
  return hex.padStart(bytes * 2, '0');
};

const statusCode = (value: unknown): SpanStatusCode => {
  const name = String(value ?? '').replace(/^STATUS_CODE_/, '');
  return name === 'OK' || name === 'ERROR' ? name : 'UNSET';
};

const attributesOf = (value: unknown): Record<string, SpanAttributeValue> =>
  isObject(value) ? ({ ...value } as Record<string, SpanAttributeValue>) : {};

const eventsOf = (value: unknown, timeField: string): SpanEvent[] =>
  (Array.isArray(value) ? value : []).filter(isObject).map((event) => ({
    name: typeof event.name === 'string' ? event.name : '',
    timeUnixNano: digits(event[timeField]) ?? '0',
    attributes: attributesOf(event.attributes),
  }));

const spanOfDict = (dict: Obj, traceId: string): Span | undefined => {
  const v2 = isObject(dict.context);
  const hexDict = typeof dict.otel_trace_id === 'string';
  const encoding = hexDict || v2 ? 'hex' : 'base64';
  const context = v2 ? (dict.context as Obj) : dict;
  const otelTraceId = hexId(hexDict ? dict.otel_trace_id : context.trace_id, 16, encoding);
  const spanId = hexId(context.span_id, 8, encoding);
  const parentSpanId = hexId(v2 ? dict.parent_id : dict.parent_span_id, 8, encoding);
  const start = digits(v2 ? dict.start_time : dict.start_time_unix_nano);
  if (!otelTraceId || !spanId || start === undefined) return undefined;
  const end = digits(v2 ? dict.end_time : dict.end_time_unix_nano);
  const status = isObject(dict.status) ? dict.status : {};
  return {
    traceId,
    otelTraceId,
    spanId,
    ...(parentSpanId ? { parentSpanId } : {}),
    name: typeof dict.name === 'string' ? dict.name : '',
    startTimeUnixNano: start,
    ...(end && end !== '0' ? { endTimeUnixNano: end } : {}),
    status: v2
      ? { code: statusCode(dict.status_code), message: typeof dict.status_message === 'string' ? dict.status_message : '' }
      : { code: statusCode(status.code), message: typeof status.message === 'string' ? status.message : '' },
    attributes: attributesOf(dict.attributes),
    events: eventsOf(dict.events, v2 ? 'timestamp' : 'time_unix_nano'),
  };
};

/** The spans of a traces.json body, or undefined when the body is not trace data at all. */
export const spansOfTraceData = (text: string, traceId: string): Span[] | undefined => {
  let data: unknown;
  try {
    data = parseJsonKeepingBigInts(text);
  } catch {
    return undefined;
  }
  if (!isObject(data) || !Array.isArray(data.spans)) return undefined;
  return data.spans.filter(isObject).flatMap((dict) => spanOfDict(dict, traceId) ?? []);
};
