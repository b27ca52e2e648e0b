/**
 * Chart settings, kept in the URL so a pasted link reproduces the view (ui.md, target 6). Short query keys
 * under a `c.` prefix keep them apart from the page's own state; defaults are left out of the URL.
 */
export type XAxisMode = 'step' | 'time' | 'relative';
export type SmoothingKind = 'none' | 'ema' | 'avg';

export interface ChartSettings {
  xAxis: XAxisMode;
  logY: boolean;
  smoothing: SmoothingKind;
  /** EMA weight in [0, 0.99], or the running-average window in points (1..1000). */
  smoothingAmount: number;
  ignoreOutliers: boolean;
  /** Zoomed x range shared by every line chart; undefined shows all. In the x axis' own units. */
  zoom: [number, number] | undefined;
  /** Metric-name filter of the grid. */
  metricFilter: string;
  /** Bar chart metric, scatter axes ("metrics.<key>" or "params.<key>"), parallel-coordinate columns. */
  bar: string | undefined;
  scatter: [string, string] | undefined;
  parallel: string[];
}

export const DEFAULT_CHART_SETTINGS: ChartSettings = {
  xAxis: 'step',
  logY: false,
  smoothing: 'none',
  smoothingAmount: 0.6,
  ignoreOutliers: false,
  zoom: undefined,
  metricFilter: '',
  bar: undefined,
  scatter: undefined,
  parallel: [],
};

const X_AXES: readonly XAxisMode[] = ['step', 'time', 'relative'];
const SMOOTHINGS: readonly SmoothingKind[] = ['none', 'ema', 'avg'];
const P = 'c.';

export const chartSettingsToQuery = (settings: ChartSettings): Record<string, string> => {
  const d = DEFAULT_CHART_SETTINGS;
  const query: Record<string, string> = {};
  if (settings.xAxis !== d.xAxis) query[`${P}x`] = settings.xAxis;
  if (settings.logY) query[`${P}log`] = '1';
  if (settings.smoothing !== 'none') query[`${P}smooth`] = `${settings.smoothing}:${settings.smoothingAmount}`;
  if (settings.ignoreOutliers) query[`${P}outliers`] = 'ignore';
  if (settings.zoom) query[`${P}zoom`] = `${settings.zoom[0]}..${settings.zoom[1]}`;
  if (settings.metricFilter) query[`${P}filter`] = settings.metricFilter;
  if (settings.bar) query[`${P}bar`] = settings.bar;
  if (settings.scatter) query[`${P}scatter`] = JSON.stringify(settings.scatter);
  if (settings.parallel.length > 0) query[`${P}parallel`] = JSON.stringify(settings.parallel);
  return query;
};

type QueryLike = URLSearchParams | Record<string, string | undefined>;

const getter = (query: QueryLike) => (key: string): string | undefined =>
  query instanceof URLSearchParams ? (query.get(`${P}${key}`) ?? undefined) : query[`${P}${key}`];

const stringList = (text: string | undefined): string[] | undefined => {
  if (!text) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) && value.every((item) => typeof item === 'string') ? value : undefined;
  } catch {
    return undefined;
  }
};

/** Reads what chartSettingsToQuery wrote; anything malformed falls back to its default instead of failing. */
export const chartSettingsFromQuery = (query: QueryLike): ChartSettings => {
  const get = getter(query);
  const d = DEFAULT_CHART_SETTINGS;
  const x = get('x');
  const [kind, amountText] = (get('smooth') ?? '').split(':');
  const smoothing = SMOOTHINGS.includes(kind as SmoothingKind) ? (kind as SmoothingKind) : 'none';
  const amount = Number(amountText);
  const zoomParts = (get('zoom') ?? '').split('..').map((part) => (part.trim() === '' ? NaN : Number(part)));
  const zoom =
    zoomParts.length === 2 && zoomParts.every(Number.isFinite) && zoomParts[0]! < zoomParts[1]!
      ? ([zoomParts[0]!, zoomParts[1]!] as [number, number])
      : undefined;
  const scatter = stringList(get('scatter'));
  return {
    xAxis: X_AXES.includes(x as XAxisMode) ? (x as XAxisMode) : d.xAxis,
    logY: get('log') === '1',
    smoothing,
    smoothingAmount: smoothing === 'none' || !Number.isFinite(amount) ? d.smoothingAmount : clampSmoothing(smoothing, amount),
    ignoreOutliers: get('outliers') === 'ignore',
    zoom,
    metricFilter: get('filter') ?? '',
    bar: get('bar') || undefined,
    scatter: scatter?.length === 2 ? [scatter[0]!, scatter[1]!] : undefined,
    parallel: stringList(get('parallel')) ?? [],
  };
};

export const clampSmoothing = (kind: SmoothingKind, amount: number): number =>
  kind === 'avg' ? Math.min(1000, Math.max(1, Math.round(amount))) : Math.min(0.99, Math.max(0, amount));
