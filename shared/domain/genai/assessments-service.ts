/**
 * Assessment use cases, as MLflow 3.6's SQL store behaves (create_assessment, get_assessment, update_assessment,
 * delete_assessment): ids `a-<32 hex>` made by the server, times set by the server, an override marking the
 * assessment it replaces not valid (and a delete making it valid again), updates that keep the kind, the source
 * and the creation time and merge the metadata.
 */
import { randomUUID } from 'node:crypto';
import { invalidParameter, notFound, traceNotFound } from '../../errors/index.js';
import {
  ASSESSMENT_ID_PREFIX,
  type Assessment,
  type AssessmentError,
  type AssessmentKind,
  type AssessmentSource,
  type JsonValue,
  type SerializedValue,
} from './assessments.js';
import type { AssessmentStore } from './assessments-ports.js';
import type { TraceRepository } from './ports.js';

export interface AssessmentDeps {
  readonly traces: Pick<TraceRepository, 'getInfo'>;
  readonly assessments: AssessmentStore;
  readonly now: () => number;
}

/** A feedback's or an expectation's value part, as a request carries it. */
export interface AssessmentValue {
  readonly kind: AssessmentKind;
  readonly value?: JsonValue | undefined;
  readonly feedbackError?: AssessmentError | undefined;
  readonly serializedValue?: SerializedValue | undefined;
}

export interface NewAssessment extends AssessmentValue {
  readonly traceId: string;
  readonly name: string;
  readonly spanId?: string | undefined;
  readonly source?: AssessmentSource | undefined;
  readonly rationale?: string | undefined;
  readonly error?: AssessmentError | undefined;
  readonly metadata?: Record<string, string> | undefined;
  readonly overrides?: string | undefined;
}

/** What an update changes: only the fields its mask names. */
export interface AssessmentChanges {
  readonly name?: string | undefined;
  readonly value?: AssessmentValue | undefined;
  readonly rationale?: string | undefined;
  readonly metadata?: Record<string, string> | undefined;
}


export const assessmentNotFound = (traceId: string, assessmentId: string) =>
  notFound(`Assessment with ID '${assessmentId}' not found for trace '${traceId}'`);

const experimentOf = async (deps: AssessmentDeps, traceId: string): Promise<string> => {
  const info = await deps.traces.getInfo(traceId);
  if (!info) throw traceNotFound(traceId);
  return info.experimentId;
};

const valueFields = ({ kind, value, feedbackError, serializedValue }: AssessmentValue) => ({
  kind,
  ...(value === undefined ? {} : { value }),
  ...(kind === 'feedback' && feedbackError ? { feedbackError } : {}),
  ...(kind === 'expectation' && serializedValue ? { serializedValue } : {}),
});

/**
 * @throws MlflowError RESOURCE_DOES_NOT_EXIST for a missing trace, or an overridden assessment not of the trace.
 */
export const createAssessment = async (deps: AssessmentDeps, input: NewAssessment): Promise<Assessment> => {
  const experimentId = await experimentOf(deps, input.traceId);
  if (input.kind === 'expectation' && input.value !== undefined && input.serializedValue !== undefined) {
    throw invalidParameter('Only one of `value` or `serialized_value` may be set for an expectation.');
  }
  const now = deps.now();
  const assessment: Assessment = {
    assessmentId: `${ASSESSMENT_ID_PREFIX}${randomUUID().replace(/-/gu, '')}`,
    traceId: input.traceId,
    name: input.name,
    ...(input.spanId ? { spanId: input.spanId } : {}),
    ...(input.source ? { source: input.source } : {}),
    createTimeMs: now,
    lastUpdateTimeMs: now,
    ...valueFields(input),
    ...(input.rationale !== undefined ? { rationale: input.rationale } : {}),
    ...(input.error ? { error: input.error } : {}),
    metadata: input.metadata ?? {},
    ...(input.overrides ? { overrides: input.overrides } : {}),
    valid: true,
  };
  await deps.assessments.create(assessment, experimentId);
  return assessment;
};

/** @throws MlflowError RESOURCE_DOES_NOT_EXIST for a missing trace (first, as MLflow), or no such assessment. */
export const getAssessment = async (deps: AssessmentDeps, traceId: string, assessmentId: string): Promise<Assessment> => {
  const [info, assessment] = await Promise.all([deps.traces.getInfo(traceId), deps.assessments.get(traceId, assessmentId)]);
  if (!info) throw traceNotFound(traceId);
  if (!assessment) throw assessmentNotFound(traceId, assessmentId);
  return assessment;
};

/**
 * @throws MlflowError RESOURCE_DOES_NOT_EXIST when missing; INVALID_PARAMETER_VALUE for a value of the other kind.
 */
export const updateAssessment = async (
  deps: AssessmentDeps,
  traceId: string,
  assessmentId: string,
  changes: AssessmentChanges,
): Promise<Assessment> => {
  const experimentId = await experimentOf(deps, traceId);
  const existing = await getAssessment(deps, traceId, assessmentId);
  const value = changes.value;
  if (value && value.kind !== existing.kind) {
    throw invalidParameter(
      existing.kind === 'feedback'
        ? 'Cannot update expectation value on a Feedback assessment.'
        : 'Cannot update feedback value on an Expectation assessment.',
    );
  }
  const { value: _old, feedbackError: _error, serializedValue: _serialized, ...kept } = existing;
  const updated: Assessment = {
    ...(value ? kept : existing),
    ...(value ? valueFields(value) : {}),
    ...(changes.name ? { name: changes.name } : {}),
    ...(changes.rationale !== undefined ? { rationale: changes.rationale } : {}),
    metadata: { ...existing.metadata, ...(changes.metadata ?? {}) },
    lastUpdateTimeMs: deps.now(),
  };
  await deps.assessments.replace(updated, experimentId);
  return updated;
};

/** Deleting what is not there changes nothing and is no error, as in MLflow's store. */
export const deleteAssessment = async (deps: Pick<AssessmentDeps, 'assessments'>, traceId: string, assessmentId: string): Promise<void> => {
  await deps.assessments.delete(traceId, assessmentId);
};

/**
 * The assessments of each trace, for the trace reads and searches that answer TraceInfoV3 (its `assessments`
 * field): one query per trace, read in parallel.
 */
export const assessmentsOfTraces = (
  deps: { readonly assessments: Pick<AssessmentStore, 'listForTraces'> },
  traceIds: readonly string[],
): Promise<Map<string, Assessment[]>> => deps.assessments.listForTraces(traceIds);
