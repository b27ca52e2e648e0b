/** MLflow's trace search grammar (filter, order_by) over TraceInfo, pure; the search itself in search.ts. */
export { parseTraceFilter } from './filter.js';
export type { TraceFilter, TraceFilterClause, TraceStage } from './filter.js';
export { matchesStage, traceMatches } from './match.js';
export { parseTraceOrderBy, readPosition } from './order.js';
export type { OrderValue, TraceOrder, TraceOrderKey } from './order.js';
export type { TraceSearchView } from './view.js';
