/**
 * MLflow 3's trace shapes as the server sends them (service.proto, assessments.proto), as far as the UI reads
 * them. Proto JSON: snake_case, maps as objects, Timestamp as an RFC 3339 string, Duration as "1.5s".
 */
export type TraceState = 'STATE_UNSPECIFIED' | 'OK' | 'ERROR' | 'IN_PROGRESS';

export interface TraceLocation {
  type?: string;
  mlflow_experiment?: { experiment_id: string };
}

export interface AssessmentSource {
  source_type?: string;
  source_id?: string;
}

export interface AssessmentError {
  error_code?: string;
  error_message?: string;
  stack_trace?: string;
}

export interface Assessment {
  assessment_id?: string;
  assessment_name: string;
  trace_id?: string;
  span_id?: string;
  source?: AssessmentSource;
  create_time?: string;
  last_update_time?: string;
  feedback?: { value?: unknown; error?: AssessmentError };
  expectation?: { value?: unknown; serialized_value?: { serialization_format?: string; value?: string } };
  rationale?: string;
  metadata?: Record<string, string>;
  /** False once another assessment overrides this one. */
  valid?: boolean;
  overrides?: string;
}

export interface TraceInfo {
  trace_id: string;
  client_request_id?: string;
  trace_location?: TraceLocation;
  request_preview?: string;
  response_preview?: string;
  request_time?: string;
  execution_duration?: string;
  state?: TraceState;
  trace_metadata?: Record<string, string>;
  tags?: Record<string, string>;
  assessments?: Assessment[];
  /** The v2 names, for a server that still answers with TraceInfo (v2). */
  request_id?: string;
  timestamp_ms?: number;
  execution_time_ms?: number;
  status?: string;
}

/** A span as any of MLflow's formats carries it: OTLP proto JSON, MLflow 3 span dicts, or MLflow 2's. */
export type RawSpan = Record<string, unknown>;

export interface Trace {
  info: TraceInfo;
  spans: RawSpan[];
}

export type SpanStatus = 'OK' | 'ERROR' | 'UNSET';

export interface SpanEvent {
  name: string;
  /** Milliseconds since the epoch (fractional), when known. */
  timeMs: number | undefined;
  attributes: Record<string, unknown>;
}

/** A span read into one form, whatever format it came in. Times are milliseconds since the epoch. */
export interface Span {
  id: string;
  parentId: string | undefined;
  name: string;
  type: string;
  status: SpanStatus;
  statusMessage: string | undefined;
  startMs: number;
  /** Undefined while the span has not ended. */
  endMs: number | undefined;
  attributes: Record<string, unknown>;
  inputs: unknown;
  outputs: unknown;
  events: SpanEvent[];
}
