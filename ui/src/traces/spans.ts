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

export interface SpanNode {
  span: Span;
  children: SpanNode[];
}

const byStart = (a: SpanNode, b: SpanNode) => a.span.startMs - b.span.startMs || a.span.name.localeCompare(b.span.name);

/**
 * The spans as a forest: a span whose parent is missing (not yet arrived, or cut off) is a root, and so is
 * every span of a parent cycle, so a broken trace still shows all its spans. Children run in start order.
 */
export const buildTree = (spans: readonly Span[]): SpanNode[] => {
  const nodes = new Map<string, SpanNode>();
  for (const span of spans) if (!nodes.has(span.id)) nodes.set(span.id, { span, children: [] });
  const roots: SpanNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.span.parentId === undefined ? undefined : nodes.get(node.span.parentId);
    if (parent && parent !== node) parent.children.push(node);
    else roots.push(node);
  }
  const reached = new Set<SpanNode>();
  const walk = (node: SpanNode) => {
    reached.add(node);
    node.children.sort(byStart);
    for (const child of node.children) if (!reached.has(child)) walk(child);
  };
  roots.forEach(walk);
  for (const node of nodes.values()) {
    if (reached.has(node)) continue;
    // A cycle: cut it at this node, which becomes a root.
    const parent = node.span.parentId === undefined ? undefined : nodes.get(node.span.parentId);
    if (parent) parent.children = parent.children.filter((child) => child !== node);
    roots.push(node);
    walk(node);
  }
  return roots.sort(byStart);
};

export interface SpanRow {
  node: SpanNode;
  depth: number;
  expanded: boolean;
  /** 1-based position among its siblings, and their count (for the tree's aria attributes). */
  position: number;
  siblings: number;
}

/**
 * The visible rows of the tree in display order: children of a collapsed span are left out. With `only` (a
 * search), just those spans are shown, all branches open.
 */
export const visibleRows = (roots: readonly SpanNode[], collapsed: ReadonlySet<string>, only?: ReadonlySet<string>): SpanRow[] => {
  const rows: SpanRow[] = [];
  const visit = (all: readonly SpanNode[], depth: number) => {
    const nodes = only ? all.filter((node) => only.has(node.span.id)) : all;
    nodes.forEach((node, index) => {
      const expanded = only !== undefined || !collapsed.has(node.span.id);
      rows.push({ node, depth, expanded, position: index + 1, siblings: nodes.length });
      if (expanded) visit(node.children, depth + 1);
    });
  };
  visit(roots, 0);
  return rows;
};

const searchText = (span: Span): string =>
  [span.name, span.type, JSON.stringify(span.inputs ?? ''), JSON.stringify(span.outputs ?? ''), JSON.stringify(span.attributes)].join('\n').toLowerCase();

/**
 * A search over the spans (name, type, inputs, outputs, attributes; case-insensitive): the spans that match, and
 * those plus their ancestors, which the tree shows so each match keeps its place.
 */
export const searchSpans = (spans: readonly Span[], query: string): { matches: Set<string>; shown: Set<string> } | undefined => {
  const needle = query.trim().toLowerCase();
  if (!needle) return undefined;
  const matches = new Set(spans.filter((span) => searchText(span).includes(needle)).map((span) => span.id));
  const parentOf = new Map(spans.map((span) => [span.id, span.parentId]));
  const shown = new Set<string>();
  for (const id of matches) {
    // Up to the root, or to a span already shown (its ancestors are too); a parent cycle stops there as well.
    for (let at: string | undefined = id; at !== undefined && parentOf.has(at) && !shown.has(at); at = parentOf.get(at)) shown.add(at);
  }
  return { matches, shown };
};

/** Spans with a failed span somewhere below them, to mark them when collapsed. */
export const spansWithFailingDescendants = (roots: readonly SpanNode[]): Set<string> => {
  const out = new Set<string>();
  const visit = (node: SpanNode, seen: Set<SpanNode>): boolean => {
    let failing = false;
    for (const child of node.children) {
      if (seen.has(child)) continue;
      seen.add(child);
      if (visit(child, seen) || child.span.status === 'ERROR') failing = true;
    }
    if (failing) out.add(node.span.id);
    return failing;
  };
  const seen = new Set<SpanNode>();
  roots.forEach((root) => visit(root, seen));
  return out;
};

export interface TimeRange {
  startMs: number;
  endMs: number;
}

/** From the earliest start to the latest end (or start, for spans still open); never empty. */
export const timeRange = (spans: readonly Span[]): TimeRange => {
  if (spans.length === 0) return { startMs: 0, endMs: 1 };
  let startMs = Infinity;
  let endMs = -Infinity;
  for (const span of spans) {
    startMs = Math.min(startMs, span.startMs);
    endMs = Math.max(endMs, span.endMs ?? span.startMs);
  }
  return { startMs, endMs: Math.max(endMs, startMs + 0.001) };
};

/** Where a span's bar sits on the timeline, as fractions of its width; an open span reaches the end. */
export const barOf = (span: Span, range: TimeRange): { left: number; width: number } => {
  const total = range.endMs - range.startMs;
  const left = Math.min(1, Math.max(0, (span.startMs - range.startMs) / total));
  const end = span.endMs ?? range.endMs;
  return { left, width: Math.min(1 - left, Math.max(0, (end - span.startMs) / total)) };
};

/** Ticks for the timeline's axis: about `count` round steps (1, 2 or 5 times a power of ten) of milliseconds. */
export const axisTicks = (durationMs: number, count = 5): number[] => {
  if (!(durationMs > 0)) return [0];
  const raw = durationMs / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? raw;
  const ticks: number[] = [];
  for (let t = 0; t <= durationMs + step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
};

/** The ids of a span's ancestors, so selecting a deep span can open the branches above it. */
export const ancestorsOf = (spans: readonly Span[], id: string): string[] => {
  const byId = new Map(spans.map((span) => [span.id, span]));
  const out: string[] = [];
  let current = byId.get(id)?.parentId;
  while (current !== undefined && byId.has(current) && !out.includes(current)) {
    out.push(current);
    current = byId.get(current)?.parentId;
  }
  return out;
};
