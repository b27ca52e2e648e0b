/** Builders shared by the trace search tests: MLflow's `store_with_traces` fixture and span/assessment makers. */
import type { Assessment } from '../../../../../shared/domain/genai/assessments.js';
import type { Span, SpanStatusCode, TraceInfo, TraceState } from '../../../../../shared/domain/genai/entities.js';
import {
  parseTraceFilter,
  parseTraceOrderBy,
  traceMatches,
  type TraceSearchView,
} from '../../../../../shared/domain/genai/trace-search/index.js';
export { errorOf } from '../../../../support/error-of.js';

export interface TraceSpec {
  id: string;
  experimentId?: string;
  time?: number;
  duration?: number;
  state?: TraceState;
  tags?: Record<string, string>;
  metadata?: Record<string, string>;
  clientRequestId?: string;
  linkedRunIds?: string[];
}

export const aTrace = (spec: TraceSpec): TraceInfo => ({
  traceId: spec.id,
  experimentId: spec.experimentId ?? '1',
  requestTime: spec.time ?? 0,
  ...(spec.duration === undefined ? {} : { executionDuration: spec.duration }),
  state: spec.state ?? 'OK',
  ...(spec.clientRequestId === undefined ? {} : { clientRequestId: spec.clientRequestId }),
  metadata: spec.metadata ?? {},
  tags: spec.tags ?? {},
  ...(spec.linkedRunIds ? { linkedRunIds: spec.linkedRunIds } : {}),
});

/** MLflow's `store_with_traces` (tests/store/tracking/sqlalchemy_store/test_sqlalchemy_store_traces.py). */
export const mlflowFixture = (): TraceInfo[] => [
  aTrace({ id: 'tr-0', experimentId: '2', time: 0, duration: 6, state: 'OK', tags: { 'mlflow.traceName': 'ddd' }, metadata: { 'mlflow.sourceRun': 'run0' } }),
  aTrace({
    id: 'tr-1',
    experimentId: '2',
    time: 1,
    duration: 2,
    state: 'ERROR',
    tags: { 'mlflow.traceName': 'aaa', fruit: 'apple', color: 'red' },
    metadata: { 'mlflow.sourceRun': 'run1' },
  }),
  aTrace({
    id: 'tr-2',
    experimentId: '1',
    time: 2,
    duration: 4,
    state: 'STATE_UNSPECIFIED',
    tags: { 'mlflow.traceName': 'bbb', fruit: 'apple', color: 'green' },
  }),
  aTrace({ id: 'tr-3', experimentId: '1', time: 3, duration: 10, state: 'OK', tags: { 'mlflow.traceName': 'ccc', fruit: 'orange' } }),
  aTrace({ id: 'tr-4', experimentId: '1', time: 4, duration: 10, state: 'OK', tags: { 'mlflow.traceName': 'ddd', color: 'blue' } }),
];

export interface SpanSpec {
  traceId: string;
  name: string;
  spanId?: string;
  type?: string;
  status?: SpanStatusCode;
  /** Values as MLflow's client stores them: JSON text. */
  attributes?: Record<string, unknown>;
}

export const aSpan = (spec: SpanSpec): Span => ({
  traceId: spec.traceId,
  otelTraceId: '0'.repeat(32),
  spanId: spec.spanId ?? '1'.repeat(16),
  name: spec.name,
  startTimeUnixNano: '1000000000',
  endTimeUnixNano: '2000000000',
  status: { code: spec.status ?? 'UNSET', message: '' },
  attributes: {
    'mlflow.traceRequestId': JSON.stringify(spec.traceId),
    ...(spec.type ? { 'mlflow.spanType': JSON.stringify(spec.type) } : {}),
    ...Object.fromEntries(Object.entries(spec.attributes ?? {}).map(([k, v]) => [k, JSON.stringify(v)])),
  },
  events: [],
});

export const anAssessment = (
  traceId: string,
  kind: 'feedback' | 'expectation',
  name: string,
  value: Assessment['value'],
  extra: Partial<Assessment> = {},
): Assessment => ({
  assessmentId: `a-${traceId}-${name}-${String(value)}`,
  traceId,
  name,
  kind,
  ...(value === undefined ? {} : { value }),
  createTimeMs: 0,
  lastUpdateTimeMs: 0,
  metadata: {},
  valid: true,
  source: { sourceType: 'HUMAN', sourceId: 'user@example.com' },
  ...extra,
});

/** Ids of the views the filter keeps, ordered as search orders by default (or by `orderBy`). */
export const search = (views: readonly TraceSearchView[], filter?: string, orderBy?: string[]): string[] => {
  const parsed = parseTraceFilter(filter);
  const order = parseTraceOrderBy(orderBy);
  return views
    .filter((view) => traceMatches(view, parsed))
    .map((view) => view.info)
    .sort((a, b) => order.compare(order.valuesOf(a), order.valuesOf(b)))
    .map((info) => info.traceId);
};

export const viewsOf = (infos: readonly TraceInfo[]): TraceSearchView[] => infos.map((info) => ({ info }));
