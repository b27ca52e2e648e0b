/**
 * What a trace filter looks at: the trace's info and, only when a clause needs them, its spans and its
 * assessments. The search loads the optional parts lazily (search.ts), so a filter on
 * attributes, tags and metadata reads nothing beyond the trace infos.
 */
import type { Assessment, AssessmentKind } from '../assessments.js';
import { SPAN_ATTRIBUTES, type Span, type SpanAttributeValue, type TraceInfo } from '../entities.js';

export interface TraceSearchView {
  readonly info: TraceInfo;
  readonly spans?: readonly Span[];
  /** The trace's assessments (only those of the names the filter asks about may be given). */
  readonly assessments?: readonly Assessment[];
}

/** The value an attribute compares (undefined = SQL NULL, which no comparison matches). */
export const attributeValue = (info: TraceInfo, key: string): string | number | undefined => {
  switch (key) {
    case 'request_id':
      return info.traceId;
    case 'experiment_id':
      return info.experimentId;
    case 'timestamp_ms':
      return info.requestTime;
    case 'execution_time_ms':
      return info.executionDuration;
    case 'end_time_ms':
      return info.executionDuration === undefined ? undefined : info.requestTime + info.executionDuration;
    case 'status':
      return info.state;
    case 'client_request_id':
      return info.clientRequestId;
    default:
      return undefined;
  }
};

const stringify = (value: SpanAttributeValue): string =>
  JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) ?? '';

/**
 * The text of a span attribute: MLflow's clients store JSON (`"gpt-4"`, `0.7`), other exporters plain values; a
 * JSON string reads as the string it encodes, anything else as its JSON.
 */
export const spanAttributeText = (value: SpanAttributeValue): string => {
  if (typeof value !== 'string') return stringify(value);
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
    try {
      const decoded: unknown = JSON.parse(value);
      if (typeof decoded === 'string') return decoded;
    } catch {
      // not JSON: the text as it is
    }
  }
  return value;
};

/** The span's type (`LLM`, `CHAIN`, ...), from MLflow's `mlflow.spanType` attribute. */
export const spanType = (span: Span): string | undefined => {
  const raw = span.attributes[SPAN_ATTRIBUTES.spanType];
  return raw === undefined || raw === null ? undefined : spanAttributeText(raw);
};

/**
 * The text `span.content` and `trace.text` search: the span as JSON (name, type, status, attributes with their
 * inputs and outputs, events), as MLflow's SQL store keeps it in its spans table.
 */
const contentCache = new WeakMap<Span, string>();
export const spanContent = (span: Span): string => {
  let text = contentCache.get(span);
  if (text === undefined) {
    text = stringify({
      name: span.name,
      span_type: spanType(span) ?? null,
      status: span.status.code,
      attributes: span.attributes,
      events: span.events.map((e) => ({ name: e.name, attributes: e.attributes })),
    });
    contentCache.set(span, text);
  }
  return text;
};

/** An assessment value as text filters compare it: strings as they are, anything else as JSON (`true`, `5`). */
export const assessmentText = (assessment: Assessment): string | undefined => {
  if (assessment.value === undefined) return assessment.serializedValue?.value;
  return typeof assessment.value === 'string' ? assessment.value : JSON.stringify(assessment.value);
};

/** The numeric value of an assessment; NaN and infinities never compare (MLflow stores them as JSON text). */
export const assessmentNumber = (assessment: Assessment): number | undefined =>
  typeof assessment.value === 'number' && Number.isFinite(assessment.value) ? assessment.value : undefined;

export const currentAssessments = (view: TraceSearchView, kind: AssessmentKind, name: string): Assessment[] =>
  (view.assessments ?? []).filter((a) => a.kind === kind && a.name === name && a.valid);
