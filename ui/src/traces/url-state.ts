import type { TraceState } from './types';

/** The traces list's state, all of it in the URL so a pasted link shows the same list (ui.md, aim 6). */
export interface TracesListState {
  /** MLflow's trace filter, as typed. */
  filter: string;
  /** A quick state filter, AND-ed to the typed one. */
  state: Exclude<TraceState, 'STATE_UNSPECIFIED'> | 'ALL';
  sort: { key: SortKey; desc: boolean };
  /** The page token of the page shown; empty for the first page. */
  page: string;
}

export type SortKey = 'timestamp_ms' | 'execution_time_ms';

export const DEFAULT_TRACES_STATE: TracesListState = { filter: '', state: 'ALL', sort: { key: 'timestamp_ms', desc: true }, page: '' };

const STATES = new Set(['OK', 'ERROR', 'IN_PROGRESS']);

export const parseTracesState = (search: URLSearchParams): TracesListState => {
  const state = search.get('state') ?? '';
  const [key, direction] = (search.get('sort') ?? '').split('.');
  return {
    filter: search.get('filter') ?? '',
    state: STATES.has(state) ? (state as TracesListState['state']) : 'ALL',
    sort: key === 'execution_time_ms' || key === 'timestamp_ms' ? { key, desc: direction !== 'asc' } : DEFAULT_TRACES_STATE.sort,
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
  if (state.page) out.set('page', state.page);
  return out;
};

/** The filter sent to the server: the quick state chip AND the typed filter. */
export const serverFilter = (state: Pick<TracesListState, 'filter' | 'state'>): string =>
  [state.state === 'ALL' ? '' : `trace.status = '${state.state}'`, state.filter.trim()].filter(Boolean).join(' AND ');

export const orderBy = (sort: TracesListState['sort']): string[] => [`${sort.key} ${sort.desc ? 'DESC' : 'ASC'}`];
