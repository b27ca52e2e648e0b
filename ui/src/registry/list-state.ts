import { filterLiteral } from './api';

export type ModelSortKey = 'name' | 'last_updated_timestamp';

/** The models list's state, all of it in the URL: `?q=...&sort=last_updated_timestamp&desc=1&page=<token>`. */
export interface ModelsListState {
  q: string;
  sort: { key: ModelSortKey; desc: boolean };
  page: string;
}

export const parseModelsState = (search: URLSearchParams): ModelsListState => ({
  q: search.get('q') ?? '',
  sort: { key: search.get('sort') === 'last_updated_timestamp' ? 'last_updated_timestamp' : 'name', desc: search.get('desc') === '1' },
  page: search.get('page') ?? '',
});

/** Only what differs from the default (name ascending, first page) is written. */
export const writeModelsState = (state: ModelsListState): URLSearchParams => {
  const params = new URLSearchParams();
  if (state.q) params.set('q', state.q);
  if (state.sort.key !== 'name') params.set('sort', state.sort.key);
  if (state.sort.desc) params.set('desc', '1');
  if (state.page) params.set('page', state.page);
  return params;
};

/**
 * The search box as MLflow's UI reads it: text naming a tag (`tags.team = 'x'`) is a filter in MLflow's grammar,
 * sent as typed; any other text matches names containing it, case-insensitively (`name ILIKE '%text%'`).
 */
export const modelsFilter = (q: string): string | undefined => {
  const text = q.trim();
  if (!text) return undefined;
  if (/\btags?\.|\bname\s*(=|!=|i?like)/i.test(text)) return text;
  return `name ILIKE ${filterLiteral(`%${text}%`)}`;
};

export const modelsOrderBy = (sort: ModelsListState['sort']): string[] => [`${sort.key} ${sort.desc ? 'DESC' : 'ASC'}`];
