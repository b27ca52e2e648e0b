import type { ArtifactStore } from '../artifacts/ports.js';
import type { Span, TraceInfo, TraceState } from './entities.js';

/**
 * What the trace rules need from the outside, in tracing's words. shared/data/traces implements them on
 * DynamoDB (trace info and spans in the trace's partition, the info also in gsi1 per experiment by request time).
 */

/** One page of an experiment's trace infos, in request-time order. */
export interface TraceInfoPage {
  infos: TraceInfo[];
  /** Where the next page starts; absent on the last page. Opaque, valid only for the same query. */
  cursor?: string;
}

/** Which of an experiment's traces to list, answered from the per-experiment index without a scan. */
export interface TraceListQuery {
  /** Newest first ('desc', the default) or oldest first. Ties on request time go by trace id. */
  order?: 'asc' | 'desc';
  /** Only traces whose request time (ms) is at least `fromTime` / at most `toTime` (the index's key range). */
  fromTime?: number;
  toTime?: number;
  /** Only traces in these states (filtered on the index items: a page may hold fewer than `limit`). */
  states?: readonly TraceState[];
  /**
   * Only infos meeting every condition, checked by DynamoDB (a filter expression), so the others never leave it:
   * trace search passes down what it can of a filter, and checks every clause again itself.
   */
  where?: readonly TraceListCondition[];
  /** At most this many infos in the page (1..1000). */
  limit: number;
  /** The previous page's cursor. */
  cursor?: string;
}

/**
 * A condition on a stored trace info that DynamoDB can check (TraceListQuery.where); case-sensitive, as LIKE.
 * `contains` on `linkedRunIds` is list membership; `anyOf` holds when one of its conditions does.
 */
export type TraceListCondition =
  | {
      /** A top-level field of the info, or an entry of its tags or metadata. */
      readonly path: readonly ['tags' | 'metadata', string] | readonly ['executionDuration' | 'clientRequestId' | 'traceId' | 'linkedRunIds'];
      readonly op: '=' | '<' | '<=' | '>' | '>=' | 'begins_with' | 'contains';
      readonly value: string | number;
    }
  | { readonly anyOf: readonly TraceListCondition[] };

/**
 * How a new trace info meets one already stored under the same id: a span export may store the info first
 * and StartTraceV3 (or the v2 end) arrive later, or the other way round; a retried request stores it again.
 */
export type TraceInfoMerge =
  /** StartTraceV3 / v2 start: the client's info wins, tags and metadata join the stored ones. */
  | 'client'
  /** OTLP spans: the stored info wins where set; the spans' times widen the request time and duration. */
  | 'spans';

/** What a delete-traces call names: ids, or an age (MLflow's max_timestamp_millis and max_traces). */
export type TraceDeletion =
  | { traceIds: readonly string[] }
  | {
      /** Delete traces whose request time is at most this (ms). */
      maxTimestampMillis: number;
      /** At most this many, oldest first; all matching when absent. */
      maxTraces?: number;
    };

export interface TraceRepository {
  /**
   * Stores the trace info, or merges it into the stored one as `merge` says; answers the stored info. The info's
   * experiment never changes: a merge naming another experiment is INVALID_PARAMETER_VALUE and changes nothing.
   */
  putInfo(info: TraceInfo, merge: TraceInfoMerge): Promise<TraceInfo>;
  /**
   * The v2 end of a trace (MLflow's deprecated_end_trace_v2): the duration runs from the stored request time to
   * `endTimeMs`, the state is set, metadata and tags join the stored ones. RESOURCE_DOES_NOT_EXIST when missing.
   */
  endTrace(
    traceId: string,
    end: { endTimeMs: number; state: TraceState; metadata: Record<string, string>; tags: Record<string, string> },
  ): Promise<TraceInfo>;
  getInfo(traceId: string): Promise<TraceInfo | undefined>;
  /** The infos of those ids that exist, in the order asked (one BatchGetItem per 100 ids). */
  getInfos(traceIds: readonly string[]): Promise<TraceInfo[]>;
  /**
   * Stores spans of one trace; a span already stored under its span id is replaced (a retried export stores
   * nothing twice). Spans over the item size limit go to the artifact store, the item keeps a pointer.
   */
  putSpans(traceId: string, experimentId: string, spans: readonly Span[]): Promise<void>;
  /** putSpans for the spans of several traces of one experiment at once (an OTLP export), in as few writes as fit. */
  putSpansOfTraces(experimentId: string, spans: readonly Span[]): Promise<void>;
  /** Every stored span of the trace, in start-time order. */
  getSpans(traceId: string): Promise<Span[]>;
  /** False when the trace is missing. */
  setTag(traceId: string, key: string, value: string): Promise<boolean>;
  /** 'missing-trace' or 'missing-tag' when there was nothing to delete. */
  deleteTag(traceId: string, key: string): Promise<'deleted' | 'missing-trace' | 'missing-tag'>;
  /** One page of the experiment's trace infos (search reads these; shared/domain/genai/trace-search). */
  listByExperiment(experimentId: string, query: TraceListQuery): Promise<TraceInfoPage>;
  /**
   * Deletes the traces of one experiment that `which` names, with every item of their partitions (spans,
   * assessments, ...) and their span payloads in the artifact store; answers how many traces were deleted.
   * Ids of another experiment's traces, or of no trace, are skipped.
   */
  deleteTraces(experimentId: string, which: TraceDeletion): Promise<number>;
  /**
   * Links the traces to a run (MLflow's link-to-run): the run joins each info's `linkedRunIds`; the
   * `mlflow.sourceRun` metadata stays as it is. Missing traces are skipped.
   */
  linkToRun(traceIds: readonly string[], runId: string): Promise<void>;
}

/**
 * Every trace info of an experiment, for the searches that must look at all of them (a filter, an order other
 * than by time): held in memory and kept exact (shared/data/traces/search-index.ts).
 */
export interface TraceSearchIndex {
  /** Every info of the experiment, including every write acknowledged before the call. Read-only: shared. */
  infosOf(experimentId: string): Promise<readonly TraceInfo[]>;
}

/**
 * Where span payloads too large for an item go: the artifact store, once the API is built with one
 * (functions/api/create-api.ts fills the slot; the store is made after the repositories it checks uploads with).
 */
export interface SpanPayloadSlot {
  store?: ArtifactStore;
}
