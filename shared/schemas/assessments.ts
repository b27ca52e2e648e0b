import { z } from 'zod';
import { ASSESSMENT_SOURCE_TYPES, type JsonValue } from '../domain/genai/assessments.js';
import { recordOf } from '../domain/kernel/own-records.js';
import { Bool, limitedText, protoEnum, requiredKey } from './common.js';

/**
 * MLflow 3's assessment RPCs (service.proto CreateAssessment, GetAssessmentRequest, UpdateAssessment,
 * DeleteAssessment; assessments.proto). Path fields (`trace_id`, `assessment_id`) join the body's.
 */

/** Any JSON value: a google.protobuf.Value. */
const JsonValueSchema = z.custom<JsonValue>(() => true);

/** A map<string, string>, read into a null-prototype record (any key, `__proto__` included). */
const StringMap = z
  .custom<Record<string, string>>(
    (value) =>
      typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((v) => typeof v === 'string'),
    { message: 'expected a map of strings' },
  )
  .transform((map) => recordOf(Object.entries(map)));

const ErrorShape = z.object({
  error_code: z.string().optional(),
  error_message: limitedText('Assessment error message', 100_000).optional(),
  stack_trace: limitedText('Assessment stack trace', 100_000).optional(),
});

/** A Timestamp the client may send; the server sets its own times, so it is only checked to be a string or object. */
const Timestamp = z.union([z.string(), z.object({}).loose()]).optional();

export const AssessmentWire = z.object({
  assessment_id: z.string().optional(),
  assessment_name: limitedText('Assessment name', 1000).optional(),
  trace_id: z.string().optional(),
  span_id: z.string().optional(),
  source: z.object({ source_type: protoEnum(ASSESSMENT_SOURCE_TYPES, 0).optional(), source_id: z.string().optional() }).optional(),
  create_time: Timestamp,
  last_update_time: Timestamp,
  feedback: z.object({ value: JsonValueSchema.optional(), error: ErrorShape.optional() }).optional(),
  expectation: z
    .object({
      value: JsonValueSchema.optional(),
      serialized_value: z.object({ serialization_format: z.string().optional(), value: z.string().optional() }).optional(),
    })
    .optional(),
  rationale: limitedText('Assessment rationale', 100_000).optional(),
  error: ErrorShape.optional(),
  metadata: StringMap.optional(),
  overrides: z.string().optional(),
  valid: Bool.optional(),
});

const TracePath = { trace_id: requiredKey() };
const AssessmentPath = { ...TracePath, assessment_id: requiredKey() };

export const CreateAssessmentRequest = z.object({ ...TracePath, assessment: AssessmentWire });
export const AssessmentIdRequest = z.object(AssessmentPath);

/**
 * A FieldMask: proto JSON's comma-separated string of camelCase paths (what MLflow's client sends), or the
 * `{"paths": [...]}` object form; paths are read in snake_case.
 */
const FieldMask = z
  .union([z.string(), z.object({ paths: z.array(z.string()) })])
  .transform((mask) => (typeof mask === 'string' ? mask.split(',') : mask.paths).map((p) => p.trim()).filter((p) => p !== '').map(snakeCase));

const snakeCase = (path: string) => path.replace(/[A-Z]/gu, (ch) => `_${ch.toLowerCase()}`);

export const UpdateAssessmentRequest = z.object({ ...AssessmentPath, assessment: AssessmentWire, update_mask: FieldMask });
