/**
 * search_traces over the trace infos of some experiments (MLflow's SearchTracesV3 and the v2 list).
 *
 * Without a filter, in time order (the default, newest first), each experiment's infos are read from its time index
 * (TraceRepository.listByExperiment) in that order, stopping as soon as the page is full: the first page of 100 out
 * of 100,000 traces costs a query or two. Any other search runs over every info of the experiment held in memory
 * (TraceSearchIndex, indexed.ts), exact and without reading the table beyond what changed since the last search.
 * Without an index (unit tests over fakes), those read the time index in slices: every info in the filter's time
 * range and state, or, in time order, slices until the page is settled.
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
import type { TraceListQuery, TraceRepository, TraceSearchIndex } from '../ports.js';
import { parseTraceFilter, type TraceFilter } from './filter.js';
import { searchIndexed } from './indexed.js';
import { matchesStage } from './match.js';
import { parseTraceOrderBy, readPosition, type OrderValue, type TraceOrder } from './order.js';
import { mapConcurrently } from '../../kernel/concurrency.js';
import { rangeEnds, readAllSlices, readSlicesInOrder, sliceRange } from './slices.js';
import type { TraceSearchView } from './view.js';

export interface TraceSearchDeps {
  readonly traces: Pick<TraceRepository, 'listByExperiment' | 'getSpans'>;
  readonly assessments: Pick<AssessmentStore, 'listByName'>;
  /**
   * Every info of an experiment in memory, exact: what a search with a filter or an order other than by time
   * reads instead of the whole time index (indexed.ts). Without one, those read the index (in slices).
   */
  readonly traceIndex?: TraceSearchIndex;
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

/** The most infos one listing call answers. */
const MAX_READ = 1000;
/** Slices of time a long read is cut into, and how many of them a time-ordered search reads ahead at once. */
const SLICES = 16;
const SLICE_WINDOW = 4;
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
  // Plain newest (oldest) first reads one page of the time index, cheaper than loading the index cold; a read of
  // every match (correlation's population) is the index's whatever the filter.
  if (deps.traceIndex && (filter.predicates.length > 0 || !order.byTime || !Number.isFinite(pageSize))) {
    const found = await searchIndexed(deps.traceIndex, (traceId) => deps.traces.getSpans(traceId), {
      experimentId,
      filter,
      order,
      limit: pageSize + 1,
      assessments,
      ...(after ? { after } : {}),
    });
    return { matches: found, exhausted: true };
  }
  const keep = async (infos: readonly TraceInfo[]): Promise<Match[]> => {
    const fresh = after ? infos.filter((info) => order.compare(order.valuesOf(info), after) > 0) : infos;
    const kept = await keepMatching(deps, filter, fresh, assessments);
    return kept.map((info) => ({ info, values: order.valuesOf(info) }));
  };
  if (!order.byTime) {
    const ends = await rangeEnds(deps.traces, experimentId, query);
    if (ends) await readAllSlices(deps.traces, experimentId, query, ends, SLICES, async (infos) => void matches.push(...(await keep(infos))));
    return { matches, exhausted: true };
  }
  const sequential = async (range: TraceListQuery): Promise<boolean> => {
    // One past the page settles it; after a page token, the boundary millisecond's answered traces come back too.
    let limit = Math.min(MAX_READ, pageSize + (after ? 2 : 1));
    for (let cursor: string | undefined; ; limit = Math.min(MAX_READ, limit * 4)) {
      const page = await deps.traces.listByExperiment(experimentId, { ...range, limit, ...(cursor ? { cursor } : {}) });
      matches.push(...(await keep(page.infos)));
      if (page.cursor === undefined) return true;
      const lastRead = page.infos[page.infos.length - 1];
      if (lastRead && isPageSettled(matches, pageSize, lastRead)) return false;
      cursor = page.cursor;
    }
  };
  // Without a filter every trace read is on the page: one query.
  if (filter.predicates.length === 0) return { matches, exhausted: await sequential(query) };
  // With one, the range in slices of time, newest (oldest) first: the first read alone (a filter that keeps most
  // traces is done there), then the others a few at once (a sparse one reads the range side by side).
  const ends = await rangeEnds(deps.traces, experimentId, query);
  if (!ends) return { matches, exhausted: true };
  const ascending = sliceRange(ends.from, ends.to, SLICES);
  const [head, ...tail] = query.order === 'asc' ? ascending : ascending.reverse();
  if (!head) return { matches, exhausted: true };
  if (!(await sequential({ ...query, ...head }))) return { matches, exhausted: false };
  if (matches.length >= pageSize) return { matches, exhausted: tail.length === 0 };
  const bySlice: Match[][] = [];
  const exhausted = await readSlicesInOrder(
    deps.traces,
    experimentId,
    query,
    tail,
    SLICE_WINDOW,
    async (infos, slice) => void (bySlice[slice] ??= []).push(...(await keep(infos))),
    (done) => matches.length + bySlice.slice(0, done).reduce((n, list) => n + (list?.length ?? 0), 0) >= pageSize,
  );
  for (const list of bySlice) matches.push(...(list ?? []));
  return { matches, exhausted };
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
    limit: MAX_READ,
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
