import { z } from 'zod';
import { ASSESSMENT_SOURCE_TYPES, type Assessment, type JsonValue } from '../../domain/genai/assessments.js';
import { entityHeader, parseItem, stamp, StringMapSchema } from '../codec.js';
import type { Item } from '../dynamo-ops.js';
import { assessmentIndexKey, assessmentKey } from './keys.js';

const ENTITY = 'assessment';

const ErrorSchema = z.object({
  errorCode: z.string().optional(),
  errorMessage: z.string().optional(),
  stackTrace: z.string().optional(),
});

const AssessmentItemSchema = z.object({
  ...entityHeader(ENTITY),
  assessmentId: z.string(),
  traceId: z.string(),
  experimentId: z.string(),
  name: z.string(),
  kind: z.enum(['feedback', 'expectation']),
  spanId: z.string().optional(),
  source: z.object({ sourceType: z.enum(ASSESSMENT_SOURCE_TYPES), sourceId: z.string().optional() }).optional(),
  createTimeMs: z.number(),
  lastUpdateTimeMs: z.number(),
  /** The value as JSON text: DynamoDB numbers lose nothing, and NaN or infinities survive (encodeValue). */
  valueJson: z.string().optional(),
  feedbackError: ErrorSchema.optional(),
  serializedValue: z.object({ serializationFormat: z.string().optional(), value: z.string().optional() }).optional(),
  rationale: z.string().optional(),
  error: ErrorSchema.optional(),
  metadata: StringMapSchema,
  overrides: z.string().optional(),
  valid: z.boolean(),
});

const NON_FINITE = '$nonFinite';

const encodeValue = (value: JsonValue): string =>
  JSON.stringify(value, (_key, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? { [NON_FINITE]: String(v) } : v));

const decodeValue = (text: string): JsonValue =>
  JSON.parse(text, (_key, v: unknown) => {
    if (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 1 && NON_FINITE in v) {
      return Number((v as Record<string, string>)[NON_FINITE]);
    }
    return v;
  }) as JsonValue;

export const toAssessmentItem = (assessment: Assessment, experimentId: string): Item => {
  const { value, ...rest } = assessment;
  return {
    ...assessmentKey(assessment.traceId, assessment.assessmentId),
    ...assessmentIndexKey(experimentId, assessment.kind, assessment.name, assessment.traceId, assessment.assessmentId),
    ...stamp(ENTITY),
    ...rest,
    experimentId,
    ...(value === undefined ? {} : { valueJson: encodeValue(value) }),
  };
};

export const fromAssessmentItem = (item: Item): Assessment => {
  const { _et, _v, experimentId: _experimentId, valueJson, ...rest } = parseItem(AssessmentItemSchema, item);
  return { ...rest, ...(valueJson === undefined ? {} : { value: decodeValue(valueJson) }) } as Assessment;
};
