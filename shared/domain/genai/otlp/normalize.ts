import { invalidParameter } from '../../../errors/index.js';
import {
  SPAN_ATTRIBUTES,
  TRACE_ID_PREFIX,
  type Span,
  type SpanAttributeValue,
  type SpanEvent,
  type SpanStatusCode,
} from '../entities.js';

/**
 * OTLP spans in MLflow's terms, as MLflow's `Span.from_otel_proto` makes them (mlflow/entities/span.py): the MLflow
 * trace id is `tr-` and the OpenTelemetry trace id in hex, which also goes to the `mlflow.traceRequestId` attribute
 * unless the span carries one; attribute values are decoded from AnyValue as they are (strings stay strings, lists
 * and maps are kept as lists and maps); status UNSET, OK or ERROR. Two readers feed it: the protobuf request
 * (snake_case fields, ids as bytes, 64-bit integers as decimal strings) and OTLP's JSON (lowerCamelCase fields, ids
 * in hex, integers as strings or numbers, enums as numbers or names).
 */
export type OtlpSpanInput = Span;

/** Nesting of attribute values beyond this is refused (DynamoDB maps stop at 32 levels; no real span comes near). */
const MAX_VALUE_DEPTH = 24;

type Obj = Record<string, unknown>;

const fail = (message: string): never => {
  throw invalidParameter(`Invalid OpenTelemetry span: ${message}`);
};

const isObject = (value: unknown): value is Obj => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A field by its protobuf name or its JSON name (lowerCamelCase), as proto3's JSON readers accept both. */
const field = (object: Obj, snake: string): unknown => {
  if (snake in object) return object[snake];
  const camel = snake.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
  return object[camel];
};

const list = (object: Obj, snake: string, what: string): unknown[] => {
  const value = field(object, snake);
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) return fail(`${what} must be a list`);
  return value;
};

const objectAt = (value: unknown, what: string): Obj => (isObject(value) ? value : fail(`${what} must be an object`));

/** Lone surrogates (which no store can hold) become U+FFFD, as a UTF-8 decoder makes of broken bytes. */
const wellFormed = (value: string) => value.replace(/[\uD800-\uDFFF]/gu, '\uFFFD');

const text = (value: unknown, what: string): string => {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') return fail(`${what} must be a string`);
  return wellFormed(value);
};

/** A 64-bit unsigned count of nanoseconds as decimal digits ('0' when absent). */
const nanos = (value: unknown, what: string): string => {
  if (value === undefined || value === null || value === '') return '0';
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value);
  if (typeof value === 'bigint' && value >= 0n && value < 2n ** 64n) return value.toString();
  if (typeof value === 'string' && /^\d{1,20}$/.test(value) && BigInt(value) < 2n ** 64n) return BigInt(value).toString();
  return fail(`${what} must be an unsigned 64-bit integer`);
};

/** Ids: bytes (protobuf), or hex (OTLP JSON), or base64 (proto3's canonical JSON for bytes). */
const idHex = (value: unknown, bytes: number, what: string, optional: boolean): string | undefined => {
  if (value === undefined || value === null || value === '') return optional ? undefined : fail(`${what} is missing`);
  let hex: string | undefined;
  if (value instanceof Uint8Array) {
    if (value.length === 0 && optional) return undefined;
    if (value.length === bytes) hex = Buffer.from(value).toString('hex');
  } else if (typeof value === 'string') {
    if (value.length === bytes * 2 && /^[0-9a-fA-F]+$/.test(value)) hex = value.toLowerCase();
    else if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(value)) {
      const decoded = Buffer.from(value, 'base64');
      if (decoded.length === bytes) hex = decoded.toString('hex');
    }
  }
  if (hex === undefined) return fail(`${what} must be ${bytes} bytes`);
  if (/^0+$/.test(hex)) return optional ? undefined : fail(`${what} must not be all zeros`);
  return hex;
};

const STATUS_CODES: Record<string, SpanStatusCode> = {
  '0': 'UNSET',
  '1': 'OK',
  '2': 'ERROR',
  STATUS_CODE_UNSET: 'UNSET',
  STATUS_CODE_OK: 'OK',
  STATUS_CODE_ERROR: 'ERROR',
};

const anyValue = (value: unknown, depth: number): SpanAttributeValue => {
  if (depth > MAX_VALUE_DEPTH) return fail(`attribute values nest deeper than ${MAX_VALUE_DEPTH} levels`);
  if (value === undefined || value === null) return null;
  const object = objectAt(value, 'an attribute value');
  const present = ['string_value', 'bool_value', 'int_value', 'double_value', 'array_value', 'kvlist_value', 'bytes_value'].filter(
    (name) => field(object, name) !== undefined && field(object, name) !== null,
  );
  const kind = present[0];
  if (kind === undefined) return null;
  const inner = field(object, kind);
  switch (kind) {
    case 'string_value':
      return text(inner, 'stringValue');
    case 'bool_value':
      if (typeof inner !== 'boolean') return fail('boolValue must be a boolean');
      return inner;
    case 'int_value':
      return integer(inner);
    case 'double_value':
      return double(inner);
    case 'bytes_value':
      if (inner instanceof Uint8Array) return Buffer.from(inner).toString('base64');
      return text(inner, 'bytesValue');
    case 'array_value':
      return list(objectAt(inner, 'arrayValue'), 'values', 'arrayValue.values').map((item) => anyValue(item, depth + 1));
    default:
      return keyValues(list(objectAt(inner, 'kvlistValue'), 'values', 'kvlistValue.values'), depth + 1);
  }
};

/** int64 as a number when it fits JavaScript's exact range, as a bigint otherwise (its digits kept). */
const integer = (value: unknown): number | bigint => {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  if (typeof value === 'bigint' && value >= -(2n ** 63n) && value < 2n ** 63n) return value;
  if (typeof value === 'string' && /^-?\d{1,19}$/.test(value)) {
    const big = BigInt(value);
    if (big >= -(2n ** 63n) && big < 2n ** 63n) return Number.isSafeInteger(Number(big)) ? Number(big) : big;
  }
  return fail('intValue must be a 64-bit integer');
};

const double = (value: unknown): number => {
  if (typeof value === 'number') return value;
  if (value === 'NaN') return Number.NaN;
  if (value === 'Infinity') return Number.POSITIVE_INFINITY;
  if (value === '-Infinity') return Number.NEGATIVE_INFINITY;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return fail('doubleValue must be a number');
};

/** A KeyValue list as a map: a key given twice keeps its last value, as Python's dict comprehension does. */
const keyValues = (entries: unknown[], depth: number): Record<string, SpanAttributeValue> => {
  const map: Record<string, SpanAttributeValue> = Object.create(null) as Record<string, SpanAttributeValue>;
  for (const entry of entries) {
    const kv = objectAt(entry, 'an attribute');
    map[text(field(kv, 'key'), 'an attribute key')] = anyValue(field(kv, 'value'), depth);
  }
  return map;
};

const eventOf = (value: unknown): SpanEvent => {
  const event = objectAt(value, 'an event');
  return {
    name: text(field(event, 'name'), 'an event name'),
    timeUnixNano: nanos(field(event, 'time_unix_nano'), 'an event time'),
    attributes: keyValues(list(event, 'attributes', 'event attributes'), 1),
  };
};

const spanOf = (value: unknown): Span => {
  const span = objectAt(value, 'a span');
  const otelTraceId = idHex(field(span, 'trace_id'), 16, 'trace_id', false) ?? '';
  const spanId = idHex(field(span, 'span_id'), 8, 'span_id', false) ?? '';
  const parentSpanId = idHex(field(span, 'parent_span_id'), 8, 'parent_span_id', true);
  const traceId = `${TRACE_ID_PREFIX}${otelTraceId}`;
  const status = isObject(field(span, 'status')) ? (field(span, 'status') as Obj) : {};
  const end = nanos(field(span, 'end_time_unix_nano'), 'end_time_unix_nano');
  return {
    traceId,
    otelTraceId,
    spanId,
    ...(parentSpanId ? { parentSpanId } : {}),
    name: text(field(span, 'name'), 'the span name'),
    startTimeUnixNano: nanos(field(span, 'start_time_unix_nano'), 'start_time_unix_nano'),
    ...(end !== '0' ? { endTimeUnixNano: end } : {}),
    status: { code: STATUS_CODES[String(field(status, 'code') ?? 0)] ?? 'UNSET', message: text(field(status, 'message'), 'the status message') },
    // MLflow puts its trace id first, so an id the span carries itself wins.
    attributes: { [SPAN_ATTRIBUTES.requestId]: traceId, ...keyValues(list(span, 'attributes', 'span attributes'), 1) },
    events: list(span, 'events', 'span events').map(eventOf),
  };
};

const spansOfRequest = (request: unknown, noSpans: string): Span[] => {
  const resourceSpans = list(objectAt(request, 'the request'), 'resource_spans', 'resourceSpans');
  // MLflow refuses a request without resource spans: with protobuf 5 that is how it tells garbage from a message.
  if (resourceSpans.length === 0) throw invalidParameter(noSpans);
  return resourceSpans.flatMap((resource) =>
    list(objectAt(resource, 'resourceSpans'), 'scope_spans', 'scopeSpans').flatMap((scope) =>
      list(objectAt(scope, 'scopeSpans'), 'spans', 'spans').map(spanOf),
    ),
  );
};

export const fromProtobufRequest = (request: unknown): Span[] =>
  spansOfRequest(request, 'Invalid OpenTelemetry protobuf format - no spans found');

export const fromJsonRequest = (request: unknown): Span[] => spansOfRequest(request, 'Invalid OpenTelemetry JSON format - no spans found');
