import { TRACE_TAGS, type TraceInfo } from './entities.js';
import type { TraceInfoMerge } from './ports.js';

/**
 * How a trace info meets the one already stored under its id (ports.ts TraceInfoMerge). A span export may store
 * the info first (built from the spans) and StartTraceV3 arrive after it, or the other way round, and either may
 * be sent twice: merging twice gives what merging once gives.
 */
export const mergeTraceInfo = (stored: TraceInfo, incoming: TraceInfo, merge: TraceInfoMerge): TraceInfo =>
  merge === 'client' ? mergeClient(stored, incoming) : mergeSpans(stored, incoming);

const endOf = (info: TraceInfo) => info.requestTime + (info.executionDuration ?? 0);

/** The client's info is the trace as it finished: its fields win, tags and metadata join the stored ones. */
const mergeClient = (stored: TraceInfo, client: TraceInfo): TraceInfo => {
  const spansLocation = stored.tags[TRACE_TAGS.spansLocation];
  return {
    ...stored,
    requestTime: client.requestTime,
    ...(client.executionDuration !== undefined ? { executionDuration: client.executionDuration } : {}),
    state: client.state === 'STATE_UNSPECIFIED' ? stored.state : client.state,
    ...(client.clientRequestId !== undefined ? { clientRequestId: client.clientRequestId } : {}),
    ...(client.requestPreview !== undefined ? { requestPreview: client.requestPreview } : {}),
    ...(client.responsePreview !== undefined ? { responsePreview: client.responsePreview } : {}),
    metadata: { ...stored.metadata, ...client.metadata },
    // Spans already in the store stay where they are: the answer tells the client not to upload them again.
    tags: { ...stored.tags, ...client.tags, ...(spansLocation !== undefined ? { [TRACE_TAGS.spansLocation]: spansLocation } : {}) },
  };
};

/**
 * More spans of a stored trace: they widen its time span; they settle its state only while it is not finished
 * (a root span arriving); what is stored otherwise stays.
 */
const mergeSpans = (stored: TraceInfo, fromSpans: TraceInfo): TraceInfo => {
  const requestTime = Math.min(stored.requestTime, fromSpans.requestTime);
  const end = Math.max(endOf(stored), endOf(fromSpans));
  const open = stored.state === 'IN_PROGRESS' || stored.state === 'STATE_UNSPECIFIED';
  const hasDuration = stored.executionDuration !== undefined || fromSpans.executionDuration !== undefined;
  return {
    ...stored,
    requestTime,
    ...(hasDuration ? { executionDuration: end - requestTime } : {}),
    state: open && fromSpans.state !== 'IN_PROGRESS' ? fromSpans.state : stored.state,
    ...(stored.requestPreview === undefined && fromSpans.requestPreview !== undefined ? { requestPreview: fromSpans.requestPreview } : {}),
    ...(stored.responsePreview === undefined && fromSpans.responsePreview !== undefined ? { responsePreview: fromSpans.responsePreview } : {}),
    metadata: { ...fromSpans.metadata, ...stored.metadata },
    tags: { ...fromSpans.tags, ...stored.tags, [TRACE_TAGS.spansLocation]: fromSpans.tags[TRACE_TAGS.spansLocation] ?? 'TRACKING_STORE' },
  };
};
