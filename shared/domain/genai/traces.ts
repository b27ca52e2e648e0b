import { randomUUID } from 'node:crypto';
import { invalidParameter, notFound, runNotFound, traceNotFound } from '../../errors/index.js';
import { appendToUri } from '../artifacts/artifact-locations.js';
import type { Experiment } from '../tracking/entities.js';
import type { TrackingDeps } from '../dependencies.js';
import { requireActiveExperiment } from '../tracking/experiments.js';
import { SPAN_ATTRIBUTES, TRACE_METADATA, TRACE_TAGS, type Span, type TraceInfo, type TraceState } from './entities.js';
import type { TraceRepository } from './ports.js';

/**
 * MLflow 3's trace use cases as its SQL store runs them (mlflow/store/tracking/sqlalchemy_store.py): start (v3 and
 * the deprecated v2 start/end), spans logged through OTLP (log_spans), reads, tags, deletion and run links.
 */

export type TraceDeps = Pick<TrackingDeps, 'experiments' | 'runs'> & { readonly traces: TraceRepository };

/** MLflow's TRACE_REQUEST_RESPONSE_PREVIEW_MAX_LENGTH (OSS): previews the server makes from spans stop here. */
const PREVIEW_CHARS = 1000;
/** MLflow's trace tag limits (MAX_TRACE_TAG_KEY_LENGTH, MAX_TRACE_TAG_VAL_LENGTH): keys refused, values cut. */
const TAG_KEY_CHARS = 250;
const TAG_VALUE_CHARS = 8000;
/** MLflow's cap on link-to-run. */
const MAX_LINKED_TRACES = 100;
/** Traces of one OTLP request written at once. */
const PARALLEL_TRACES = 8;


/** `<experiment artifact root>/traces/<trace id>/artifacts`: MLflow's mlflow.artifactLocation tag. */
export const traceArtifactLocation = (experiment: Experiment, traceId: string) =>
  appendToUri(experiment.artifactLocation, 'traces', traceId, 'artifacts');

export const requireTraceInfo = async (deps: Pick<TraceDeps, 'traces'>, traceId: string): Promise<TraceInfo> => {
  const info = await deps.traces.getInfo(traceId);
  if (!info) throw traceNotFound(traceId);
  return info;
};

/** StartTraceV3: the client's finished trace info, merged into what its spans stored if they came first. */
export const startTraceV3 = async (deps: TraceDeps, info: TraceInfo): Promise<TraceInfo> => {
  const experiment = await requireActiveExperiment(deps, info.experimentId);
  const tags = { ...info.tags, [TRACE_TAGS.artifactLocation]: traceArtifactLocation(experiment, info.traceId) };
  return deps.traces.putInfo({ ...info, tags }, 'client');
};

/** The deprecated v2 start: a new trace, IN_PROGRESS, with an id the server makes (32 hex digits, as MLflow's). */
export const startTraceV2 = async (
  deps: TraceDeps,
  start: { experimentId: string; timestampMs: number; metadata: Record<string, string>; tags: Record<string, string> },
): Promise<TraceInfo> => {
  const experiment = await requireActiveExperiment(deps, start.experimentId);
  const traceId = randomUUID().replaceAll('-', '');
  const info: TraceInfo = {
    traceId,
    experimentId: experiment.experimentId,
    requestTime: start.timestampMs,
    state: 'IN_PROGRESS',
    metadata: start.metadata,
    tags: { ...start.tags, [TRACE_TAGS.artifactLocation]: traceArtifactLocation(experiment, traceId) },
  };
  return deps.traces.putInfo(info, 'client');
};

export const endTraceV2 = (
  deps: TraceDeps,
  traceId: string,
  end: { timestampMs: number; state: TraceState; metadata: Record<string, string>; tags: Record<string, string> },
): Promise<TraceInfo> => deps.traces.endTrace(traceId, { endTimeMs: end.timestampMs, state: end.state, metadata: end.metadata, tags: end.tags });

const nanosToMs = (nanos: string) => Number(BigInt(nanos) / 1_000_000n);

const preview = (value: unknown): string | undefined => {
  if (value === undefined || value === null) return undefined;
  const text = typeof value === 'string' ? value : JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  return text.length <= PREVIEW_CHARS ? text : text.slice(0, PREVIEW_CHARS);
};

/**
 * The info a batch of one trace's spans implies (MLflow's log_spans): request time from the earliest start, the
 * duration to the latest end, the state from the root span (ERROR stays ERROR, OK and UNSET read as OK) or
 * IN_PROGRESS while the root has not come; the trace's name and previews from the root span.
 */
export const traceInfoFromSpans = (experiment: Experiment, traceId: string, spans: readonly Span[]): TraceInfo => {
  const starts = spans.map((span) => nanosToMs(span.startTimeUnixNano));
  const ends = spans.flatMap((span) => (span.endTimeUnixNano ? [nanosToMs(span.endTimeUnixNano)] : []));
  const requestTime = Math.min(...starts);
  const root = spans.find((span) => !span.parentSpanId);
  const state: TraceState = root ? (root.status.code === 'ERROR' ? 'ERROR' : 'OK') : 'IN_PROGRESS';
  const requestPreview = root && preview(root.attributes[SPAN_ATTRIBUTES.inputs]);
  const responsePreview = root && preview(root.attributes[SPAN_ATTRIBUTES.outputs]);
  return {
    traceId,
    experimentId: experiment.experimentId,
    requestTime,
    ...(ends.length > 0 ? { executionDuration: Math.max(0, Math.max(...ends) - requestTime) } : {}),
    state,
    ...(requestPreview !== undefined ? { requestPreview } : {}),
    ...(responsePreview !== undefined ? { responsePreview } : {}),
    metadata: { [TRACE_METADATA.schemaVersion]: '3' },
    tags: {
      [TRACE_TAGS.spansLocation]: 'TRACKING_STORE',
      [TRACE_TAGS.artifactLocation]: traceArtifactLocation(experiment, traceId),
      ...(root ? { [TRACE_TAGS.traceName]: root.name } : {}),
    },
  };
};

/**
 * Spans sent through OTLP (`POST /v1/traces`) into the experiment: grouped by trace, each trace's spans stored
 * and its info created or widened. Answers how many spans were stored.
 */
export const logSpans = async (deps: TraceDeps, experimentId: string, spans: readonly Span[]): Promise<number> => {
  const experiment = await requireActiveExperiment(deps, experimentId);
  const byTrace = new Map<string, Span[]>();
  for (const span of spans) byTrace.set(span.traceId, [...(byTrace.get(span.traceId) ?? []), span]);
  const traces = [...byTrace.entries()];
  // A trace of another experiment refuses the whole request before anything is written (one BatchGetItem).
  const foreign = (await deps.traces.getInfos([...byTrace.keys()])).find((info) => info.experimentId !== experiment.experimentId);
  if (foreign) {
    throw invalidParameter(`Trace ${foreign.traceId} belongs to experiment ${foreign.experimentId}, not ${experiment.experimentId}.`);
  }
  let next = 0;
  const worker = async () => {
    while (next < traces.length) {
      const entry = traces[next++];
      if (!entry) continue;
      const [traceId, traceSpans] = entry;
      await deps.traces.putInfo(traceInfoFromSpans(experiment, traceId, traceSpans), 'spans');
    }
  };
  // The infos first: they claim each trace for this experiment (a trace of another one is refused before any span
  // lands). Then every trace's spans at once, packed into as few writes as fit.
  await Promise.all(Array.from({ length: Math.min(PARALLEL_TRACES, traces.length) }, worker));
  await deps.traces.putSpansOfTraces(experiment.experimentId, spans);
  return spans.length;
};

export const setTraceTag = async (deps: Pick<TraceDeps, 'traces'>, traceId: string, key: string, value: string): Promise<void> => {
  if (key.length > TAG_KEY_CHARS) {
    throw invalidParameter(`Trace tag key '${key.slice(0, 50)}…' is longer than ${TAG_KEY_CHARS} characters.`);
  }
  if (!(await deps.traces.setTag(traceId, key, value.slice(0, TAG_VALUE_CHARS)))) throw traceNotFound(traceId);
};

export const deleteTraceTag = async (deps: Pick<TraceDeps, 'traces'>, traceId: string, key: string): Promise<void> => {
  const result = await deps.traces.deleteTag(traceId, key);
  if (result === 'missing-trace') throw traceNotFound(traceId);
  if (result === 'missing-tag') throw notFound(`No trace tag with key '${key}' for trace with request_id '${traceId}'`);
};

/** delete-traces (v2 and v3): by ids, or by age; the combinations MLflow refuses are refused with its words. */
export const deleteTraces = async (
  deps: TraceDeps,
  request: { experimentId: string; maxTimestampMillis?: number; maxTraces?: number; traceIds?: string[] },
): Promise<number> => {
  const traceIds = request.traceIds ?? [];
  const { maxTimestampMillis, maxTraces } = request;
  if (maxTimestampMillis === undefined && traceIds.length === 0) {
    throw invalidParameter('Either `max_timestamp_millis` or `request_ids` must be specified.');
  }
  if (maxTimestampMillis !== undefined && traceIds.length > 0) {
    throw invalidParameter('Only one of `max_timestamp_millis` and `request_ids` can be specified.');
  }
  if (traceIds.length > 0 && maxTraces !== undefined) {
    throw invalidParameter('`max_traces` can\'t be specified if `request_ids` is specified.');
  }
  if (maxTraces !== undefined && maxTraces <= 0) {
    throw invalidParameter(`\`max_traces\` must be a positive integer, received ${maxTraces}.`);
  }
  return deps.traces.deleteTraces(
    request.experimentId,
    maxTimestampMillis !== undefined ? { maxTimestampMillis, ...(maxTraces !== undefined ? { maxTraces } : {}) } : { traceIds },
  );
};

export const linkTracesToRun = async (deps: TraceDeps, traceIds: string[], runId: string): Promise<void> => {
  if (traceIds.length > MAX_LINKED_TRACES) {
    throw invalidParameter(`Cannot link more than ${MAX_LINKED_TRACES} traces to a run in a single request. Provided ${traceIds.length} traces.`);
  }
  if (!(await deps.runs.getInfo(runId))) throw runNotFound(runId);
  await deps.traces.linkToRun(traceIds, runId);
};
