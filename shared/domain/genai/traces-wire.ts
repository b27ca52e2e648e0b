import { invalidParameter } from '../../errors/index.js';
import type { Span, SpanAttributeValue, SpanStatusCode, TraceInfo, TraceState } from './entities.js';
import { RawNumber } from './raw-json.js';

/**
 * MLflow's wire shapes of traces, as its server writes them (message_to_json: snake_case, unset fields left out,
 * 64-bit integers as numbers, enums by name; google.protobuf Timestamp and Duration in their JSON forms).
 */

type Json = Record<string, unknown>;

/** A Timestamp's JSON form: RFC 3339 in UTC, with 0 or 3 fraction digits for millisecond values. */
export const timestampJson = (ms: number): string => {
  const iso = new Date(ms).toISOString();
  return ms % 1000 === 0 ? iso.replace(/\.000Z$/, 'Z') : iso;
};

/** A Duration's JSON form: seconds with 0 or 3 fraction digits (`1.500s`, `2s`). */
export const durationJson = (ms: number): string => {
  const sign = ms < 0 ? '-' : '';
  const abs = Math.abs(Math.trunc(ms));
  const fraction = abs % 1000;
  return `${sign}${Math.floor(abs / 1000)}${fraction === 0 ? '' : `.${String(fraction).padStart(3, '0')}`}s`;
};

/** Milliseconds of a Timestamp's JSON form (RFC 3339, any offset, up to 9 fraction digits). */
export const parseTimestampMs = (value: string, field: string): number => {
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/i.exec(value);
  const whole = match ? Date.parse(`${match[1]}${match[3]?.toUpperCase()}`) : Number.NaN;
  if (!match || Number.isNaN(whole)) throw invalidParameter(`Invalid value '${value}' for field '${field}': not an RFC 3339 timestamp.`);
  return whole + Math.floor(Number((match[2] ?? '').padEnd(9, '0')) / 1e6);
};

/** Milliseconds of a Duration's JSON form (`1.5s`, `-0.001s`). */
export const parseDurationMs = (value: string, field: string): number => {
  const match = /^(-)?(\d+)(?:\.(\d{1,9}))?s$/.exec(value);
  if (!match) throw invalidParameter(`Invalid value '${value}' for field '${field}': not a duration such as '1.5s'.`);
  const ms = Number(match[2]) * 1000 + Math.floor(Number((match[3] ?? '').padEnd(9, '0')) / 1e6);
  return match[1] ? -ms : ms;
};

/** TraceInfoV3 as MLflow's server answers it; `assessments` are already wire objects (assessments' own file). */
export const traceInfoV3Json = (info: TraceInfo, assessments: readonly object[] = []): Json => ({
  trace_id: info.traceId,
  ...(info.clientRequestId !== undefined ? { client_request_id: info.clientRequestId } : {}),
  trace_location: { type: 'MLFLOW_EXPERIMENT', mlflow_experiment: { experiment_id: info.experimentId } },
  ...(info.requestPreview !== undefined ? { request_preview: info.requestPreview } : {}),
  ...(info.responsePreview !== undefined ? { response_preview: info.responsePreview } : {}),
  request_time: timestampJson(info.requestTime),
  ...(info.executionDuration !== undefined ? { execution_duration: durationJson(info.executionDuration) } : {}),
  state: info.state,
  ...(Object.keys(info.metadata).length > 0 ? { trace_metadata: { ...info.metadata } } : {}),
  ...(assessments.length > 0 ? { assessments } : {}),
  ...(Object.keys(info.tags).length > 0 ? { tags: { ...info.tags } } : {}),
});

/** MLflow's v2 TraceStatus of a v3 state (TraceStatus.from_state). */
export const traceStatusOf = (state: TraceState): string => (state === 'STATE_UNSPECIFIED' ? 'TRACE_STATUS_UNSPECIFIED' : state);
/** The v3 state of a v2 status; an unknown name is INVALID_PARAMETER_VALUE. */
export const traceStateOfStatus = (status: string | undefined): TraceState => {
  if (status === undefined || status === 'TRACE_STATUS_UNSPECIFIED') return 'STATE_UNSPECIFIED';
  if (status === 'OK' || status === 'ERROR' || status === 'IN_PROGRESS') return status;
  throw invalidParameter(`Invalid value '${status}' for parameter 'status'.`);
};

/** The v2 TraceInfo (TraceInfoV2.from_v3): the duration 0 while unknown, lists of key-values for maps. */
export const traceInfoV2Json = (info: TraceInfo): Json => {
  const pairs = (map: Record<string, string>) => Object.entries(map).map(([key, value]) => ({ key, value }));
  return {
    request_id: info.traceId,
    experiment_id: info.experimentId,
    timestamp_ms: info.requestTime,
    execution_time_ms: info.executionDuration ?? 0,
    status: traceStatusOf(info.state),
    ...(Object.keys(info.metadata).length > 0 ? { request_metadata: pairs(info.metadata) } : {}),
    ...(Object.keys(info.tags).length > 0 ? { tags: pairs(info.tags) } : {}),
  };
};

const base64OfHex = (hex: string) => Buffer.from(hex, 'hex').toString('base64');
const hexOfBase64 = (b64: string) => Buffer.from(b64, 'base64').toString('hex');

/**
 * An attribute value as the MLflow client reads it: MLflow's own attributes are JSON text, which its
 * `Span.attributes` decodes before `to_otel_proto` writes them (a string that is not JSON stays as it is).
 */
const decodedAttribute = (value: SpanAttributeValue): SpanAttributeValue => {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as SpanAttributeValue;
  } catch {
    return value;
  }
};

/** An OTLP AnyValue in MLflow's JSON (snake_case oneof names, int64 as numbers). */
const anyValueJson = (value: SpanAttributeValue): Json => {
  if (value === null || value === undefined) return {};
  if (typeof value === 'string') return { string_value: value };
  if (typeof value === 'boolean') return { bool_value: value };
  if (typeof value === 'bigint') return { int_value: value };
  if (typeof value === 'number') return Number.isInteger(value) ? { int_value: value } : { double_value: value };
  if (Array.isArray(value)) return { array_value: { values: value.map(anyValueJson) } };
  return { kvlist_value: { values: Object.entries(value).map(([key, v]) => ({ key, value: anyValueJson(v) })) } };
};

const keyValuesJson = (attributes: Record<string, SpanAttributeValue>) =>
  Object.entries(attributes).map(([key, value]) => ({ key, value: anyValueJson(decodedAttribute(value)) }));

const OTEL_STATUS: Record<SpanStatusCode, string | undefined> = { UNSET: undefined, OK: 'STATUS_CODE_OK', ERROR: 'STATUS_CODE_ERROR' };

/** An OpenTelemetry Span message as MLflow's GetTrace answers it (Span.to_otel_proto, then message_to_json). */
export const otelSpanJson = (span: Span): Json => {
  const code = OTEL_STATUS[span.status.code];
  const attributes = keyValuesJson(span.attributes);
  return {
    trace_id: base64OfHex(span.otelTraceId),
    span_id: base64OfHex(span.spanId),
    ...(span.parentSpanId ? { parent_span_id: base64OfHex(span.parentSpanId) } : {}),
    name: span.name,
    start_time_unix_nano: new RawNumber(span.startTimeUnixNano),
    ...(span.endTimeUnixNano ? { end_time_unix_nano: new RawNumber(span.endTimeUnixNano) } : {}),
    ...(attributes.length > 0 ? { attributes } : {}),
    ...(span.events.length > 0
      ? {
          events: span.events.map((event) => {
            const eventAttributes = keyValuesJson(event.attributes);
            return {
              time_unix_nano: new RawNumber(event.timeUnixNano),
              name: event.name,
              ...(eventAttributes.length > 0 ? { attributes: eventAttributes } : {}),
            };
          }),
        }
      : {}),
    status: { ...(span.status.message ? { message: span.status.message } : {}), ...(code ? { code } : {}) },
  };
};

const DICT_STATUS: Record<SpanStatusCode, string> = { UNSET: 'STATUS_CODE_UNSET', OK: 'STATUS_CODE_OK', ERROR: 'STATUS_CODE_ERROR' };

/**
 * A span as MLflow 3's client writes it into traces.json (Span.to_dict: the span's proto as a dict, ids in base64,
 * attributes as stored), which every 3.x client reads back with Span.from_dict.
 */
export const spanDictJson = (span: Span): Json => ({
  trace_id: base64OfHex(span.otelTraceId),
  span_id: base64OfHex(span.spanId),
  trace_state: '',
  parent_span_id: span.parentSpanId ? base64OfHex(span.parentSpanId) : '',
  name: span.name,
  start_time_unix_nano: new RawNumber(span.startTimeUnixNano),
  end_time_unix_nano: span.endTimeUnixNano ? new RawNumber(span.endTimeUnixNano) : null,
  events: span.events.map((event) => ({ time_unix_nano: new RawNumber(event.timeUnixNano), name: event.name, attributes: event.attributes })),
  status: { message: span.status.message, code: DICT_STATUS[span.status.code] },
  attributes: span.attributes,
});

/** traces.json: the trace's data as MLflow's get-trace-artifact answers it (TraceData.to_dict). */
export const traceDataJson = (spans: readonly Span[]): Json => ({ spans: spans.map(spanDictJson) });

export { base64OfHex, hexOfBase64 };
