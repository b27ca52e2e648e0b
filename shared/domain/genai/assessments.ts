/**
 * MLflow 3's assessments (mlflow/protos/assessments.proto) in Cairn's words: feedback on a trace (a human's
 * rating, an LLM judge's verdict, a code check) or an expectation (the answer the trace should have given).
 * The wire shape is made in assessments-wire.ts, the stored shape in shared/data/assessments/codec.ts.
 */

/** MLflow's AssessmentSource.SourceType. */
export const ASSESSMENT_SOURCE_TYPES = ['SOURCE_TYPE_UNSPECIFIED', 'HUMAN', 'LLM_JUDGE', 'CODE'] as const;
export type AssessmentSourceType = (typeof ASSESSMENT_SOURCE_TYPES)[number];

/** A google.protobuf.Value: what feedback and expectation values are. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export interface AssessmentSource {
  sourceType: AssessmentSourceType;
  sourceId?: string;
}

export interface AssessmentError {
  errorCode?: string;
  errorMessage?: string;
  stackTrace?: string;
}

/** An expectation's value serialized by the client in a format only the client reads (e.g. JSON_FORMAT). */
export interface SerializedValue {
  serializationFormat?: string;
  value?: string;
}

export type AssessmentKind = 'feedback' | 'expectation';

export interface Assessment {
  /** `a-` and 32 hex digits, made by the server. */
  assessmentId: string;
  traceId: string;
  name: string;
  /** The span the assessment is about, when not the whole trace. */
  spanId?: string;
  source?: AssessmentSource;
  createTimeMs: number;
  lastUpdateTimeMs: number;
  kind: AssessmentKind;
  /** The feedback's or expectation's value; absent when not set (feedback that carries an error instead). */
  value?: JsonValue;
  /** Feedback only: the error met while computing it. */
  feedbackError?: AssessmentError;
  /** Expectation only: a value the client serialized itself. */
  serializedValue?: SerializedValue;
  rationale?: string;
  /** MLflow's deprecated top-level error, kept as sent. */
  error?: AssessmentError;
  metadata: Record<string, string>;
  /** The assessment this one replaces; that one is then no longer valid. */
  overrides?: string;
  /** False once another assessment overrides this one. */
  valid: boolean;
}

export const ASSESSMENT_ID_PREFIX = 'a-';

/** Only valid assessments count in searches (an overridden one was superseded). */
export const isCurrent = (assessment: Assessment): boolean => assessment.valid;
