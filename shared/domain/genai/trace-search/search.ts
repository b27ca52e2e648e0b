/**
 * search_traces over the trace infos of some experiments (MLflow's SearchTracesV3 and the v2 list).
 *
 * Each experiment's infos are read from its time index (TraceRepository.listByExperiment) page by page. When the
 * order starts with the request time (the default, newest first), reading follows that order and stops as soon
 * as the page is full: the first page of 100 out of 100,000 traces costs a query or two. Other orders read every
 * info in the filter's time range and state. Request times named by `timestamp_ms` clauses, and states named by
 * `status =` / `status IN`, narrow what is read.
 *
 * Page tokens hold the sort values of the last trace answered, and are bound to the request's filter, order and
 * experiments (and the caller, when searches are filtered by permission): the next page starts strictly after
 * that trace, so traces that arrive meanwhile never shift a page or repeat a trace.
 */
import { invalidParameter } from '../../../errors/index.js';
import { decodePageToken, encodePageToken, type PageScope } from '../../kernel/page-token.js';
import { pageSizeOf, type PageSizeRule } from '../../kernel/pagination.js';
import type { Assessment, AssessmentKind } from '../assessments.js';
import type { AssessmentStore } from '../assessments-ports.js';
import type { TraceInfo, TraceState } from '../entities.js';
import type { TraceListQuery, TraceRepository } from '../ports.js';
import { parseTraceFilter, type TraceFilter } from './filter.js';
import { matchesStage } from './match.js';
import { parseTraceOrderBy, readPosition, type OrderValue, type TraceOrder } from './order.js';
import { mapConcurrently } from './concurrency.js';
import type { TraceSearchView } from './view.js';

export interface TraceSearchDeps {
  readonly traces: Pick<TraceRepository, 'listByExperiment' | 'getSpans'>;
  readonly assessments: Pick<AssessmentStore, 'listByName'>;
}

export interface TraceSearchRequest {
  readonly experimentIds: readonly string[];
  readonly filter?: string | undefined;
  readonly maxResults?: number | undefined;
  readonly orderBy?: readonly string[] | undefined;
  readonly pageToken?: string | undefined;
}

export interface TraceSearchPage {
  readonly traces: TraceInfo[];
  readonly nextPageToken?: string;
}

/** MLflow's handler bound (`_assert_less_than_or_equal(x, 500)`) and its store's default of 100. */
export const SEARCH_TRACES_PAGE: PageSizeRule = {
  default: 100,
  max: 500,
  overMax: 'refuse',
  message: (requested) =>
    `Invalid value ${requested} for parameter 'max_results' supplied. Hint: Value was of type 'int'. See the API docs for more information about request parameters.`,
};

/** Reads grow from a page's worth to DynamoDB's 1 MB page as a sparse filter keeps reading. */
const FIRST_READ = 50;
const MAX_READ = 1000;
/** Time ranges read at once when a search reads everything (orders other than by time). */
const SLICES = 8;
/** Spans are read for this many traces at once when a filter needs them. */
const SPAN_READS = 16;

/**
 * One page of the traces of `experimentIds` matching the filter, in order.
 *
 * @param viewer who is asking, when the caller's searches are filtered by permission (binds page tokens).
 * @throws MlflowError INVALID_PARAMETER_VALUE for a malformed filter, order_by, max_results or page token.
 */
export const searchTraces = async (
  deps: TraceSearchDeps,
  request: TraceSearchRequest,
  scopeKind: string,
  viewer?: string,
): Promise<TraceSearchPage> => {
  const filter = parseTraceFilter(request.filter);
  const order = parseTraceOrderBy(request.orderBy);
  const pageSize = pageSizeOf(request.maxResults, SEARCH_TRACES_PAGE);
  const scope: PageScope = {
    kind: scopeKind,
    request: { experimentIds: request.experimentIds, filter: request.filter ?? '', orderBy: request.orderBy ?? [] },
    viewer,
  };
  const after = decodePageToken(request.pageToken, scope, readPosition(order));
  const perExperiment = await Promise.all(
    [...new Set(request.experimentIds)].map((experimentId) =>
      collectMatches(deps, { experimentId, filter, order, pageSize, ...(after ? { after } : {}) }),
    ),
  );
  const matches = perExperiment.flatMap((c) => c.matches).sort((a, b) => order.compare(a.values, b.values));
  const page = matches.slice(0, pageSize);
  const last = page[page.length - 1];
  // A full page whose read stopped early may be the last: its token then leads to an empty page, as MLflow allows.
  const more = matches.length > pageSize || (page.length === pageSize && perExperiment.some((c) => !c.exhausted));
  return {
    traces: page.map((m) => m.info),
    ...(more && last ? { nextPageToken: encodePageToken(scope, last.values) } : {}),
  };
};

/** Every trace of one experiment that matches `filter` (the population of calculate-filter-correlation). */
export const allMatches = async (deps: TraceSearchDeps, experimentId: string, filter: TraceFilter): Promise<TraceInfo[]> => {
  const { matches } = await collectMatches(deps, { experimentId, filter, order: parseTraceOrderBy([]), pageSize: Infinity });
  return matches.map((m) => m.info);
};

interface Match {
  readonly info: TraceInfo;
  readonly values: OrderValue[];
}

interface Collect {
  readonly experimentId: string;
  readonly filter: TraceFilter;
  readonly order: TraceOrder;
  readonly pageSize: number;
  readonly after?: readonly OrderValue[];
}

/**
 * The experiment's matches after the page position: all of them, or, when reading in time order, at least its first
 * `pageSize` (every trace of the boundary millisecond included, since ties there go by id). `exhausted` when
 * nothing of the experiment was left unread.
 */
const collectMatches = async (deps: TraceSearchDeps, collect: Collect): Promise<{ matches: Match[]; exhausted: boolean }> => {
  const { experimentId, filter, order, pageSize, after } = collect;
  const assessments = await assessmentsByTrace(deps, experimentId, filter);
  const matches: Match[] = [];
  const query = listQuery(collect);
  if (query === undefined) return { matches, exhausted: true };
  const consume = async (infos: readonly TraceInfo[]) => {
    const fresh = after ? infos.filter((info) => order.compare(order.valuesOf(info), after) > 0) : infos;
    const kept = await keepMatching(deps, filter, fresh, assessments);
    matches.push(...kept.map((info) => ({ info, values: order.valuesOf(info) })));
  };
  if (!order.byTime) {
    await readInSlices(deps, experimentId, query, consume);
    return { matches, exhausted: true };
  }
  let limit = Math.min(MAX_READ, Number.isFinite(pageSize) ? pageSize + 1 : MAX_READ);
  for (;;) {
    const { infos, cursor } = await deps.traces.listByExperiment(experimentId, { ...query, limit });
    await consume(infos);
    if (cursor === undefined) return { matches, exhausted: true };
    const lastRead = infos[infos.length - 1];
    if (order.byTime && lastRead && isPageSettled(matches, pageSize, lastRead)) return { matches, exhausted: false };
    query.cursor = cursor;
    limit = Math.min(MAX_READ, Math.max(FIRST_READ, limit * 4));
  }
};

/**
 * Reads every info of the query's time range, cut into SLICES ranges of equal time read at once (DynamoDB serves
 * a query's pages one after another; ranges of one partition can be read side by side). The ends come from two
 * one-item queries without the filter, so that a rare filter does not make them scans.
 */
const readInSlices = async (
  deps: TraceSearchDeps,
  experimentId: string,
  query: TraceListQuery,
  consume: (infos: readonly TraceInfo[]) => Promise<void>,
): Promise<void> => {
  const range = { ...(query.fromTime !== undefined ? { fromTime: query.fromTime } : {}), ...(query.toTime !== undefined ? { toTime: query.toTime } : {}) };
  const [oldest, newest] = await Promise.all(
    (['asc', 'desc'] as const).map(async (order) => (await deps.traces.listByExperiment(experimentId, { ...range, order, limit: 1 })).infos[0]),
  );
  if (!oldest || !newest) return;
  const span = newest.requestTime - oldest.requestTime + 1;
  const count = Math.max(1, Math.min(SLICES, span));
  const edge = (k: number) => oldest.requestTime + Math.floor((k * span) / count);
  await Promise.all(
    Array.from({ length: count }, async (_, k) => {
      let cursor: string | undefined;
      do {
        const page = await deps.traces.listByExperiment(experimentId, {
          ...query,
          order: 'asc',
          fromTime: edge(k),
          toTime: edge(k + 1) - 1,
          limit: MAX_READ,
          ...(cursor ? { cursor } : {}),
        });
        await consume(page.infos);
        cursor = page.cursor;
      } while (cursor);
    }),
  );
};

/** The index query: the filter's time range and states, narrowed by the page position when reading by time. */
const listQuery = ({ filter, order, after }: Collect): TraceListQuery | undefined => {
  let { fromMs, toMs } = filter.timeRange;
  const position = after?.[0];
  if (order.byTime && typeof position === 'number') {
    if (order.byTime === 'descending') toMs = Math.min(toMs ?? Infinity, position);
    else fromMs = Math.max(fromMs ?? -Infinity, position);
  }
  if (fromMs !== undefined && toMs !== undefined && fromMs > toMs) return undefined;
  return {
    order: order.byTime === 'ascending' ? 'asc' : 'desc',
    ...(fromMs !== undefined ? { fromTime: fromMs } : {}),
    ...(toMs !== undefined ? { toTime: toMs } : {}),
    ...(filter.states ? { states: filter.states as TraceState[] } : {}),
    ...(filter.where.length > 0 ? { where: filter.where } : {}),
    limit: FIRST_READ,
  };
};

/**
 * Reading in time order, the page is settled once it is full and the last info read is past the request time of
 * its last match: anything read later is older (newer, ascending) and sorts after it.
 */
const isPageSettled = (matches: readonly Match[], pageSize: number, lastRead: TraceInfo): boolean => {
  const lastOfPage = matches[pageSize - 1];
  return lastOfPage !== undefined && lastRead.requestTime !== lastOfPage.info.requestTime;
};

/**
 * The infos that pass the filter, in their order: clauses on the info first, then assessments (from `assessments`,
 * read per experiment), then spans, read only for the traces still in.
 */
const keepMatching = async (
  deps: TraceSearchDeps,
  filter: TraceFilter,
  infos: readonly TraceInfo[],
  assessments: Map<string, Assessment[]> | undefined,
): Promise<TraceInfo[]> => {
  const views: TraceSearchView[] = [];
  for (const info of infos) {
    const view: TraceSearchView = assessments ? { info, assessments: assessments.get(info.traceId) ?? [] } : { info };
    if (matchesStage(view, filter, 'info') && matchesStage(view, filter, 'assessments')) views.push(view);
  }
  if (!filter.needsSpans) return views.map((view) => view.info);
  const kept = await mapConcurrently(views, SPAN_READS, async (view) => {
    const spans = await deps.traces.getSpans(view.info.traceId);
    return matchesStage({ ...view, spans }, filter, 'spans') ? view.info : undefined;
  });
  return kept.filter((info): info is TraceInfo => info !== undefined);
};

/** The infos (of one experiment) that pass `filter`, for counts over a population already read. */
export const filterInfos = async (
  deps: TraceSearchDeps,
  experimentId: string,
  infos: readonly TraceInfo[],
  filter: TraceFilter,
): Promise<TraceInfo[]> => keepMatching(deps, filter, infos, await assessmentsByTrace(deps, experimentId, filter));

/** The assessments the filter asks about, per trace, from the experiment's index by name (one query per name). */
const assessmentsByTrace = async (
  deps: TraceSearchDeps,
  experimentId: string,
  filter: TraceFilter,
): Promise<Map<string, Assessment[]> | undefined> => {
  const wanted: [AssessmentKind, string][] = [
    ...filter.assessmentNames.feedback.map((name): [AssessmentKind, string] => ['feedback', name]),
    ...filter.assessmentNames.expectation.map((name): [AssessmentKind, string] => ['expectation', name]),
  ];
  if (wanted.length === 0) return undefined;
  const lists = await Promise.all(wanted.map(([kind, name]) => deps.assessments.listByName(experimentId, kind, name)));
  const byTrace = new Map<string, Assessment[]>();
  for (const assessment of lists.flat()) {
    const list = byTrace.get(assessment.traceId);
    if (list) list.push(assessment);
    else byTrace.set(assessment.traceId, [assessment]);
  }
  return byTrace;
};

/** Locations of SearchTracesV3 name experiments; Cairn keeps no other kind (MLflow's OSS server neither). */
export const experimentIdsOfLocations = (
  locations: readonly { type?: string | undefined; mlflow_experiment?: { experiment_id?: string | undefined } | undefined }[],
): string[] =>
  locations.map((location) => {
    const id = location.mlflow_experiment?.experiment_id;
    if (!id) throw invalidParameter(`Unsupported trace location: only MLFLOW_EXPERIMENT locations are supported (got ${location.type ?? 'none'}).`);
    return id;
  });
