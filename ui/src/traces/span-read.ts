import type { RawSpan, Span, SpanEvent, SpanStatus } from './types';

/**
 * Reads spans in whichever form the server keeps them: OTLP proto JSON (`traces/get`: attributes as
 * `[{key, value: {string_value}}]`, ids as base64 bytes, `status.code` STATUS_CODE_*), MLflow 3 span dicts
 * (`traces.json` artifacts: attributes as an object of JSON-encoded strings) and MLflow 2's (`context.span_id`,
 * `parent_id`, `inputs`/`outputs`). MLflow writes every attribute value JSON-encoded, so strings are decoded.
 */

type Obj = Record<string, unknown>;

const isObj = (value: unknown): value is Obj => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The first present field among names (snake_case as MLflow writes, camelCase as OTLP JSON does). */
const field = (raw: Obj, ...names: string[]): unknown => {
  for (const name of names) if (raw[name] !== undefined && raw[name] !== null) return raw[name];
  return undefined;
};

/** A JSON-encoded attribute value decoded; a plain string (an OpenTelemetry attribute) stays as it is. */
export const decodeValue = (value: unknown): unknown => {
  if (typeof value !== 'string') return value;
  const text = value.trim();
  if (!text) return value;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return value;
  }
};

/** An OTLP AnyValue (`{string_value}`, `{int_value}`, arrays, key-value lists) as a plain value. */
export const anyValue = (value: unknown): unknown => {
  if (!isObj(value)) return value;
  const str = field(value, 'string_value', 'stringValue');
  if (str !== undefined) return str;
  const bool = field(value, 'bool_value', 'boolValue');
  if (bool !== undefined) return bool === true || bool === 'true';
  const int = field(value, 'int_value', 'intValue');
  if (int !== undefined) return Number(int);
  const double = field(value, 'double_value', 'doubleValue');
  if (double !== undefined) return Number(double);
  const array = field(value, 'array_value', 'arrayValue');
  if (isObj(array)) return (Array.isArray(array.values) ? array.values : []).map(anyValue);
  const list = field(value, 'kvlist_value', 'kvlistValue');
  if (isObj(list)) return keyValues(list.values, (v) => anyValue(v));
  return field(value, 'bytes_value', 'bytesValue');
};

const keyValues = (pairs: unknown, read: (value: unknown) => unknown): Obj => {
  const out: Obj = {};
  if (!Array.isArray(pairs)) return out;
  for (const pair of pairs) if (isObj(pair) && typeof pair.key === 'string') out[pair.key] = read(pair.value);
  return out;
};

/** Attributes as an object: OTLP's list of key-values or MLflow's object, every value decoded. */
export const readAttributes = (attributes: unknown): Obj => {
  if (Array.isArray(attributes)) return keyValues(attributes, (v) => decodeValue(anyValue(v)));
  if (!isObj(attributes)) return {};
  return Object.fromEntries(Object.entries(attributes).map(([key, value]) => [key, decodeValue(value)]));
};

const HEX_ID = /^[0-9a-f]+$/i;
const BASE64_ID = /^[A-Za-z0-9+/]{10,22}={0,2}$/;

/** A span id as hex: proto JSON writes the bytes as base64 (12 characters for 8 bytes), MLflow dicts may too. */
export const spanIdText = (value: unknown): string | undefined => {
  if (typeof value !== 'string' || value === '') return undefined;
  if (HEX_ID.test(value) && (value.length === 16 || value.length === 32)) return value.toLowerCase();
  if (BASE64_ID.test(value) && value.length % 4 === 0) {
    try {
      const bytes = atob(value);
      if (bytes.length === 8 || bytes.length === 16) {
        return Array.from(bytes, (c) => c.charCodeAt(0).toString(16).padStart(2, '0')).join('');
      }
    } catch {
      // Not base64 after all: keep it as written.
    }
  }
  return value;
};

/** Nanoseconds (a number, or a decimal string beyond 2^53) as fractional milliseconds, microsecond-exact. */
export const nanosToMs = (value: unknown): number | undefined => {
  if (typeof value === 'number') return Number.isFinite(value) && value > 0 ? value / 1e6 : undefined;
  if (typeof value === 'string' && /^\d+$/.test(value)) {
    const nanos = BigInt(value);
    return nanos > 0n ? Number(nanos / 1000n) / 1000 : undefined;
  }
  return undefined;
};

const statusOf = (raw: Obj): { status: SpanStatus; message: string | undefined } => {
  const status = raw.status;
  let code: unknown = raw.status_code;
  let message: unknown = raw.status_message;
  if (isObj(status)) {
    code = field(status, 'code', 'status_code', 'description') ?? code;
    message = field(status, 'message', 'description') ?? message;
  } else if (status !== undefined) {
    code ??= status;
  }
  const text = typeof code === 'number' ? ['UNSET', 'OK', 'ERROR'][code] ?? 'UNSET' : String(code ?? '').toUpperCase();
  const normal: SpanStatus = text.includes('ERROR') ? 'ERROR' : text.endsWith('OK') ? 'OK' : 'UNSET';
  const note = typeof message === 'string' && message && message !== normal && !message.startsWith('STATUS_CODE') ? message : undefined;
  return { status: normal, message: note };
};

/** Span kinds other instrumentations name, in MLflow's span types. */
const OTHER_KINDS: Record<string, string> = {
  chat: 'CHAT_MODEL',
  text_completion: 'LLM',
  generate_content: 'LLM',
  embeddings: 'EMBEDDING',
  execute_tool: 'TOOL',
  invoke_agent: 'AGENT',
  create_agent: 'AGENT',
};

const spanTypeOf = (raw: Obj, attributes: Obj): string => {
  const type = attributes['mlflow.spanType'] ?? raw.span_type ?? attributes['openinference.span.kind'];
  if (typeof type === 'string' && type) return type.toUpperCase();
  const operation = attributes['gen_ai.operation.name'];
  return (typeof operation === 'string' && OTHER_KINDS[operation]) || 'UNKNOWN';
};

const INPUT_KEYS = ['mlflow.spanInputs', 'input.value', 'traceloop.entity.input', 'gen_ai.prompt'];
const OUTPUT_KEYS = ['mlflow.spanOutputs', 'output.value', 'traceloop.entity.output', 'gen_ai.completion'];

const firstOf = (attributes: Obj, keys: readonly string[]): unknown => {
  for (const key of keys) if (attributes[key] !== undefined) return attributes[key];
  return undefined;
};

const eventsOf = (raw: Obj): SpanEvent[] =>
  (Array.isArray(raw.events) ? raw.events : []).filter(isObj).map((event) => ({
    name: typeof event.name === 'string' ? event.name : '',
    timeMs: nanosToMs(field(event, 'time_unix_nano', 'timeUnixNano', 'timestamp')),
    attributes: readAttributes(event.attributes),
  }));

/** One span in the UI's form; undefined for something that is no span (no id). */
export const readSpan = (raw: RawSpan): Span | undefined => {
  const context = isObj(raw.context) ? raw.context : {};
  const id = spanIdText(field(raw, 'span_id', 'spanId') ?? context.span_id);
  if (!id) return undefined;
  const attributes = readAttributes(raw.attributes);
  const { status, message } = statusOf(raw);
  const startMs = nanosToMs(field(raw, 'start_time_unix_nano', 'startTimeUnixNano', 'start_time')) ?? 0;
  const endMs = nanosToMs(field(raw, 'end_time_unix_nano', 'endTimeUnixNano', 'end_time'));
  return {
    id,
    parentId: spanIdText(field(raw, 'parent_span_id', 'parentSpanId', 'parent_id')),
    name: typeof raw.name === 'string' && raw.name ? raw.name : '(unnamed)',
    type: spanTypeOf(raw, attributes),
    status,
    statusMessage: message,
    startMs,
    endMs: endMs !== undefined && endMs >= startMs ? endMs : undefined,
    attributes,
    inputs: firstOf(attributes, INPUT_KEYS) ?? decodeValue(raw.inputs),
    outputs: firstOf(attributes, OUTPUT_KEYS) ?? decodeValue(raw.outputs),
    events: eventsOf(raw),
  };
};

export const readSpans = (raw: readonly RawSpan[]): Span[] => raw.map(readSpan).filter((span): span is Span => span !== undefined);

/** Attributes shown in their own tab, so the attribute table leaves them out. */
export const SHOWN_ELSEWHERE = new Set(['mlflow.spanInputs', 'mlflow.spanOutputs']);
