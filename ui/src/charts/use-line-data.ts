import { useEffect, useMemo, useState } from 'react';
import { alignSeries, bucketsPerRun, chartSlots, fetchBuckets, mergeZoomed, type AlignedSeries, type RunSeries } from './buckets';
import type { XAxisMode } from './settings';

/** Recent answers, so a chart scrolled out and back in (and unmounted meanwhile) draws at once. */
const cache = new Map<string, Promise<RunSeries[]>>();
const CACHE_LIMIT = 300;

const cachedFetch = (key: string, load: () => Promise<RunSeries[]>): Promise<RunSeries[]> => {
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const pending = load();
  pending.catch(() => cache.delete(key));
  cache.set(key, pending);
  if (cache.size > CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  return pending;
};

/** Forgets cached histories (after new points were logged). */
export const clearBucketCache = () => cache.clear();

export interface LineData {
  /** Chart x per run, aligned on one array (step, epoch seconds, or seconds since the run's first point). */
  aligned: AlignedSeries | undefined;
  /** Runs (in the order asked) that have at least one point. */
  runsWithData: Set<string>;
  /** Points the series stand for, summed over runs; more than drawn when the server bucketed. */
  pointCount: number;
  bucketed: boolean;
  loading: boolean;
  error: Error | undefined;
}

/** A counter that moves every `ms` while the page is visible (a hidden tab asks nothing). */
const useRefreshTick = (ms: number | undefined): number => {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (!ms) return;
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') setTick((t) => t + 1);
    }, ms);
    return () => clearInterval(timer);
  }, [ms]);
  return tick;
};

const serverAxis = (mode: XAxisMode) => (mode === 'step' ? 'step' : 'timestamp');

/** Server x (step or epoch ms) to chart x. */
const toChartX = (mode: XAxisMode, x: number, offset: number) => (mode === 'step' ? x : mode === 'time' ? x / 1000 : (x - offset) / 1000);

/**
 * The line data of one metric for many runs: the overview (whole history, one bucket per pixel), and while
 * zoomed the detail of the zoomed range, asked again from the server and merged into the overview. The
 * previous drawing stays while a zoom's answer is on its way.
 */
export const useLineData = (
  metricKey: string,
  runIds: readonly string[],
  mode: XAxisMode,
  zoom: [number, number] | undefined,
  pixels: number,
  /** While some run is still running: ask again this often (only while the page is visible). */
  refreshMs?: number,
): LineData => {
  const buckets = bucketsPerRun(pixels, runIds.length);
  // Runs are laid on one x array of about a column per pixel, whatever each run was asked for.
  const slots = chartSlots(pixels);
  const tick = useRefreshTick(refreshMs);
  const runKey = runIds.join(',');
  const [overview, setOverview] = useState<{ key: string; series: RunSeries[] }>();
  const [detail, setDetail] = useState<{ key: string; series: RunSeries[]; range: [number, number] }>();
  const [error, setError] = useState<Error>();
  // The drawing is kept across refreshes and resizes: answers are matched on what they show, not on the
  // refresh tick or bucket count they were asked with.
  const overviewKey = `${metricKey}\u0000${runKey}\u0000${serverAxis(mode)}`;
  const fetchKey = `${overviewKey}\u0000${buckets}\u0000${tick}`;

  useEffect(() => {
    if (runIds.length === 0 || pixels <= 0) return;
    let live = true;
    cachedFetch(fetchKey, () => fetchBuckets({ runIds: [...runIds], metricKey, xAxis: serverAxis(mode), buckets })).then(
      (series) => live && (setOverview({ key: overviewKey, series }), setError(undefined)),
      (reason: unknown) => live && setError(reason instanceof Error ? reason : new Error(String(reason))),
    );
    return () => {
      live = false;
    };
    // The width becoming known must ask even when the bucket count is the same as for no width.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [fetchKey, pixels > 0]);

  // Each run's first point: the origin of relative time, and how a zoom in relative time maps back to epoch ms.
  const offsets = useMemo(() => new Map((overview?.series ?? []).map((s) => [s.runId, s.x[0] ?? 0])), [overview]);

  const serverRange = useMemo((): [number, number] | undefined => {
    if (!zoom) return undefined;
    if (mode === 'step') return zoom;
    if (mode === 'time') return [zoom[0] * 1000, zoom[1] * 1000];
    const starts = [...offsets.values()];
    if (starts.length === 0) return undefined;
    return [Math.min(...starts) + zoom[0] * 1000, Math.max(...starts) + zoom[1] * 1000];
  }, [zoom, mode, offsets]);

  useEffect(() => {
    if (!serverRange || runIds.length === 0 || overview?.key !== overviewKey) return;
    const key = `${fetchKey}\u0000${serverRange[0]}..${serverRange[1]}`;
    let live = true;
    const timer = setTimeout(() => {
      cachedFetch(key, () =>
        fetchBuckets({ runIds: [...runIds], metricKey, xAxis: serverAxis(mode), buckets, range: serverRange }),
      ).then(
        (series) => live && setDetail({ key: overviewKey, series, range: serverRange }),
        (reason: unknown) => live && setError(reason instanceof Error ? reason : new Error(String(reason))),
      );
    }, 120);
    return () => {
      live = false;
      clearTimeout(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [serverRange?.[0], serverRange?.[1], overview, overviewKey]);

  return useMemo((): LineData => {
    const current = overview?.key === overviewKey ? overview.series : undefined;
    if (!current) return { aligned: undefined, runsWithData: new Set(), pointCount: 0, bucketed: false, loading: !error, error };
    const useDetail = serverRange && detail && detail.key === overviewKey;
    const byRun = new Map(current.map((s) => [s.runId, s]));
    if (useDetail) {
      for (const d of detail.series) {
        const o = byRun.get(d.runId);
        byRun.set(d.runId, o ? mergeZoomed(o, d, detail.range) : d);
      }
    }
    const ordered = runIds.map(
      (runId) => byRun.get(runId) ?? { runId, metricKey, x: [], value: [], min: [], max: [], count: 0, bucketed: false },
    );
    const inChartUnits = ordered.map((s) => {
      const offset = offsets.get(s.runId) ?? 0;
      return { ...s, x: s.x.map((x) => toChartX(mode, x, offset)) };
    });
    return {
      aligned: alignSeries(inChartUnits, slots),
      runsWithData: new Set(ordered.filter((s) => s.x.length > 0).map((s) => s.runId)),
      pointCount: ordered.reduce((sum, s) => sum + s.count, 0),
      bucketed: ordered.some((s) => s.bucketed),
      loading: Boolean(serverRange && (!detail || detail.range !== serverRange)),
      error,
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [overview, detail, overviewKey, runKey, mode, offsets, serverRange, slots, error]);
};
