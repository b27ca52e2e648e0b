/**
 * Assessments on the wire, as MLflow's server writes them (assessments.proto through message_to_json: snake_case,
 * unset fields left out, Timestamps in RFC 3339, `value` a google.protobuf.Value, i.e. plain JSON).
 */
import type { Assessment, AssessmentError } from './assessments.js';
import { timestampJson } from './traces-wire.js';

type Json = Record<string, unknown>;

const errorJson = (error: AssessmentError): Json => ({
  ...(error.errorCode !== undefined ? { error_code: error.errorCode } : {}),
  ...(error.errorMessage !== undefined ? { error_message: error.errorMessage } : {}),
  ...(error.stackTrace !== undefined ? { stack_trace: error.stackTrace } : {}),
});

/** A non-finite number in a Value is proto JSON's string form, as for every double. */
const valueJson = (value: unknown): unknown => {
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (Array.isArray(value)) return value.map(valueJson);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, valueJson(v)]));
  return value;
};

export const assessmentJson = (assessment: Assessment): Json => {
  const value = assessment.value === undefined ? {} : { value: valueJson(assessment.value) };
  const body =
    assessment.kind === 'feedback'
      ? { feedback: { ...value, ...(assessment.feedbackError ? { error: errorJson(assessment.feedbackError) } : {}) } }
      : {
          expectation: {
            ...value,
            ...(assessment.serializedValue
              ? {
                  serialized_value: {
                    ...(assessment.serializedValue.serializationFormat !== undefined
                      ? { serialization_format: assessment.serializedValue.serializationFormat }
                      : {}),
                    ...(assessment.serializedValue.value !== undefined ? { value: assessment.serializedValue.value } : {}),
                  },
                }
              : {}),
          },
        };
  return {
    assessment_id: assessment.assessmentId,
    assessment_name: assessment.name,
    trace_id: assessment.traceId,
    ...(assessment.spanId ? { span_id: assessment.spanId } : {}),
    ...(assessment.source
      ? {
          source: {
            source_type: assessment.source.sourceType,
            ...(assessment.source.sourceId !== undefined ? { source_id: assessment.source.sourceId } : {}),
          },
        }
      : {}),
    create_time: timestampJson(assessment.createTimeMs),
    last_update_time: timestampJson(assessment.lastUpdateTimeMs),
    ...body,
    ...(assessment.rationale !== undefined ? { rationale: assessment.rationale } : {}),
    ...(assessment.error ? { error: errorJson(assessment.error) } : {}),
    ...(Object.keys(assessment.metadata).length > 0 ? { metadata: { ...assessment.metadata } } : {}),
    ...(assessment.overrides ? { overrides: assessment.overrides } : {}),
    valid: assessment.valid,
  };
};

/**
 * The wire assessments of each trace, for the trace reads that answer TraceInfoV3 (traces.ts's `assessmentsOf`):
 * one query per trace partition, read in parallel.
 */
export const wireAssessmentsOf =
  (store: { listForTraces(traceIds: readonly string[]): Promise<Map<string, Assessment[]>> }) =>
  async (traceIds: readonly string[]): Promise<Map<string, object[]>> => {
    const byTrace = await store.listForTraces(traceIds);
    return new Map([...byTrace].map(([traceId, list]) => [traceId, list.map(assessmentJson)]));
  };
