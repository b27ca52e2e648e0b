import { ApiError, apiFetch } from '../api/client';
import type { RawSpan, Trace, TraceInfo } from './types';

const V3 = '/api/3.0/mlflow';

export interface TracesQuery {
  experimentId: string;
  filter?: string;
  orderBy?: string[];
  pageToken?: string;
  maxResults?: number;
}

export interface TracesPage {
  traces: TraceInfo[];
  nextPageToken: string | undefined;
}

/** SearchTracesV3 over one experiment. */
export const searchTraces = async (query: TracesQuery, signal?: AbortSignal): Promise<TracesPage> => {
  const page = await apiFetch<{ traces?: TraceInfo[]; trace_infos?: TraceInfo[]; next_page_token?: string }>(`${V3}/traces/search`, {
    method: 'POST',
    signal,
    body: {
      locations: [{ type: 'MLFLOW_EXPERIMENT', mlflow_experiment: { experiment_id: query.experimentId } }],
      filter: query.filter || undefined,
      order_by: query.orderBy?.length ? query.orderBy : undefined,
      max_results: query.maxResults ?? 100,
      page_token: query.pageToken || undefined,
    },
  });
  return { traces: page.traces ?? page.trace_infos ?? [], nextPageToken: page.next_page_token || undefined };
};

/** The server has no such route (as opposed to no such trace, which is RESOURCE_DOES_NOT_EXIST). */
const missingRoute = (error: unknown) =>
  error instanceof ApiError && ((error.status === 404 && error.errorCode === 'ENDPOINT_NOT_FOUND') || error.status === 405);

/** MLflow 3.x before traces/get: the info alone, the spans in the trace's `traces.json` artifact. */
const getTraceFromArtifact = async (traceId: string, signal?: AbortSignal): Promise<Trace> => {
  const [info, data] = await Promise.all([
    apiFetch<{ trace?: { trace_info?: TraceInfo }; trace_info?: TraceInfo }>(`${V3}/traces/${encodeURIComponent(traceId)}`, { signal }),
    apiFetch<{ spans?: RawSpan[] }>('/ajax-api/2.0/mlflow/get-trace-artifact', { query: { request_id: traceId }, signal }),
  ]);
  const traceInfo = info.trace?.trace_info ?? info.trace_info;
  if (!traceInfo) throw new Error(`The server sent no trace info for ${traceId}.`);
  return { info: traceInfo, spans: data.spans ?? [] };
};

/** A trace with its spans (GetTrace); falls back to info plus artifact where the server lacks traces/get. */
export const getTrace = async (traceId: string, signal?: AbortSignal): Promise<Trace> => {
  try {
    const answer = await apiFetch<{ trace?: { trace_info?: TraceInfo; spans?: RawSpan[] } }>(`${V3}/traces/get`, {
      query: { trace_id: traceId, allow_partial: 'true' },
      signal,
    });
    const info = answer.trace?.trace_info;
    if (!info) throw new Error(`The server sent no trace info for ${traceId}.`);
    return { info, spans: answer.trace?.spans ?? [] };
  } catch (error) {
    if (missingRoute(error)) return getTraceFromArtifact(traceId, signal);
    throw error;
  }
};
