/**
 * The runs view's state lives in the URL (a pasted link reproduces the view): filter, sort, selection,
 * deleted/active and table/charts. Defaults are left out so MLflow's plain links stay short.
 */
export type MetricAgg = 'last' | 'min' | 'max';

export interface SortSpec {
  /** A column id: `attributes.start_time`, `params.lr`, `metrics.loss`, `tags.mlflow.user`. */
  columnId: string;
  /** For metric columns: which summary to sort on (min/max need Cairn's search extension). */
  agg: MetricAgg;
  desc: boolean;
}

export interface RunsViewState {
  filter: string;
  sort: SortSpec | undefined;
  selected: string[];
  lifecycle: 'active' | 'deleted';
  view: 'table' | 'charts';
}

export const DEFAULT_RUNS_STATE: RunsViewState = { filter: '', sort: undefined, selected: [], lifecycle: 'active', view: 'table' };

const parseSort = (text: string | null): SortSpec | undefined => {
  if (!text) return undefined;
  const colon = text.lastIndexOf(':');
  const head = colon < 0 ? text : text.slice(0, colon);
  const direction = colon < 0 ? 'desc' : text.slice(colon + 1);
  const tilde = head.lastIndexOf('~');
  const agg = tilde < 0 ? 'last' : head.slice(tilde + 1);
  const columnId = tilde < 0 ? head : head.slice(0, tilde);
  if (!columnId || (agg !== 'last' && agg !== 'min' && agg !== 'max')) return undefined;
  return { columnId, agg, desc: direction !== 'asc' };
};

const formatSort = (sort: SortSpec) => `${sort.columnId}${sort.agg === 'last' ? '' : `~${sort.agg}`}:${sort.desc ? 'desc' : 'asc'}`;

export const parseRunsState = (search: URLSearchParams): RunsViewState => ({
  filter: search.get('filter') ?? '',
  sort: parseSort(search.get('sort')),
  selected: (search.get('selected') ?? '').split(',').filter(Boolean),
  lifecycle: search.get('lifecycle') === 'deleted' ? 'deleted' : 'active',
  view: search.get('view') === 'charts' ? 'charts' : 'table',
});

/** Writes the runs state over `base`, keeping parameters it does not own (the charts' settings, say). */
export const writeRunsState = (state: RunsViewState, base: URLSearchParams = new URLSearchParams()): URLSearchParams => {
  const next = new URLSearchParams(base);
  const put = (key: string, value: string | undefined) => (value ? next.set(key, value) : next.delete(key));
  put('filter', state.filter.trim() || undefined);
  put('sort', state.sort ? formatSort(state.sort) : undefined);
  put('selected', state.selected.length ? state.selected.join(',') : undefined);
  put('lifecycle', state.lifecycle === 'deleted' ? 'deleted' : undefined);
  put('view', state.view === 'charts' ? 'charts' : undefined);
  return next;
};

/** A key in MLflow's grammar: backquoted unless it is a plain identifier. */
export const quoteKey = (key: string): string => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? key : `\`${key.replace(/`/g, '')}\``);

/** MLflow's `order_by` clause for a sort (`metrics.\`val loss\` DESC`); Cairn's extension takes `.min`/`.max`. */
export const orderByClause = (sort: SortSpec | undefined): string[] => {
  if (!sort) return ['attributes.start_time DESC'];
  const dot = sort.columnId.indexOf('.');
  const entity = sort.columnId.slice(0, dot);
  const key = sort.columnId.slice(dot + 1);
  const suffix = entity === 'metrics' && sort.agg !== 'last' ? `.${sort.agg}` : '';
  const field = entity === 'attributes' ? `attributes.${key}` : `${entity}.${quoteKey(key)}${suffix}`;
  return [`${field} ${sort.desc ? 'DESC' : 'ASC'}`];
};

/** MLflow's compare links carry JSON arrays (`runs=["a","b"]`); tolerate a plain comma list too. */
export const parseJsonList = (text: string | null): string[] => {
  if (!text) return [];
  try {
    const value: unknown = JSON.parse(text);
    if (Array.isArray(value)) return value.map(String);
  } catch {
    // fall through
  }
  return text.split(',').map((s) => s.trim()).filter(Boolean);
};
