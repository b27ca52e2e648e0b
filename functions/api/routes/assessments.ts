import { Hono } from 'hono';
import type { z } from 'zod';
import * as use from '../../../shared/domain/genai/assessments-service.js';
import type { AssessmentDeps, AssessmentValue, NewAssessment } from '../../../shared/domain/genai/assessments-service.js';
import type { Assessment, AssessmentError } from '../../../shared/domain/genai/assessments.js';
import { parseRequest } from '../../../shared/http/validate.js';
import { assessmentJson } from '../../../shared/domain/genai/assessments-wire.js';
import { invalidParameter, missingParameter } from '../../../shared/errors/index.js';
import * as S from '../../../shared/schemas/assessments.js';
import { rpc } from '../rpc.js';

/**
 * MLflow 3's assessments of a trace (service.proto CreateAssessment, GetAssessmentRequest, UpdateAssessment,
 * DeleteAssessment), under /api/3.0/mlflow and its /ajax-api twin.
 */
export const assessmentRoutes = (deps: AssessmentDeps) =>
  new Hono()
    .post(
      '/traces/:trace_id/assessments',
      rpc(S.CreateAssessmentRequest, async (input) => ({
        assessment: assessmentJson(await use.createAssessment(deps, newAssessmentOf(input.trace_id, input.assessment))),
      })),
    )
    .get(
      '/traces/:trace_id/assessments/:assessment_id',
      rpc(S.AssessmentIdRequest, async (input) => ({
        assessment: assessmentJson(await use.getAssessment(deps, input.trace_id, input.assessment_id)),
      })),
    )
    .patch(
      '/traces/:trace_id/assessments/:assessment_id',
      rpc(S.UpdateAssessmentRequest, async (input) => {
        const wire = input.assessment;
        const paths = new Set(input.update_mask);
        const updated = await use.updateAssessment(deps, input.trace_id, input.assessment_id, {
          ...(paths.has('assessment_name') && wire.assessment_name ? { name: wire.assessment_name } : {}),
          ...(paths.has('feedback') ? { value: feedbackOf(wire) } : {}),
          ...(paths.has('expectation') ? { value: expectationOf(wire) } : {}),
          ...(paths.has('rationale') ? { rationale: wire.rationale ?? '' } : {}),
          ...(paths.has('metadata') ? { metadata: wire.metadata ?? {} } : {}),
        });
        return { assessment: assessmentJson(updated) };
      }),
    )
    .delete(
      '/traces/:trace_id/assessments/:assessment_id',
      rpc(S.AssessmentIdRequest, async (input) => {
        await use.deleteAssessment(deps, input.trace_id, input.assessment_id);
        return {};
      }),
    );

type Wire = z.output<typeof S.AssessmentWire>;

/** CreateAssessment's `assessment` in the domain's words; `path` names it in messages. */
const newAssessmentOf = (traceId: string, wire: Wire, path = 'assessment'): NewAssessment => {
  if (!wire.assessment_name) throw missingParameter(`${path}.assessment_name`);
  return {
    traceId,
    name: wire.assessment_name,
    spanId: wire.span_id,
    ...(wire.source ? { source: { sourceType: wire.source.source_type ?? 'SOURCE_TYPE_UNSPECIFIED', sourceId: wire.source.source_id } } : {}),
    ...valueOf(wire),
    rationale: wire.rationale,
    error: wire.error && errorOf(wire.error),
    metadata: wire.metadata,
    overrides: wire.overrides,
  };
};

/**
 * Stores the assessments a client sends inside a TraceInfoV3 (StartTraceV3's `trace.trace_info.assessments`, which
 * MLflow's store saves with the trace), for the trace routes to call once the info is stored. Each is parsed as
 * CreateAssessment's; the trace id is the trace's whatever the assessment says.
 *
 * @throws MlflowError INVALID_PARAMETER_VALUE for a malformed one (none is stored then: all are checked first).
 */
export const createAssessmentsOfTrace = async (deps: AssessmentDeps, traceId: string, wires: readonly unknown[]): Promise<Assessment[]> => {
  const inputs = wires.map((wire, index) =>
    newAssessmentOf(traceId, parseRequest(S.AssessmentWire, (wire ?? {}) as Record<string, unknown>), `trace.trace_info.assessments[${index}]`),
  );
  const created: Assessment[] = [];
  for (const input of inputs) created.push(await use.createAssessment(deps, input));
  return created;
};

const errorOf = (error: NonNullable<Wire['error']>): AssessmentError => ({
  ...(error.error_code !== undefined ? { errorCode: error.error_code } : {}),
  ...(error.error_message !== undefined ? { errorMessage: error.error_message } : {}),
  ...(error.stack_trace !== undefined ? { stackTrace: error.stack_trace } : {}),
});

const feedbackOf = (wire: Wire): AssessmentValue => ({
  kind: 'feedback',
  value: wire.feedback?.value,
  feedbackError: wire.feedback?.error && errorOf(wire.feedback.error),
});

const expectationOf = (wire: Wire): AssessmentValue => ({
  kind: 'expectation',
  value: wire.expectation?.value,
  serializedValue: wire.expectation?.serialized_value && {
    ...(wire.expectation.serialized_value.serialization_format !== undefined
      ? { serializationFormat: wire.expectation.serialized_value.serialization_format }
      : {}),
    ...(wire.expectation.serialized_value.value !== undefined ? { value: wire.expectation.serialized_value.value } : {}),
  },
});

/** The `value` oneof of an Assessment: exactly one of feedback and expectation. */
const valueOf = (wire: Wire): AssessmentValue => {
  if (wire.feedback && wire.expectation) {
    throw invalidParameter('An assessment is either feedback or an expectation: set only one of `feedback` and `expectation`.');
  }
  if (wire.feedback) return feedbackOf(wire);
  if (wire.expectation) return expectationOf(wire);
  throw invalidParameter('Unknown assessment type: None');
};
