/**
 * MLflow 3's traces in Cairn's words: camelCase, plain data. The wire shapes (MLflow's TraceInfoV3 / TraceInfo
 * v2 JSON, OpenTelemetry's Span message, traces.json) are made from them in shared/domain/genai/traces-wire.ts,
 * the stored shapes in shared/data/traces/codec.ts. Assessments are kept in their own file (assessments*.ts).
 */

/** MLflow's TraceInfoV3.State. A v2 status (OK, ERROR, IN_PROGRESS, TRACE_STATUS_UNSPECIFIED) maps onto it. */
export const TRACE_STATES = ['STATE_UNSPECIFIED', 'OK', 'ERROR', 'IN_PROGRESS'] as const;
export type TraceState = (typeof TRACE_STATES)[number];

/** MLflow's trace ids: `tr-` and the OpenTelemetry trace id in 32 lowercase hex digits (v3 clients). */
export const TRACE_ID_PREFIX = 'tr-';

/**
 * Metadata keys MLflow's client and server set on a trace (mlflow/tracing/constant.py TraceMetadataKey).
 * They are plain metadata to Cairn; the names are here because the server reads a few of them.
 */
export const TRACE_METADATA = {
  /** The run the trace was logged in (search's `run_id` filter reads it, as MLflow's does). */
  sourceRun: 'mlflow.sourceRun',
  /** The trace's size and span counts, as the client computes them. */
  sizeBytes: 'mlflow.trace.sizeBytes',
  sizeStats: 'mlflow.trace.sizeStats',
  /** Which schema the trace was written in ("3" for MLflow 3 clients). */
  schemaVersion: 'mlflow.trace_schema.version',
  user: 'mlflow.user',
  session: 'mlflow.trace.session',
  tokenUsage: 'mlflow.trace.tokenUsage',
} as const;

/** Tags the server sets itself (mlflow/tracing/constant.py TraceTagKey, MLFLOW_ARTIFACT_LOCATION). */
export const TRACE_TAGS = {
  /** Where the trace's data (traces.json) lives: `<experiment artifact root>/traces/<trace id>/artifacts`. */
  artifactLocation: 'mlflow.artifactLocation',
  /** The trace's name: the root span's name. */
  traceName: 'mlflow.traceName',
  /** Present when the trace's spans were sent as OTLP spans (not as traces.json); MLflow's `mlflow.trace.spansLocation`. */
  spansLocation: 'mlflow.trace.spansLocation',
} as const;

/** Where a trace belongs. MLflow's OSS server keeps only experiment-located traces. */
export interface TraceLocation {
  type: 'MLFLOW_EXPERIMENT';
  experimentId: string;
}

/** Metadata about one trace (MLflow's TraceInfoV3). Times are milliseconds since the epoch. */
export interface TraceInfo {
  /** `tr-<32 hex>` for v3 clients; v2 clients get ids the server made (also `tr-<32 hex>`). */
  traceId: string;
  /** The experiment the trace belongs to (MLflow's trace_location.mlflow_experiment.experiment_id). */
  experimentId: string;
  clientRequestId?: string;
  /** When the trace started (its root span's start), ms. */
  requestTime: number;
  /** How long it ran, ms; absent while in progress or unknown. */
  executionDuration?: number;
  state: TraceState;
  /** The start of the request and response, as the client (or the server from the root span) cut them. */
  requestPreview?: string;
  responsePreview?: string;
  /** Immutable key-values (run id, schema version, sizes, ...): MLflow's trace_metadata / v2 request_metadata. */
  metadata: Record<string, string>;
  /** Mutable key-values (trace name, artifact location, user tags). */
  tags: Record<string, string>;
  /**
   * Runs the trace was linked to with link-to-run (MLflow's entity associations; not on the wire). Search's
   * `run_id` filter matches these as well as the `mlflow.sourceRun` metadata, as MLflow's does.
   */
  linkedRunIds?: string[];
}

/** OpenTelemetry's span status codes, in MLflow's names (SpanStatusCode). */
export const SPAN_STATUS_CODES = ['UNSET', 'OK', 'ERROR'] as const;
export type SpanStatusCode = (typeof SPAN_STATUS_CODES)[number];

/**
 * A span attribute value as OpenTelemetry carries it (AnyValue): a string, boolean, number, or a list or map of
 * them. MLflow's own clients put JSON text in strings (`mlflow.spanInputs` = '{"x": 1}'); other exporters put
 * plain values. Integers beyond 2^53 keep their digits as a `bigint`.
 */
export type SpanAttributeValue =
  | string
  | number
  | bigint
  | boolean
  | null
  | SpanAttributeValue[]
  | { [key: string]: SpanAttributeValue };

export interface SpanEvent {
  name: string;
  /** Nanoseconds since the epoch, as decimal digits: they pass 2^53. */
  timeUnixNano: string;
  attributes: Record<string, SpanAttributeValue>;
}

/**
 * One span of a trace, as MLflow stores it (the spans table of its SQL store and the span dicts of traces.json):
 * OpenTelemetry's span with MLflow's trace id in the `mlflow.traceRequestId` attribute.
 */
export interface Span {
  /** The MLflow trace id the span belongs to (`tr-...`). */
  traceId: string;
  /** OpenTelemetry's trace id, 32 lowercase hex digits. */
  otelTraceId: string;
  /** 16 lowercase hex digits, unique within the trace. */
  spanId: string;
  /** The parent's span id; absent on the root span. */
  parentSpanId?: string;
  name: string;
  /** Nanoseconds since the epoch, as decimal digits: they pass 2^53. */
  startTimeUnixNano: string;
  /** Absent while the span runs. */
  endTimeUnixNano?: string;
  status: { code: SpanStatusCode; message: string };
  attributes: Record<string, SpanAttributeValue>;
  events: SpanEvent[];
}

/** Span attribute keys MLflow sets (mlflow/tracing/constant.py SpanAttributeKey). */
export const SPAN_ATTRIBUTES = {
  requestId: 'mlflow.traceRequestId',
  spanType: 'mlflow.spanType',
  inputs: 'mlflow.spanInputs',
  outputs: 'mlflow.spanOutputs',
  functionName: 'mlflow.spanFunctionName',
  chatMessages: 'mlflow.chat.messages',
  chatTools: 'mlflow.chat.tools',
  chatTokenUsage: 'mlflow.chat.tokenUsage',
} as const;

/** A trace: its info and its spans (spans in start order). */
export interface Trace {
  info: TraceInfo;
  spans: Span[];
}
