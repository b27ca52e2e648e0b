import { z } from 'zod';
import { TRACE_STATES } from '../domain/genai/entities.js';
import { traceNotFound } from '../errors/index.js';
import { experimentNotFound } from '../errors/index.js';
import { Bool, ExperimentId, Int32, Int64, KeyValue, protoEnum, repeated, RequiredString, requiredKey } from './common.js';

/**
 * MLflow 3's trace RPCs (service.proto: StartTraceV3, StartTrace, EndTrace, GetTraceInfo(V3), GetTrace,
 * BatchGetTraces, Set/DeleteTraceTag(V3), DeleteTraces(V3), LinkTracesToRun) as their handlers read them.
 */

/** A trace to look up: an id too long for a key is a trace that does not exist. */
const TraceRef = requiredKey(traceNotFound);

/**
 * A trace id a client chooses (StartTraceV3): MLflow's are `tr-` and 32 hex digits; any id of letters, digits, `_`,
 * `.` and `-` is kept, as it names the trace's key and its folder in the artifact store.
 */
const NewTraceId = RequiredString.regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/, 'a trace id of letters, digits, _ . and -');

const StringMap = z.record(z.string(), z.string());

export const TraceInfoV3Wire = z.object({
  trace_id: NewTraceId,
  client_request_id: z.string().optional(),
  trace_location: z.object({
    type: z.string().optional(),
    mlflow_experiment: z.object({ experiment_id: ExperimentId.pipe(requiredKey(experimentNotFound)) }).optional(),
  }),
  request_preview: z.string().optional(),
  response_preview: z.string().optional(),
  request_time: z.string(),
  execution_duration: z.string().optional(),
  state: protoEnum(TRACE_STATES, 0).optional(),
  trace_metadata: StringMap.optional(),
  tags: StringMap.optional(),
  assessments: z.array(z.unknown()).optional(),
});

export const StartTraceV3Request = z.object({ trace: z.object({ trace_info: TraceInfoV3Wire }) });

const TRACE_STATUSES = ['TRACE_STATUS_UNSPECIFIED', 'OK', 'ERROR', 'IN_PROGRESS'] as const;

export const StartTraceV2Request = z.object({
  experiment_id: ExperimentId.pipe(requiredKey(experimentNotFound)),
  timestamp_ms: Int64.optional(),
  request_metadata: repeated(KeyValue).optional(),
  tags: repeated(KeyValue).optional(),
});

export const EndTraceV2Request = z.object({
  request_id: TraceRef,
  timestamp_ms: Int64.optional(),
  status: protoEnum(TRACE_STATUSES, 0).optional(),
  request_metadata: repeated(KeyValue).optional(),
  tags: repeated(KeyValue).optional(),
});

export const RequestIdPath = z.object({ request_id: TraceRef });
export const TraceIdPath = z.object({ trace_id: TraceRef });

export const GetTraceRequest = z.object({ trace_id: TraceRef, allow_partial: Bool.optional() });
/** At most this many ids per batchGet: every one is a partition read. */
export const MAX_BATCH_GET_TRACES = 100;
export const BatchGetTracesRequest = z.object({ trace_ids: repeated(RequiredString).pipe(z.array(z.string()).max(MAX_BATCH_GET_TRACES)) });

export const SetTraceTagV2Request = z.object({ request_id: TraceRef, key: RequiredString, value: z.string().optional() });
export const SetTraceTagV3Request = z.object({ trace_id: TraceRef, key: RequiredString, value: z.string().optional() });
export const DeleteTraceTagV2Request = z.object({ request_id: TraceRef, key: RequiredString });
export const DeleteTraceTagV3Request = z.object({ trace_id: TraceRef, key: RequiredString });

export const DeleteTracesRequest = z.object({
  experiment_id: ExperimentId.pipe(RequiredString),
  max_timestamp_millis: Int64.optional(),
  max_traces: Int32.optional(),
  request_ids: repeated(z.string()).optional(),
});

export const LinkTracesToRunRequest = z.object({ trace_ids: repeated(RequiredString), run_id: RequiredString });

export const GetTraceArtifactRequest = z.object({ request_id: TraceRef });
