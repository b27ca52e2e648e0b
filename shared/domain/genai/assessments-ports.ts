import type { Assessment, AssessmentKind } from './assessments.js';

/**
 * Where assessments are kept: with their trace (its partition, so deleting a trace takes them along) and in an
 * index per experiment by kind and name, which search's `feedback.<name>` filters read without touching every
 * trace. shared/data/assessments implements it on DynamoDB.
 */
export interface AssessmentStore {
  /**
   * Stores a new assessment of a trace of `experimentId`. When it overrides another, that one is marked not valid
   * in the same write; RESOURCE_DOES_NOT_EXIST (and nothing written) when the overridden one is not the trace's.
   */
  create(assessment: Assessment, experimentId: string): Promise<void>;
  get(traceId: string, assessmentId: string): Promise<Assessment | undefined>;
  /** Replaces a stored assessment (same ids); RESOURCE_DOES_NOT_EXIST when it is gone. */
  replace(assessment: Assessment, experimentId: string): Promise<void>;
  /**
   * Deletes it, making the assessment it overrode valid again; answers false when there was none (a repeated
   * delete changes nothing).
   */
  delete(traceId: string, assessmentId: string): Promise<boolean>;
  /** The trace's assessments, oldest first. */
  listForTrace(traceId: string): Promise<Assessment[]>;
  /** The assessments of each trace, oldest first; traces without any are absent from the map. */
  listForTraces(traceIds: readonly string[]): Promise<Map<string, Assessment[]>>;
  /** Every assessment of one kind and name in the experiment's traces (valid or not). */
  listByName(experimentId: string, kind: AssessmentKind, name: string): Promise<Assessment[]>;
}
