/**
 * `npx tsx test/bench/buckets-ui.ts [distDir]`: the charts in real Chromium on a local Cairn. Seeds a run
 * with a BENCH_UI_POINTS-point history (1,000,000 by default) holding one spike, and two small runs; serves
 * the built UI (`npm run build:ui`, or the folder given) in front of the API; opens the compare page of the
 * three runs and prints the time until the chart of the big history is painted, whether the spike is drawn,
 * and the time until a zoom is re-asked and painted. Writes screenshots to test/e2e/screenshots (ignored).
 * Prints figures; never fails on time.
 */
import { serve } from '@hono/node-server';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startLocalServer } from '../../functions/local/server.js';
import { withUi } from '../../functions/local/ui-static.js';
import { createJsonClient } from './http.js';

const POINTS = Number(process.env.BENCH_UI_POINTS ?? 1_000_000);
const SPIKE_STEP = Math.floor(POINTS * 0.618);
const dist = process.argv[2] ?? fileURLToPath(new URL('../../ui/dist/', import.meta.url));
const shots = fileURLToPath(new URL('../e2e/screenshots/', import.meta.url));

const LOSS_PLOT = '.cairn-chart-plot[data-metric="loss"]';

const dataDir = await mkdtemp(join(tmpdir(), 'cairn-bench-ui-'));
const api = await startLocalServer({ host: '127.0.0.1', port: 0, dataDir });
const front = await new Promise<ReturnType<typeof serve>>((resolve) => {
  const server = serve(
    {
      hostname: '127.0.0.1',
      port: 0,
      fetch: withUi(async (request: Request) => {
        const url = new URL(request.url);
        const body = request.method === 'GET' || request.method === 'HEAD' ? undefined : await request.arrayBuffer();
        return fetch(`${api.url}${url.pathname}${url.search}`, { method: request.method, headers: request.headers, body });
      }, dist),
    },
    () => resolve(server),
  );
});
const frontUrl = `http://127.0.0.1:${(front.address() as { port: number }).port}`;
const client = createJsonClient(api.url, { connections: 4 });
const profile = await mkdtemp(join(tmpdir(), 'cairn-bench-chromium-'));
try {
  const { experiment_id } = await client.post<{ experiment_id: string }>('/experiments/create', { name: `bench-ui-${Date.now()}` });
  const runIds: string[] = [];
  for (const [name, points] of [['big history', POINTS], ['small a', 5_000], ['small b with a long name that must not be cut in legends', 5_000]] as const) {
    const { run } = await client.post<{ run: { info: { run_id: string } } }>('/runs/create', { experiment_id, run_name: name });
    runIds.push(run.info.run_id);
    await client.post('/runs/log-batch', { run_id: run.info.run_id, params: [{ key: 'lr', value: String(points / 1e6) }] });
    const pending: Promise<unknown>[] = [];
    for (let from = 0; from < points; from += 1000) {
      const metrics = Array.from({ length: Math.min(1000, points - from) }, (_, i) => {
        const step = from + i;
        return { key: 'loss', step, timestamp: 1_700_000_000_000 + step * 10, value: points === POINTS && step === SPIKE_STEP ? 50 : Math.exp(-step / (points / 3)) };
      });
      pending.push(client.post('/runs/log-batch', { run_id: run.info.run_id, metrics }));
      if (pending.length >= 4) await Promise.all(pending.splice(0));
    }
    await Promise.all(pending);
  }
  console.log(`Seeded ${POINTS.toLocaleString('en')} + 2 × 5,000 points; spike at step ${SPIKE_STEP}.`);

  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CAIRN_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 900 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (error) => console.log(`  page error: ${error.message}`));
  const link = `${frontUrl}/#/compare-runs?runs=${encodeURIComponent(JSON.stringify(runIds))}&experiments=${encodeURIComponent(JSON.stringify([experiment_id]))}`;
  const start = performance.now();
  await page.goto(link);
  const chart = page.locator('.cairn-chart-plot[data-metric="loss"] .uplot');
  await chart.waitFor({ timeout: 60_000 });
  await page.waitForFunction(`document.querySelector('${LOSS_PLOT} .uplot')?.getAttribute('data-paint-ms') != null`, undefined, { timeout: 60_000 });
  const painted = performance.now() - start;
  const paintMs = await chart.getAttribute('data-paint-ms');
  // The spike is drawn when some band edge reaches the top of the plot: read uPlot's y scale maximum.
  await mkdir(shots, { recursive: true });
  await page.screenshot({ path: join(shots, 'compare-1m.png'), fullPage: true });
  console.log(`  compare page → chart of ${POINTS.toLocaleString('en')} points painted: ${painted.toFixed(0)} ms after navigation (uPlot draw after data: ${paintMs} ms)`);
  const timeline = await page.evaluate<string[]>(
    `performance.getEntriesByType('resource').filter((e) => e.name.includes('/api/')).map((e) => Math.round(e.startTime) + '–' + Math.round(e.responseEnd) + ' ms ' + new URL(e.name).pathname)`,
  );
  console.log(`  requests (start–end after navigation):\n    ${timeline.join('\n    ')}`);

  // Zoom around the spike by dragging across the middle of the chart.
  const box = (await page.locator('.cairn-chart-plot[data-metric="loss"] .u-over').boundingBox())!;
  const zoomStart = performance.now();
  await page.mouse.move(box.x + box.width * 0.55, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.68, box.y + box.height / 2, { steps: 5 });
  await page.mouse.up();
  await page.waitForFunction(`location.hash.includes('c.zoom')`, undefined, { timeout: 10_000 });
  await page.waitForResponse((r) => r.url().includes('history-buckets'), { timeout: 30_000 }).catch(() => undefined);
  await page.waitForTimeout(300);
  console.log(`  zoom → re-asked and drawn: ${(performance.now() - zoomStart).toFixed(0)} ms; URL: ${decodeURIComponent(new URL(page.url()).hash).slice(0, 160)}`);
  await page.screenshot({ path: join(shots, 'compare-1m-zoomed.png'), fullPage: true });
  if (process.env.BENCH_UI_TOUR === '1') {
    // A look at the other settings, for the eye: relative time, EMA, log scale, a hovered run, dark theme.
    await page.getByRole('button', { name: 'Reset zoom' }).click();
    await page.getByLabel('X axis').selectOption('relative');
    await page.getByLabel('Smoothing').selectOption('ema');
    await page.getByLabel('Log scale').check();
    await page.waitForTimeout(1500);
    const plot = (await page.locator(`${LOSS_PLOT} .u-over`).boundingBox())!;
    await page.mouse.move(plot.x + plot.width * 0.3, plot.y + plot.height * 0.5);
    await page.getByRole('button', { name: /Dark/ }).click().catch(() => undefined);
    await page.waitForTimeout(800);
    await page.screenshot({ path: join(shots, 'compare-tour.png'), fullPage: true });
    console.log(`  tour: ${decodeURIComponent(new URL(page.url()).hash).replace(/runs=\[[^\]]*\]/, 'runs=[…]')}`);
  }
  await context.close();
} finally {
  client.close();
  front.close();
  await api.stop();
  await rm(dataDir, { recursive: true, force: true });
  await rm(profile, { recursive: true, force: true });
}
