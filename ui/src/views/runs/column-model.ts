import type { MetricAgg } from '../../app/url-state';

/**
 * The runs table's columns: which exist (from the loaded runs' keys), and the user's layout over them (order,
 * widths, pins, visibility, metric summary), remembered per experiment. Pure functions, so the table is a view.
 */
export type ColumnKind = 'attribute' | 'param' | 'metric' | 'tag';

export interface ColumnDef {
  /** `attributes.<name>`, `params.<key>`, `metrics.<key>`, `tags.<key>`. */
  id: string;
  kind: ColumnKind;
  key: string;
  label: string;
  /** Whether MLflow's order_by can sort by it. */
  sortable: boolean;
  defaultWidth: number;
  /** Tags are many and mostly system tags: hidden until picked. */
  defaultVisible: boolean;
}

export interface ColumnLayout {
  /** Column ids in the user's order; columns not listed follow in their natural order. */
  order: string[];
  widths: Record<string, number>;
  pinned: string[];
  /** Overrides of each column's default visibility. */
  visible: Record<string, boolean>;
  /** Which summary a metric column shows (last unless chosen). */
  agg: Record<string, MetricAgg>;
}

/** The run name stays in view while scrolling sideways, as in MLflow, until unpinned. */
export const EMPTY_LAYOUT: ColumnLayout = { order: [], widths: {}, pinned: ['attributes.run_name'], visible: {}, agg: {} };

export const MIN_WIDTH = 60;
export const MAX_WIDTH = 800;

const attribute = (key: string, label: string, sortable: boolean, defaultWidth: number, id = `attributes.${key}`): ColumnDef => ({
  id,
  kind: 'attribute',
  key,
  label,
  sortable,
  defaultWidth,
  defaultVisible: true,
});

/**
 * The fixed columns MLflow shows. The first four lead; metrics and params come next so they are in view at
 * 1280 px; the rest follow. Source and version are tags, sortable as such.
 */
export const LEADING_COLUMNS: readonly ColumnDef[] = [
  attribute('run_name', 'Run name', true, 200),
  attribute('start_time', 'Created', true, 168),
  attribute('status', 'Status', true, 104),
  attribute('duration', 'Duration', false, 100),
];
export const TRAILING_COLUMNS: readonly ColumnDef[] = [
  attribute('user_id', 'User', true, 110),
  attribute('source', 'Source', true, 150, 'tags.mlflow.source.name'),
  attribute('version', 'Version', true, 90, 'tags.mlflow.source.git.commit'),
  attribute('dataset', 'Dataset', false, 150),
  attribute('models', 'Models', false, 130),
];
export const ATTRIBUTE_COLUMNS: readonly ColumnDef[] = [...LEADING_COLUMNS, ...TRAILING_COLUMNS];

const ATTRIBUTE_IDS = new Set(ATTRIBUTE_COLUMNS.map((c) => c.id));

export const keyColumn = (kind: Exclude<ColumnKind, 'attribute'>, key: string): ColumnDef => ({
  id: `${kind === 'param' ? 'params' : kind === 'metric' ? 'metrics' : 'tags'}.${key}`,
  kind,
  key,
  label: key,
  sortable: true,
  defaultWidth: kind === 'tag' ? 140 : 110,
  defaultVisible: kind !== 'tag',
});

/**
 * Every column the loaded runs offer: the leading attributes, metrics and params (each sorted by key), the
 * other attributes, then tags. Dataset and model columns start hidden when no loaded run has any.
 */
export const availableColumns = (keys: {
  metrics: Iterable<string>;
  params: Iterable<string>;
  tags: Iterable<string>;
  hasDatasets?: boolean;
  hasModels?: boolean;
}): ColumnDef[] => {
  const sorted = (values: Iterable<string>) => [...new Set(values)].sort((a, b) => a.localeCompare(b));
  const trailing = TRAILING_COLUMNS.map((column) =>
    (column.key === 'dataset' && !keys.hasDatasets) || (column.key === 'models' && !keys.hasModels) ? { ...column, defaultVisible: false } : column,
  );
  return [
    ...LEADING_COLUMNS,
    ...sorted(keys.metrics).map((key) => keyColumn('metric', key)),
    ...sorted(keys.params).map((key) => keyColumn('param', key)),
    ...trailing,
    ...sorted(keys.tags)
      .map((key) => keyColumn('tag', key))
      .filter((column) => !ATTRIBUTE_IDS.has(column.id)),
  ];
};

export interface ResolvedColumn extends ColumnDef {
  width: number;
  pinned: boolean;
  agg: MetricAgg;
}

export const isVisible = (layout: ColumnLayout, column: ColumnDef): boolean => layout.visible[column.id] ?? column.defaultVisible;

/** The visible columns in display order: pinned ones first (in their order), then the rest. */
export const resolveColumns = (available: readonly ColumnDef[], layout: ColumnLayout): { pinned: ResolvedColumn[]; scrolling: ResolvedColumn[] } => {
  const byId = new Map(available.map((column) => [column.id, column]));
  const ordered: ColumnDef[] = [];
  const seen = new Set<string>();
  for (const id of layout.order) {
    const column = byId.get(id);
    if (column && !seen.has(id)) (ordered.push(column), seen.add(id));
  }
  for (const column of available) if (!seen.has(column.id)) ordered.push(column);

  const pinnedSet = new Set(layout.pinned);
  const resolved = ordered
    .filter((column) => isVisible(layout, column))
    .map((column) => ({
      ...column,
      width: layout.widths[column.id] ?? column.defaultWidth,
      pinned: pinnedSet.has(column.id),
      agg: column.kind === 'metric' ? (layout.agg[column.id] ?? 'last') : 'last',
    }));
  return { pinned: resolved.filter((c) => c.pinned), scrolling: resolved.filter((c) => !c.pinned) };
};

/** The full order of `available` under `layout` (hidden columns included), as stored after a move. */
const fullOrder = (available: readonly ColumnDef[], layout: ColumnLayout): string[] => {
  const ids = new Set(available.map((c) => c.id));
  const listed = layout.order.filter((id) => ids.has(id));
  const listedSet = new Set(listed);
  // Keep ids of columns that are not loaded right now (another page may have them) at the end.
  const absent = layout.order.filter((id) => !ids.has(id));
  return [...listed, ...available.map((c) => c.id).filter((id) => !listedSet.has(id)), ...absent];
};

/** Moves `id` so it lands just before `beforeId` (or at the end when `beforeId` is undefined). */
export const moveColumn = (available: readonly ColumnDef[], layout: ColumnLayout, id: string, beforeId: string | undefined): ColumnLayout => {
  if (id === beforeId) return layout;
  const order = fullOrder(available, layout).filter((other) => other !== id);
  const at = beforeId === undefined ? -1 : order.indexOf(beforeId);
  order.splice(at < 0 ? order.length : at, 0, id);
  return { ...layout, order };
};

/** Moves a column one place left or right among the visible columns of its group (pinned or not). */
export const stepColumn = (available: readonly ColumnDef[], layout: ColumnLayout, id: string, step: -1 | 1): ColumnLayout => {
  const { pinned, scrolling } = resolveColumns(available, layout);
  const group = (pinned.some((c) => c.id === id) ? pinned : scrolling).map((c) => c.id);
  const index = group.indexOf(id);
  const target = index + step;
  if (index < 0 || target < 0 || target >= group.length) return layout;
  const before = step < 0 ? group[target] : group[target + 1];
  return moveColumn(available, layout, id, before);
};

export const resizeColumn = (layout: ColumnLayout, id: string, width: number): ColumnLayout => ({
  ...layout,
  widths: { ...layout.widths, [id]: Math.round(Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, width))) },
});

export const setPinned = (layout: ColumnLayout, id: string, pinned: boolean): ColumnLayout => ({
  ...layout,
  pinned: pinned ? [...layout.pinned.filter((p) => p !== id), id] : layout.pinned.filter((p) => p !== id),
});

export const setVisible = (layout: ColumnLayout, column: ColumnDef, visible: boolean): ColumnLayout => {
  const { [column.id]: _, ...rest } = layout.visible;
  return { ...layout, visible: visible === column.defaultVisible ? rest : { ...rest, [column.id]: visible } };
};

export const setAgg = (layout: ColumnLayout, id: string, agg: MetricAgg): ColumnLayout => {
  const { [id]: _, ...rest } = layout.agg;
  return { ...layout, agg: agg === 'last' ? rest : { ...rest, [id]: agg } };
};

/** Column picker search: every word of the query must appear in the id (case-insensitive). */
export const matchesColumnQuery = (column: ColumnDef, query: string): boolean => {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const haystack = `${column.id} ${column.label}`.toLowerCase();
  return words.every((word) => haystack.includes(word));
};

const storageKey = (experimentKey: string) => `cairn.runs.columns.${experimentKey}`;

export const loadLayout = (experimentKey: string, storage: Pick<Storage, 'getItem'> = localStorage): ColumnLayout => {
  try {
    const parsed = JSON.parse(storage.getItem(storageKey(experimentKey)) ?? 'null') as Partial<ColumnLayout> | null;
    if (!parsed || typeof parsed !== 'object') return EMPTY_LAYOUT;
    return {
      order: Array.isArray(parsed.order) ? parsed.order.filter((v) => typeof v === 'string') : [],
      widths: typeof parsed.widths === 'object' && parsed.widths ? parsed.widths : {},
      pinned: Array.isArray(parsed.pinned) ? parsed.pinned.filter((v) => typeof v === 'string') : EMPTY_LAYOUT.pinned,
      visible: typeof parsed.visible === 'object' && parsed.visible ? parsed.visible : {},
      agg: typeof parsed.agg === 'object' && parsed.agg ? parsed.agg : {},
    };
  } catch {
    return EMPTY_LAYOUT;
  }
};

export const saveLayout = (experimentKey: string, layout: ColumnLayout, storage: Pick<Storage, 'setItem'> = localStorage): void => {
  try {
    storage.setItem(storageKey(experimentKey), JSON.stringify(layout));
  } catch {
    // A full or disabled storage only loses the remembered layout.
  }
};
