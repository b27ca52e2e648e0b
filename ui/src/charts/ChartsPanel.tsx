import { useCallback, useMemo, useState } from 'react';
import type { Run } from '../api/types';
import { navigate, parseHash, useHashLocation } from '../app/router';
import { AcrossRuns } from './AcrossRuns';
import './charts.css';
import { LazyMount } from './LazyMount';
import { LineChart, type ChartRun } from './LineChart';
import { chartSettingsFromQuery, chartSettingsToQuery, clampSmoothing, type ChartSettings, type SmoothingKind, type XAxisMode } from './settings';
import { metricKeysOf, runDisplayName, useRuns } from './use-runs';

export interface ChartsPanelProps {
  /** The runs to chart, in legend order. */
  runs?: readonly ChartRun[];
  /** Or their ids and display names (the runs view's form). */
  runIds?: readonly string[];
  runNames?: Readonly<Record<string, string>>;
  experimentIds?: readonly string[];
  /** The metrics to chart; every metric the runs logged when absent. */
  metricKeys?: readonly string[];
  /**
   * Runs the caller has read already (params and latest metrics; a runs search's page): the charted ones
   * among them are not read again, only the others are (one `runs/get` each, which for 100 runs costs
   * more than the charts themselves).
   */
  runDetails?: readonly Run[];
  /** Controlled settings; without them the settings live in the page URL (`c.*` keys). */
  settings?: ChartSettings;
  onSettingsChange?: (next: ChartSettings) => void;
}

const CHART_HEIGHT = 220;
/** Room kept for the across-runs charts until they are mounted. */
const ACROSS_RUNS_HEIGHT = 120;
/** How often the charts of running runs are read again. */
const LIVE_REFRESH_MS = 10_000;
let panelCount = 0;

/** Settings kept in the hash route's query, next to the page's own keys. */
const useUrlSettings = (): [ChartSettings, (next: ChartSettings) => void] => {
  const location = useHashLocation();
  const settings = useMemo(() => chartSettingsFromQuery(location.search), [location.search]);
  const update = useCallback((next: ChartSettings) => {
    const { path, search } = parseHash(window.location.hash);
    for (const key of [...search.keys()]) if (key.startsWith('c.')) search.delete(key);
    for (const [key, value] of Object.entries(chartSettingsToQuery(next))) search.set(key, value);
    const query = search.toString();
    navigate(`${path}${query ? `?${query}` : ''}`, { replace: true });
  }, []);
  return [settings, update];
};

/**
 * Line charts of metric history for the given runs, one per metric in a grid that mounts only the charts
 * near the viewport, with a shared cursor, zoom and hovered run; then bar, scatter and parallel-coordinate
 * charts across the runs.
 */
export const ChartsPanel = (props: ChartsPanelProps) => {
  const [urlSettings, setUrlSettings] = useUrlSettings();
  const settings = props.settings ?? urlSettings;
  const onSettingsChange = props.onSettingsChange ?? setUrlSettings;
  const [hoveredRunId, setHoveredRunId] = useState<string>();
  const [syncKey] = useState(() => `cairn-charts-${++panelCount}`);

  const runIds = useMemo(() => (props.runs ? props.runs.map((r) => r.runId) : [...(props.runIds ?? [])]), [props.runs, props.runIds]);
  // Keyed on the ids' text: callers pass a new array on every render.
  const runKey = runIds.join(',');
  const known = useMemo(() => {
    const wanted = new Set(runIds);
    return (props.runDetails ?? []).filter((run) => wanted.has(run.info.run_id));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [props.runDetails, runKey]);
  const unknownIds = useMemo(() => {
    const have = new Set(known.map((run) => run.info.run_id));
    return runIds.filter((runId) => !have.has(runId));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [known, runKey]);
  const fetched = useRuns(unknownIds);
  const allKnown = unknownIds.length === 0;
  const detailsData = useMemo(
    () => (allKnown ? { runs: known, missing: [] as string[] } : fetched.data && { ...fetched.data, runs: [...known, ...fetched.data.runs] }),
    [allKnown, known, fetched.data],
  );
  const details = { data: detailsData, error: allKnown ? undefined : fetched.error, loading: !allKnown && fetched.loading };
  const runs = useMemo((): ChartRun[] => {
    if (props.runs) return [...props.runs];
    const byId = new Map((details.data?.runs ?? []).map((run) => [run.info.run_id, run]));
    return runIds.map((runId) => {
      const run = byId.get(runId);
      return { runId, name: props.runNames?.[runId] ?? (run ? runDisplayName(run) : runId.slice(0, 8)) };
    });
  }, [props.runs, props.runNames, runIds, details.data]);

  const live = (details.data?.runs ?? []).some((run) => run.info.status === 'RUNNING');
  const allKeys = useMemo(() => (props.metricKeys ? [...props.metricKeys] : metricKeysOf(details.data?.runs ?? [])), [props.metricKeys, details.data]);
  const filter = settings.metricFilter.trim().toLowerCase();
  const keys = filter ? allKeys.filter((key) => key.toLowerCase().includes(filter)) : allKeys;
  const set = (patch: Partial<ChartSettings>) => onSettingsChange({ ...settings, ...patch });
  const onZoom = useCallback(
    (range: [number, number] | undefined) => onSettingsChange({ ...settings, zoom: range }),
    [onSettingsChange, settings],
  );

  if (runIds.length === 0) return <p className="empty">Select runs to chart their metrics.</p>;
  return (
    <div className="cairn-charts">
      <div className="cairn-charts-toolbar" role="toolbar" aria-label="Chart settings">
        <label>
          X axis
          <select value={settings.xAxis} onChange={(e) => set({ xAxis: e.target.value as XAxisMode, zoom: undefined })}>
            <option value="step">Step</option>
            <option value="time">Wall time</option>
            <option value="relative">Relative time</option>
          </select>
        </label>
        <label>
          <input type="checkbox" checked={settings.logY} onChange={(e) => set({ logY: e.target.checked })} /> Log scale
        </label>
        <label>
          Smoothing
          <select
            value={settings.smoothing}
            onChange={(e) => {
              const smoothing = e.target.value as SmoothingKind;
              set({ smoothing, smoothingAmount: smoothing === 'avg' ? 10 : smoothing === 'ema' ? 0.6 : settings.smoothingAmount });
            }}
          >
            <option value="none">None</option>
            <option value="ema">Exponential (EMA)</option>
            <option value="avg">Running average</option>
          </select>
        </label>
        {settings.smoothing !== 'none' ? (
          <label>
            {settings.smoothing === 'ema' ? 'Weight' : 'Window'}
            <input
              type="range"
              min={settings.smoothing === 'ema' ? 0 : 1}
              max={settings.smoothing === 'ema' ? 0.99 : 200}
              step={settings.smoothing === 'ema' ? 0.01 : 1}
              value={settings.smoothingAmount}
              onChange={(e) => set({ smoothingAmount: clampSmoothing(settings.smoothing, Number(e.target.value)) })}
            />
            <output>{settings.smoothingAmount}</output>
          </label>
        ) : null}
        <label>
          <input type="checkbox" checked={settings.ignoreOutliers} onChange={(e) => set({ ignoreOutliers: e.target.checked })} /> Ignore outliers
        </label>
        <button type="button" disabled={!settings.zoom} onClick={() => set({ zoom: undefined })}>
          Reset zoom
        </button>
        <label>
          Metrics
          <input
            type="search"
            placeholder="Filter metrics"
            value={settings.metricFilter}
            onChange={(e) => set({ metricFilter: e.target.value })}
          />
        </label>
        <small>
          {keys.length} of {allKeys.length} metrics · drag to zoom, double-click to reset
        </small>
      </div>
      {details.error && !props.metricKeys ? <p role="alert">Could not read the runs: {details.error.message}</p> : null}
      {keys.length === 0 && !details.loading ? <p className="empty">No metrics{filter ? ' match the filter' : ' logged by these runs'}.</p> : null}
      <div className="cairn-charts-grid">
        {keys.map((metricKey) => (
          <LazyMount key={metricKey} height={CHART_HEIGHT + 70}>
            <LineChart
              metricKey={metricKey}
              runs={runs}
              settings={settings}
              syncKey={syncKey}
              hoveredRunId={hoveredRunId}
              onHoverRun={setHoveredRunId}
              onZoom={onZoom}
              height={CHART_HEIGHT}
              refreshMs={live ? LIVE_REFRESH_MS : undefined}
            />
          </LazyMount>
        ))}
      </div>
      {/* Below every line chart: with 500 metrics its field pickers (a thousand options each) are only built when scrolled near. */}
      <LazyMount height={ACROSS_RUNS_HEIGHT}>
        <AcrossRuns runs={runs} details={details.data?.runs ?? []} settings={settings} onSettingsChange={onSettingsChange} />
      </LazyMount>
    </div>
  );
};
