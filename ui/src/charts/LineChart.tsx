import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { runColor, withAlpha } from './colors';
import type { ChartSettings } from './settings';
import { chartColors, usePageTheme } from './theme';
import { formatDuration, formatValue, outlierRange, positiveOnly, smooth } from './transform';
import { useLineData } from './use-line-data';

export interface ChartRun {
  runId: string;
  name: string;
  color?: string | undefined;
}

export interface LineChartProps {
  metricKey: string;
  runs: readonly ChartRun[];
  settings: ChartSettings;
  /** Charts with the same key share their cursor (uPlot's sync). */
  syncKey: string;
  hoveredRunId: string | undefined;
  onHoverRun: (runId: string | undefined) => void;
  onZoom: (range: [number, number] | undefined) => void;
  height?: number;
  /** Re-read the history this often (runs still logging). */
  refreshMs?: number | undefined;
}

/**
 * Test hook: the drawn x range and the highest value drawn inside it (lines and band tops), as data
 * attributes on uPlot's root, so the browser tests can tell that a spike is (or is not) on screen.
 */
const markVisibleRange = (u: uPlot) => {
  const { min, max } = u.scales.x ?? {};
  const xs = u.data[0];
  let top = -Infinity;
  if (min !== undefined && max !== undefined) {
    for (let i = 0; i < xs.length; i++) {
      const x = xs[i]!;
      if (x < min || x > max) continue;
      for (let s = 1; s < u.data.length; s++) {
        const value = u.data[s]![i];
        if (typeof value === 'number' && value > top) top = value;
      }
    }
  }
  u.root.dataset.xMin = String(min);
  u.root.dataset.xMax = String(max);
  u.root.dataset.yMax = String(top);
};

const xLabel = (mode: ChartSettings['xAxis']) => (mode === 'step' ? 'Step' : mode === 'time' ? 'Wall time' : 'Relative time');

/**
 * One metric's history for the selected runs, drawn by uPlot: per run a line (the exact value, or each
 * bucket's last value, smoothed on demand) and a min–max band from the server's buckets, so a spike that
 * bucketing folded away still shows. Drag to zoom (every chart follows, and the server is asked again for
 * the zoomed range); double-click to reset.
 */
export const LineChart = ({ metricKey, runs, settings, syncKey, hoveredRunId, onHoverRun, onZoom, height = 220, refreshMs }: LineChartProps) => {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const [width, setWidth] = useState(0);
  const [cursorValues, setCursorValues] = useState<(number | null)[] | undefined>();
  const runIds = useMemo(() => runs.map((r) => r.runId), [runs]);
  const data = useLineData(metricKey, runIds, settings.xAxis, settings.zoom, width, refreshMs);
  const callbacks = useRef({ onHoverRun, onZoom });
  callbacks.current = { onHoverRun, onZoom };
  const programmatic = useRef(false);
  const dataReadyAt = useRef(0);
  const theme = usePageTheme();

  useLayoutEffect(() => {
    const element = box.current;
    if (!element) return;
    // Without layout (no ResizeObserver, or a hidden box) a typical chart width stands in.
    setWidth(element.clientWidth || 800);
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(([entry]) => entry && entry.contentRect.width > 0 && setWidth(Math.floor(entry.contentRect.width)));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  const plotData = useMemo((): uPlot.AlignedData | undefined => {
    const aligned = data.aligned;
    if (!aligned) return undefined;
    const shown = (values: (number | null)[]) => (settings.logY ? positiveOnly(values) : values);
    const lines = aligned.value.map((values) => shown(smooth(values, settings.smoothing, settings.smoothingAmount)));
    return [aligned.x, ...lines, ...aligned.max.map(shown), ...aligned.min.map(shown)] as uPlot.AlignedData;
  }, [data.aligned, settings.logY, settings.smoothing, settings.smoothingAmount]);

  const yRange = useMemo(() => {
    if (!settings.ignoreOutliers || !data.aligned) return undefined;
    return outlierRange(data.aligned.value.map((values) => (settings.logY ? positiveOnly(values) : values)));
  }, [settings.ignoreOutliers, settings.logY, data.aligned]);

  // The plot is rebuilt when its shape changes (runs, axes, scales); data alone is swapped in place.
  const shapeKey = `${theme}|${runIds.join(',')}|${settings.xAxis}|${settings.logY}|${yRange?.join(',') ?? ''}|${runs.map((r) => r.color ?? '').join(',')}`;
  useEffect(() => {
    const element = box.current;
    if (!element || !plotData) return;
    const count = runs.length;
    const colors = chartColors();
    const axis = { stroke: colors.text, grid: { stroke: colors.grid, width: 1 }, ticks: { stroke: colors.grid, width: 1 } };
    const lineSeries: uPlot.Series[] = runs.map((run, i) => ({
      label: run.name,
      stroke: runColor(i, run.color),
      width: 1.5,
      spanGaps: true,
      points: { show: false },
    }));
    const bandEdge = (i: number, run: ChartRun): uPlot.Series => ({
      stroke: withAlpha(runColor(i, run.color), 0.35),
      width: 0.75,
      spanGaps: true,
      points: { show: false },
    });
    const options: uPlot.Options = {
      width: element.clientWidth || 800,
      height,
      legend: { show: false },
      focus: { alpha: 0.25 },
      cursor: {
        sync: { key: syncKey, setSeries: false },
        focus: { prox: 24 },
        drag: { x: true, y: false, setScale: true },
        bind: {
          dblclick: () => () => {
            callbacks.current.onZoom(undefined);
            return null;
          },
        },
      },
      scales: {
        x: { time: settings.xAxis === 'time' },
        y: { distr: settings.logY ? 3 : 1, ...(yRange ? { range: () => yRange } : {}) },
      },
      axes: [
        {
          ...axis,
          label: xLabel(settings.xAxis),
          ...(settings.xAxis === 'relative' ? { space: 70, values: (_: uPlot, ticks: number[]) => ticks.map(formatDuration) } : {}),
        },
        { ...axis, values: (_: uPlot, ticks: number[]) => ticks.map(formatValue), size: 60 },
      ],
      series: [{}, ...lineSeries, ...runs.map((run, i) => bandEdge(i, run)), ...runs.map((run, i) => bandEdge(i, run))],
      bands: runs.map((run, i) => ({ series: [1 + count + i, 1 + 2 * count + i] as [number, number], fill: withAlpha(runColor(i, run.color), 0.15) })),
      hooks: {
        setCursor: [
          (u) => {
            // Read from the plot's own data: it is what the cursor points into, even mid-update.
            const index = u.cursor.idx;
            const values = index === null || index === undefined ? undefined : runs.map((_, i) => (u.data[i + 1]?.[index] as number | null | undefined) ?? null);
            requestAnimationFrame(() => setCursorValues(values));
          },
        ],
        setSeries: [
          (_u, index, opts) => {
            if ((opts as { focus?: boolean }).focus === undefined || programmatic.current) return;
            // Band edges (after the lines: maxes, then mins) stand for their run too.
            const run = index === null || index < 1 ? undefined : runs[(index - 1) % count];
            callbacks.current.onHoverRun(run?.runId);
          },
        ],
        setSelect: [
          (u) => {
            if (u.select.width < 2) return;
            const min = u.posToVal(u.select.left, 'x');
            const max = u.posToVal(u.select.left + u.select.width, 'x');
            callbacks.current.onZoom([min, max]);
          },
        ],
        draw: [
          (u) => {
            markVisibleRange(u);
            if (dataReadyAt.current === 0) return;
            u.root.dataset.paintMs = String(Math.round(performance.now() - dataReadyAt.current));
            dataReadyAt.current = 0;
          },
        ],
      },
    };
    dataReadyAt.current = performance.now();
    const chart = new uPlot(options, plotData, element);
    plot.current = chart;
    if (settings.zoom) chart.setScale('x', { min: settings.zoom[0], max: settings.zoom[1] });
    return () => {
      chart.destroy();
      plot.current = null;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [shapeKey, plotData === undefined, height]);

  useEffect(() => {
    const chart = plot.current;
    if (!chart || !plotData) return;
    dataReadyAt.current = performance.now();
    chart.setData(plotData, !settings.zoom);
    if (settings.zoom) chart.setScale('x', { min: settings.zoom[0], max: settings.zoom[1] });
  }, [plotData, settings.zoom]);

  useEffect(() => {
    if (plot.current && width > 0) plot.current.setSize({ width, height });
  }, [width, height]);

  // The hovered run (from any chart or legend) is highlighted here too.
  useEffect(() => {
    const chart = plot.current;
    if (!chart) return;
    const index = hoveredRunId === undefined ? -1 : runIds.indexOf(hoveredRunId);
    programmatic.current = true;
    try {
      chart.setSeries(index >= 0 ? index + 1 : null, { focus: index >= 0 });
    } finally {
      programmatic.current = false;
    }
  }, [hoveredRunId, runIds, shapeKey]);

  const empty = data.aligned !== undefined && data.runsWithData.size === 0;
  return (
    <figure className="cairn-chart" aria-label={`${metricKey} over ${xLabel(settings.xAxis).toLowerCase()}`}>
      <figcaption className="cairn-chart-title">
        <span title={metricKey}>{metricKey}</span>
        <small>
          {data.error ? `error: ${data.error.message}` : data.loading ? 'loading…' : data.bucketed ? `${data.pointCount.toLocaleString()} points, min–max bands` : ''}
        </small>
      </figcaption>
      <div ref={box} className="cairn-chart-plot" style={{ minHeight: height }} data-metric={metricKey}>
        {empty ? <p className="cairn-chart-empty">No history for these runs.</p> : null}
      </div>
      <Legend
        runs={runs}
        values={cursorValues}
        hoveredRunId={hoveredRunId}
        onHoverRun={onHoverRun}
        present={data.runsWithData}
      />
    </figure>
  );
};

/** Full run names (wrapped, never cut), a colour swatch, and the value under the cursor. */
const Legend = ({
  runs,
  values,
  hoveredRunId,
  onHoverRun,
  present,
}: {
  runs: readonly ChartRun[];
  values: (number | null)[] | undefined;
  hoveredRunId: string | undefined;
  onHoverRun: (runId: string | undefined) => void;
  present: Set<string>;
}) => (
  // Focusable so a long legend can be scrolled by keyboard.
  <ul className="cairn-chart-legend" aria-label="Runs" tabIndex={0} onMouseLeave={() => onHoverRun(undefined)}>
    {runs.map((run, i) =>
      present.has(run.runId) ? (
        <li
          key={run.runId}
          className={run.runId === hoveredRunId ? 'hovered' : undefined}
          onMouseEnter={() => onHoverRun(run.runId)}
          title={run.name}
        >
          <span className="swatch" style={{ background: runColor(i, run.color) }} aria-hidden="true" />
          <span className="name">{run.name}</span>
          {values ? <span className="value">{formatValue(values[i])}</span> : null}
        </li>
      ) : null,
    )}
  </ul>
);
