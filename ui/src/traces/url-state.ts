import type { TraceState } from './types';

/** The traces list's state, all of it in the URL so a pasted link shows the same list (ui.md, aim 6). */
export interface TracesListState {
  /** MLflow's trace filter, as typed. */
  filter: string;
  /** A quick state filter, AND-ed to the typed one. */
  state: Exclude<TraceState, 'STATE_UNSPECIFIED'> | 'ALL';
  sort: { key: SortKey; desc: boolean };
  /** Only traces requested within this long before now ('' for any time). */
  since: Since;
  /** The page token of the page shown; empty for the first page. */
  page: string;
}

export const SINCE_MS = { '1h': 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000 } as const;
export type Since = keyof typeof SINCE_MS | '';

export type SortKey = 'timestamp_ms' | 'execution_time_ms';

export const DEFAULT_TRACES_STATE: TracesListState = { filter: '', state: 'ALL', sort: { key: 'timestamp_ms', desc: true }, since: '', page: '' };

const STATES = new Set(['OK', 'ERROR', 'IN_PROGRESS']);

export const parseTracesState = (search: URLSearchParams): TracesListState => {
  const state = search.get('state') ?? '';
  const [key, direction] = (search.get('sort') ?? '').split('.');
  return {
    filter: search.get('filter') ?? '',
    state: STATES.has(state) ? (state as TracesListState['state']) : 'ALL',
    sort: key === 'execution_time_ms' || key === 'timestamp_ms' ? { key, desc: direction !== 'asc' } : DEFAULT_TRACES_STATE.sort,
    since: (search.get('since') ?? '') in SINCE_MS ? (search.get('since') as Since) : '',
    page: search.get('page') ?? '',
  };
};

/** Only what differs from the default is written, so the plain tab keeps a plain URL. */
export const writeTracesState = (state: TracesListState): URLSearchParams => {
  const out = new URLSearchParams();
  if (state.filter) out.set('filter', state.filter);
  if (state.state !== 'ALL') out.set('state', state.state);
  const { sort } = state;
  if (sort.key !== DEFAULT_TRACES_STATE.sort.key || sort.desc !== DEFAULT_TRACES_STATE.sort.desc) out.set('sort', `${sort.key}.${sort.desc ? 'desc' : 'asc'}`);
  if (state.since) out.set('since', state.since);
  if (state.page) out.set('page', state.page);
  return out;
};

/** The filter sent to the server: the state and time chips AND the typed filter; `nowMs` anchors the time chip. */
export const serverFilter = (state: Pick<TracesListState, 'filter' | 'state' | 'since'>, nowMs: number): string =>
  [
    state.state === 'ALL' ? '' : `trace.status = '${state.state}'`,
    state.since ? `trace.timestamp_ms >= ${nowMs - SINCE_MS[state.since]}` : '',
    state.filter.trim(),
  ]
    .filter(Boolean)
    .join(' AND ');

export const orderBy = (sort: TracesListState['sort']): string[] => [`${sort.key} ${sort.desc ? 'DESC' : 'ASC'}`];
