/** Scoring a deployed model: reading MLmodel signatures and scoring payloads, and checking one against the other (pure, no I/O). */
export { parseMlModel, isTensorSchema, SCALAR_TYPES, COMPOSITE_TYPES } from './mlmodel.js';
export type {
  MlModel,
  ModelSignature,
  InputSchema,
  ColumnSpec,
  TensorSpec,
  ParamSpec,
  PropertySpec,
  ValueType,
  ValueTypeName,
  ScalarType,
  CompositeType,
  ParamTypeName,
} from './mlmodel.js';
export { parseScoringPayload, SCORING_FORMATS } from './payload.js';
export type { ScoringPayload, ScoringFormat } from './payload.js';
export { checkPayloadAgainstSignature } from './signature-check.js';
