/**
 * The chart figures of `npm run bench:ui` (ui.ts runs them after the runs table), on the same local Cairn and
 * Chromium. Three experiments, seeded through the REST API once per data folder:
 *   - one run with a CHARTS_POINTS-point `loss` history (1,000,000 by default) holding one spike of 50 among
 *     values below 1: time to its chart painted, and whether the spike is drawn;
 *   - 100 runs x 10,000 points of `loss`: time to their overlaid chart painted;
 *   - one run with 500 metric keys: time until its charts view shows its first chart, and until the metric
 *     filter answers a keystroke.
 * Each figure is a fresh page load: the first one after seeding (cold) and the median of three more.
 */
import type { Page } from 'playwright-core';

const POINTS = Number(process.env.CAIRN_BENCH_UI_CHART_POINTS ?? 1_000_000);
const SPIKE_STEP = Math.floor(POINTS * 0.618);
const OVERLAY_RUNS = 100;
const OVERLAY_POINTS = 10_000;
const MANY_KEYS = 500;
const BATCH = 1000;
const LOSS_PAINTED = `.cairn-chart-plot[data-metric="loss"] .uplot[data-paint-ms]`;

export interface Figure {
  name: string;
  measured: string;
  target: string;
}

type Post = (path: string, body: unknown) => Promise<Record<string, unknown>>;

const postTo =
  (base: string): Post =>
  async (path, body) => {
    const response = await fetch(`${base}/api/2.0/mlflow/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    return response.json() as Promise<Record<string, unknown>>;
  };

/** The experiment's id and whether it already existed (then its runs are there from an earlier bench). */
const experiment = async (base: string, post: Post, name: string) => {
  const existing = await fetch(`${base}/api/2.0/mlflow/experiments/get-by-name?experiment_name=${encodeURIComponent(name)}`);
  if (existing.ok) return { id: ((await existing.json()) as { experiment: { experiment_id: string } }).experiment.experiment_id, seeded: true };
  return { id: ((await post('experiments/create', { name })) as { experiment_id: string }).experiment_id, seeded: false };
};

const createRun = async (post: Post, experimentId: string, name: string) =>
  ((await post('runs/create', { experiment_id: experimentId, run_name: name, start_time: 1_700_000_000_000 })) as { run: { info: { run_id: string } } }).run.info.run_id;

/** Logs `points` points of `key` in batches of 1,000, four batches in flight. */
const logHistory = async (post: Post, runId: string, key: string, points: number, value: (step: number) => number) => {
  const pending: Promise<unknown>[] = [];
  for (let from = 0; from < points; from += BATCH) {
    const metrics = Array.from({ length: Math.min(BATCH, points - from) }, (_, i) => ({ key, step: from + i, timestamp: 1_700_000_000_000 + (from + i) * 10, value: value(from + i) }));
    pending.push(post('runs/log-batch', { run_id: runId, metrics }));
    if (pending.length >= 4) await Promise.all(pending.splice(0));
  }
  await Promise.all(pending);
};

const seed = async (base: string) => {
  const post = postTo(base);
  const started = performance.now();
  const big = await experiment(base, post, `bench-ui-history-${POINTS}`);
  if (!big.seeded) {
    const runId = await createRun(post, big.id, 'big history');
    await logHistory(post, runId, 'loss', POINTS, (step) => (step === SPIKE_STEP ? 50 : Math.exp(-step / (POINTS / 3))));
  }
  const overlay = await experiment(base, post, `bench-ui-overlay-${OVERLAY_RUNS}x${OVERLAY_POINTS}`);
  if (!overlay.seeded) {
    let next = 0;
    const worker = async () => {
      for (let r = next++; r < OVERLAY_RUNS; r = next++) {
        const runId = await createRun(post, overlay.id, `overlay-${r}`);
        await logHistory(post, runId, 'loss', OVERLAY_POINTS, (step) => Math.exp(-step / 3000) * (1 + r / 100) + 0.01 * Math.sin(step / 50 + r));
      }
    };
    await Promise.all(Array.from({ length: 2 }, worker));
  }
  const wide = await experiment(base, post, `bench-ui-keys-${MANY_KEYS}`);
  if (!wide.seeded) {
    const runId = await createRun(post, wide.id, 'many metrics');
    // 20 points per key, 500 keys: ten batches of 1,000 points.
    for (let step = 0; step < 20; step += 2) {
      const metrics = Array.from({ length: MANY_KEYS }, (_, k) => [step, step + 1].map((s) => ({ key: `metric_${String(k).padStart(3, '0')}`, step: s, timestamp: 1_700_000_000_000 + s, value: Math.sin(k + s) }))).flat();
      await post('runs/log-batch', { run_id: runId, metrics });
    }
  }
  const all = [big, overlay, wide];
  return { big: big.id, overlay: overlay.id, wide: wide.id, seededMs: all.every((e) => e.seeded) ? undefined : performance.now() - started };
};

/** Page-side milliseconds from the navigation's start until `expression` holds (polled every frame). */
const timeUntil = async (page: Page, url: string, expression: string, timeout = 120_000) => {
  await page.goto('about:blank');
  await page.goto(url);
  const handle = await page.waitForFunction(`(${expression}) ? performance.now() : false`, undefined, { polling: 'raf', timeout });
  return (await handle.jsonValue()) as number;
};

const coldAndMedian = async (page: Page, url: string, expression: string) => {
  const cold = await timeUntil(page, url, expression);
  const warm: number[] = [];
  for (let i = 0; i < 3; i++) warm.push(await timeUntil(page, url, expression));
  return { cold, median: warm.sort((a, b) => a - b)[1]! };
};

/**
 * Whether the plot draws a run's colour far above the rest near the spike's x: in the top quarter of the
 * plot, column by column, the coloured pixels (the grid is grey); the spike's columns stand out from the
 * median column.
 */
const spikeDrawn = async (page: Page, fraction: number) =>
  (await page.evaluate(`(() => {
    const plot = document.querySelector('.cairn-chart-plot[data-metric="loss"]');
    const canvas = plot.querySelector('canvas');
    const over = plot.querySelector('.u-over').getBoundingClientRect();
    const box = canvas.getBoundingClientRect();
    const scale = canvas.width / box.width;
    const left = Math.round((over.left - box.left) * scale);
    const top = Math.round((over.top - box.top) * scale);
    const width = Math.round(over.width * scale);
    const height = Math.round(over.height * scale / 4);
    const pixels = canvas.getContext('2d').getImageData(left, top, width, height).data;
    const counts = new Array(width).fill(0);
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      const r = pixels[i], g = pixels[i + 1], b = pixels[i + 2];
      if (pixels[i + 3] > 20 && Math.max(r, g, b) - Math.min(r, g, b) > 30) counts[x]++;
    }
    const median = [...counts].sort((a, b) => a - b)[Math.floor(width / 2)];
    const at = Math.round(width * ${fraction});
    const near = counts.slice(Math.max(0, Math.round(at - width * 0.015)), Math.round(at + width * 0.015));
    return Math.max(...near) >= median + height / 2;
  })()`)) as boolean;

const ms = (value: number) => `${Math.round(value)} ms`;

export const benchCharts = async (base: string, page: Page): Promise<Figure[]> => {
  const ids = await seed(base);
  if (ids.seededMs !== undefined) console.log(`  charts data seeded in ${(ids.seededMs / 1000).toFixed(1)} s`);
  const figures: Figure[] = [];

  const big = await coldAndMedian(page, `${base}/#/experiments/${ids.big}?view=charts`, `document.querySelector('${LOSS_PAINTED}')`);
  const spike = await spikeDrawn(page, SPIKE_STEP / (POINTS - 1));
  figures.push({ name: `${POINTS.toLocaleString('en')}-point history painted`, measured: `${ms(big.median)} (cold ${ms(big.cold)}), spike ${spike ? 'drawn' : 'NOT drawn'}`, target: '< 500 ms, spike visible' });

  const overlaid = await coldAndMedian(page, `${base}/#/experiments/${ids.overlay}?view=charts`, `document.querySelector('${LOSS_PAINTED}') && !document.querySelector('.cairn-chart-title small')?.textContent.includes('loading')`);
  figures.push({ name: `${OVERLAY_RUNS} runs x ${OVERLAY_POINTS.toLocaleString('en')} points overlaid`, measured: `${ms(overlaid.median)} (cold ${ms(overlaid.cold)})`, target: '< 1 s' });

  const firstWide = `document.querySelector('.cairn-chart-plot .uplot[data-paint-ms]')`;
  const wide = await coldAndMedian(page, `${base}/#/experiments/${ids.wide}?view=charts`, firstWide);
  const mounted = await page.locator('.cairn-chart-plot .uplot').count();
  // One edit of the metric filter until the grid holds only the ten matching charts (metric_490..499).
  await page.waitForFunction(`document.querySelectorAll('.cairn-chart-plot').length > 0 && /\\b${MANY_KEYS} of ${MANY_KEYS}\\b/.test(document.querySelector('.cairn-charts-toolbar small')?.textContent ?? '')`);
  const keystroke = (await page.evaluate(`(async () => {
    const input = document.querySelector('.cairn-charts-toolbar input[type="search"]');
    input.focus();
    const start = performance.now();
    const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
    setter.call(input, 'metric_49');
    input.dispatchEvent(new Event('input', { bubbles: true }));
    await new Promise((resolve) => {
      const check = () => (/^10 of ${MANY_KEYS}/.test(document.querySelector('.cairn-charts-toolbar small')?.textContent ?? '') ? requestAnimationFrame(() => resolve()) : requestAnimationFrame(check));
      check();
    });
    return performance.now() - start;
  })()`)) as number;
  figures.push({ name: `run with ${MANY_KEYS} metric keys: charts view`, measured: `first chart ${ms(wide.median)} (cold ${ms(wide.cold)}), ${mounted} charts mounted`, target: '(responds)' });
  figures.push({ name: `  ... filter edit to 10 of ${MANY_KEYS} painted`, measured: ms(keystroke), target: '(responds)' });
  return figures;
};
