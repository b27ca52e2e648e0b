import type { TraceFilter, TraceStage } from './filter.js';
import type { TraceSearchView } from './view.js';

/** Whether the trace passes every clause of `stage` (a search runs 'info' first, and loads more only for those). */
export const matchesStage = (view: TraceSearchView, filter: TraceFilter, stage: TraceStage): boolean => {
  for (const predicate of filter.predicates) {
    if (predicate.stage === stage && !predicate.test(view)) return false;
  }
  return true;
};

/** Whether the trace passes the whole filter; the view must hold what the filter needs (spans, assessments). */
export const traceMatches = (view: TraceSearchView, filter: TraceFilter): boolean =>
  filter.predicates.every((predicate) => predicate.test(view));
