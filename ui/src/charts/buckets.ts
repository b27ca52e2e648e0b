import { apiFetch } from '../api/client';

/** The answer of `POST /api/2.0/cairn/metrics/history-buckets` (shared/domain/tracking/metric-buckets.ts). */
type Double = number | 'NaN' | 'Infinity' | '-Infinity';
export interface BucketsResponse {
  x_axis: 'step' | 'timestamp';
  series: {
    run_id: string;
    metric_key: string;
    count: number;
    points?: { step: number[]; timestamp: number[]; value: Double[] };
    buckets?: { x_min: number[]; x_max: number[]; min: Double[]; max: Double[]; last: Double[]; count: number[] };
  }[];
}

/**
 * One run's history of one metric as the chart draws it: x (step, or epoch milliseconds), the line value
 * (the exact value, or the bucket's last value) and the band (the bucket's min and max; equal to the value
 * for exact points).
 */
export interface RunSeries {
  runId: string;
  metricKey: string;
  x: number[];
  value: number[];
  min: number[];
  max: number[];
  /** Points the series stands for (more than x.length when bucketed). */
  count: number;
  bucketed: boolean;
}

export const MAX_BUCKETS = 2000;
export const MAX_RUNS_PER_REQUEST = 100;

/** What many overlaid runs share: the buckets of all runs together stay within this many per pixel. */
const BUCKETS_PER_PIXEL = 8;
const MIN_BUCKETS_PER_RUN = 50;

/** The chart's width in pixels, in steps of 50 (at most 2,000, the server's most buckets). */
export const chartSlots = (pixels: number) => Math.max(50, Math.min(MAX_BUCKETS, Math.round(pixels / 50) * 50));

/**
 * Buckets to ask per run: one per pixel for a few runs; with many runs overlaid, a share of a budget of a
 * few per pixel (100 runs on a 600-pixel chart: 50 each, not 600 each, a twelfth of the answer), since
 * 100 lines cannot show 600 distinct points each anyway, and every bucket keeps its min and max, so no
 * spike is lost; a zoom asks again at that density for the zoomed range. The width is counted in steps
 * of 50 so a small resize (a scroll bar appearing) does not ask again.
 */
export const bucketsPerRun = (pixels: number, runs: number): number => {
  const width = chartSlots(pixels);
  const share = Math.floor((width * BUCKETS_PER_PIXEL) / Math.max(1, runs) / 10) * 10;
  return Math.max(MIN_BUCKETS_PER_RUN, Math.min(width, share));
};

const toNumber = (value: Double): number => (typeof value === 'number' ? value : Number(value));

export const seriesFromResponse = (response: BucketsResponse): RunSeries[] =>
  response.series.map((s) => {
    if (s.buckets) {
      const b = s.buckets;
      // A bucket is drawn at its last x, where its last value was logged.
      return {
        runId: s.run_id,
        metricKey: s.metric_key,
        x: b.x_max,
        value: b.last.map(toNumber),
        min: b.min.map(toNumber),
        max: b.max.map(toNumber),
        count: s.count,
        bucketed: true,
      };
    }
    const p = s.points ?? { step: [], timestamp: [], value: [] };
    const value = p.value.map(toNumber);
    return {
      runId: s.run_id,
      metricKey: s.metric_key,
      x: response.x_axis === 'step' ? p.step : p.timestamp,
      value,
      min: value,
      max: value,
      count: s.count,
      bucketed: false,
    };
  });

export interface BucketsQuery {
  runIds: string[];
  metricKey: string;
  xAxis: 'step' | 'timestamp';
  range?: [number, number] | undefined;
  buckets: number;
}

/** Asks for the buckets of one metric for many runs, 100 runs per request. */
export const fetchBuckets = async (query: BucketsQuery, signal?: AbortSignal): Promise<RunSeries[]> => {
  const groups: string[][] = [];
  for (let i = 0; i < query.runIds.length; i += MAX_RUNS_PER_REQUEST) groups.push(query.runIds.slice(i, i + MAX_RUNS_PER_REQUEST));
  const answers = await Promise.all(
    groups.map((runIds) =>
      apiFetch<BucketsResponse>('/api/2.0/cairn/metrics/history-buckets', {
        method: 'POST',
        signal,
        body: {
          run_ids: runIds,
          metric_keys: [query.metricKey],
          x_axis: query.xAxis,
          buckets: Math.max(1, Math.min(MAX_BUCKETS, Math.round(query.buckets))),
          ...(query.range ? { x_min: Math.floor(query.range[0]), x_max: Math.ceil(query.range[1]) } : {}),
        },
      }),
    ),
  );
  return answers.flatMap(seriesFromResponse);
};

/**
 * After a zoom the detail answer covers only the zoomed range: keep the overview outside it so the lines
 * still run to the chart's edges while panning, and the detail inside it.
 */
export const mergeZoomed = (overview: RunSeries, detail: RunSeries, range: [number, number]): RunSeries => {
  const pick = (from: RunSeries, keep: (x: number) => boolean) => {
    const indexes = from.x.flatMap((x, i) => (keep(x) ? [i] : []));
    return { x: indexes.map((i) => from.x[i]!), value: indexes.map((i) => from.value[i]!), min: indexes.map((i) => from.min[i]!), max: indexes.map((i) => from.max[i]!) };
  };
  const before = pick(overview, (x) => x < range[0]);
  const inside = pick(detail, (x) => x >= range[0] && x <= range[1]);
  const after = pick(overview, (x) => x > range[1]);
  return {
    ...detail,
    x: [...before.x, ...inside.x, ...after.x],
    value: [...before.value, ...inside.value, ...after.value],
    min: [...before.min, ...inside.min, ...after.min],
    max: [...before.max, ...inside.max, ...after.max],
    bucketed: overview.bucketed || detail.bucketed,
  };
};

/** uPlot's aligned form: one x array, and per run a line, a band low and a band high (null where absent). */
export interface AlignedSeries {
  x: number[];
  value: (number | null)[][];
  min: (number | null)[][];
  max: (number | null)[][];
}

/**
 * Lays several runs' series on one x array, as uPlot draws them. When the runs' x values together are few
 * (exact points on shared steps) they are joined as they are; otherwise every run is folded onto one grid
 * of `slots` columns over the common extent, each slot keeping the min of the mins, the max of the maxes
 * and the last value, so a spike in any run is still drawn.
 */
export const alignSeries = (series: readonly RunSeries[], slots: number): AlignedSeries => {
  const distinct = new Set<number>();
  for (const s of series) for (const x of s.x) distinct.add(x);
  if (distinct.size <= slots * 2) {
    const x = [...distinct].sort((a, b) => a - b);
    const position = new Map(x.map((value, index) => [value, index]));
    const empty = () => series.map(() => new Array<number | null>(x.length).fill(null));
    const aligned: AlignedSeries = { x, value: empty(), min: empty(), max: empty() };
    series.forEach((s, r) => {
      s.x.forEach((xValue, i) => {
        const at = position.get(xValue)!;
        // Several points on one x (one step logged twice): the last is the line, the band spans them all.
        aligned.value[r]![at] = s.value[i]!;
        aligned.min[r]![at] = lower(aligned.min[r]![at] ?? null, s.min[i]!);
        aligned.max[r]![at] = higher(aligned.max[r]![at] ?? null, s.max[i]!);
      });
    });
    return aligned;
  }
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of series) for (const x of s.x) {
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  const width = (hi - lo) / slots || 1;
  const x = Array.from({ length: slots }, (_, i) => lo + (i + 1) * width);
  const empty = () => series.map(() => new Array<number | null>(slots).fill(null));
  const aligned: AlignedSeries = { x, value: empty(), min: empty(), max: empty() };
  series.forEach((s, r) => {
    s.x.forEach((xValue, i) => {
      const at = Math.min(slots - 1, Math.floor((xValue - lo) / width));
      aligned.value[r]![at] = s.value[i]!;
      aligned.min[r]![at] = lower(aligned.min[r]![at] ?? null, s.min[i]!);
      aligned.max[r]![at] = higher(aligned.max[r]![at] ?? null, s.max[i]!);
    });
  });
  // Drop slots no run has, so lines join across them rather than the x array being padded.
  const used = x.map((_, at) => aligned.value.some((values) => values[at] !== null));
  const keep = <T,>(values: T[]) => values.filter((_, at) => used[at]);
  return { x: keep(x), value: aligned.value.map(keep), min: aligned.min.map(keep), max: aligned.max.map(keep) };
};

const lower = (current: number | null, value: number) => (Number.isNaN(value) ? current : current === null || value < current ? value : current);
const higher = (current: number | null, value: number) => (Number.isNaN(value) ? current : current === null || value > current ? value : current);
