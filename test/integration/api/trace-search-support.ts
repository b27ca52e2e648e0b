/** Traces made as MLflow 3's client makes them (StartTraceV3), for the trace search and assessment tests. */
import type { TestApi } from '../../support/test-api.js';

export const V2 = '/api/2.0/mlflow';
export const V3 = '/api/3.0/mlflow';

export interface TraceSpec {
  id: string;
  experimentId: string;
  /** Request time, ms. */
  time: number;
  /** Execution duration, ms. */
  duration?: number;
  state?: string;
  tags?: Record<string, string>;
  metadata?: Record<string, string>;
  clientRequestId?: string;
}

/** RFC 3339 as MLflow's client sends it. */
const timestamp = (ms: number) => new Date(ms).toISOString();

/** StartTraceV3 as rest_store.start_trace sends it; throws unless the server took it. */
export const startTrace = async (api: TestApi, spec: TraceSpec): Promise<void> => {
  const response = await api.call('POST', `${V3}/traces`, {
    trace: {
      trace_info: {
        trace_id: spec.id,
        ...(spec.clientRequestId ? { client_request_id: spec.clientRequestId } : {}),
        trace_location: { type: 'MLFLOW_EXPERIMENT', mlflow_experiment: { experiment_id: spec.experimentId } },
        request_time: timestamp(spec.time),
        ...(spec.duration !== undefined ? { execution_duration: `${spec.duration / 1000}s` } : {}),
        state: spec.state ?? 'OK',
        trace_metadata: spec.metadata ?? {},
        tags: spec.tags ?? {},
      },
    },
  });
  if (response.status !== 200) throw new Error(`StartTraceV3 of ${spec.id}: ${response.status} ${JSON.stringify(response.body)}`);
};

export const createExperiment = async (api: TestApi, name: string): Promise<string> =>
  (await api.call('POST', `${V2}/experiments/create`, { name })).body.experiment_id as string;

/** SearchTracesV3 over experiments; the answer's status and body. */
export const searchV3 = (api: TestApi, experimentIds: string[], extra: Record<string, unknown> = {}) =>
  api.call('POST', `${V3}/traces/search`, {
    locations: experimentIds.map((id) => ({ type: 'MLFLOW_EXPERIMENT', mlflow_experiment: { experiment_id: id } })),
    ...extra,
  });

export const idsOf = (body: { traces?: { trace_id: string }[] }): string[] => (body.traces ?? []).map((t) => t.trace_id);

/** A trace id as MLflow 3 clients make them. */
export const traceId = (n: number): string => `tr-${n.toString(16).padStart(32, '0')}`;
