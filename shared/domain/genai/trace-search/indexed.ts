/**
 * A search over every trace info of an experiment held in memory (TraceSearchIndex): for the searches that would
 * otherwise read the whole time index, i.e. any filter and any order other than plain newest (oldest) first.
 * Clauses on the info and on assessments run over all of them; the page is then picked without sorting
 * everything (the `limit` best, kept sorted as they come); spans are read only when a span clause needs them,
 * in page order, for just enough traces to settle the page.
 */
import { mapConcurrently } from '../../kernel/concurrency.js';
import type { Assessment } from '../assessments.js';
import type { Span, TraceInfo } from '../entities.js';
import type { TraceSearchIndex } from '../ports.js';
import type { TraceFilter } from './filter.js';
import { matchesStage } from './match.js';
import type { OrderValue, TraceOrder } from './order.js';
import type { TraceSearchView } from './view.js';

export interface IndexedMatch {
  readonly info: TraceInfo;
  readonly values: OrderValue[];
}

export interface IndexedSearch {
  readonly experimentId: string;
  readonly filter: TraceFilter;
  readonly order: TraceOrder;
  /** How many matches to answer at most, in order (Infinity: all, in no order). */
  readonly limit: number;
  /** Only traces strictly after this position (a page token's). */
  readonly after?: readonly OrderValue[];
  /** The assessments the filter asks about, per trace; undefined when it asks about none. */
  readonly assessments: Map<string, Assessment[]> | undefined;
}

/** Spans are read for this many traces at once when a filter needs them. */
const SPAN_READS = 16;

/** The first `limit` matches of the experiment after `after`, in order (all of them when `limit` is Infinity). */
export const searchIndexed = async (
  index: TraceSearchIndex,
  readSpans: (traceId: string) => Promise<Span[]>,
  search: IndexedSearch,
): Promise<IndexedMatch[]> => {
  const { filter, order, limit, after, assessments } = search;
  const infos = await index.infosOf(search.experimentId);
  const passing = (info: TraceInfo): TraceSearchView | undefined => {
    const view: TraceSearchView = assessments ? { info, assessments: assessments.get(info.traceId) ?? [] } : { info };
    return matchesStage(view, filter, 'info') && matchesStage(view, filter, 'assessments') ? view : undefined;
  };
  if (!filter.needsSpans) {
    const best = bestOf<IndexedMatch>(limit, (a, b) => order.compare(a.values, b.values));
    for (const info of infos) {
      if (!passing(info)) continue;
      const values = order.valuesOf(info);
      if (after && order.compare(values, after) <= 0) continue;
      best.offer({ info, values });
    }
    return best.items;
  }
  const candidates: (IndexedMatch & { view: TraceSearchView })[] = [];
  for (const info of infos) {
    const view = passing(info);
    if (!view) continue;
    const values = order.valuesOf(info);
    if (!after || order.compare(values, after) > 0) candidates.push({ info, values, view });
  }
  candidates.sort((a, b) => order.compare(a.values, b.values));
  const matches: IndexedMatch[] = [];
  for (let offset = 0; offset < candidates.length && matches.length < limit; offset += SPAN_READS) {
    const batch = candidates.slice(offset, offset + SPAN_READS);
    const kept = await mapConcurrently(batch, SPAN_READS, async (candidate) =>
      matchesStage({ ...candidate.view, spans: await readSpans(candidate.info.traceId) }, filter, 'spans'),
    );
    batch.forEach((candidate, i) => {
      if (kept[i] && matches.length < limit) matches.push({ info: candidate.info, values: candidate.values });
    });
  }
  return matches;
};

/**
 * The `limit` smallest items offered, sorted: a binary search places each one that beats the worst kept. For a
 * page of 100 out of 100,000 traces this is one comparison for most, instead of sorting them all.
 */
export const bestOf = <T>(limit: number, compare: (a: T, b: T) => number) => {
  const items: T[] = [];
  return {
    items,
    offer(item: T): void {
      if (!Number.isFinite(limit)) {
        items.push(item);
        return;
      }
      if (items.length >= limit && compare(item, items[items.length - 1] as T) >= 0) return;
      let low = 0;
      let high = items.length;
      while (low < high) {
        const mid = (low + high) >>> 1;
        if (compare(items[mid] as T, item) <= 0) low = mid + 1;
        else high = mid;
      }
      items.splice(low, 0, item);
      if (items.length > limit) items.pop();
    },
  };
};
