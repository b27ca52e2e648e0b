import { describe, expect, it } from 'vitest';
import { useE2eSession } from './support/session.js';
import { checkPage } from './support/checks.js';
import { api } from './support/seed.js';

const POINTS = 50_000;
const SPIKE_STEP = 31_337;
const SPIKE = 50;
/** A slow wave around 1, far below the spike everywhere else. */
const valueAt = (step: number) => (step === SPIKE_STEP ? SPIKE : 1 + 0.25 * Math.sin(step / 700));

/**
 * A 50,000-point history with one planted spike, charted from the server's buckets: the spike is drawn in the
 * overview, still drawn at full height when zoomed around it (the server asked again for that range), and gone
 * from a zoomed range that does not hold it. The chart marks what it drew on uPlot's root (`data-x-min`,
 * `data-x-max`, `data-y-max`: see LineChart's markVisibleRange).
 */
describe('a zoomed chart keeps a planted spike', () => {
  let experimentId: string;

  const session = useE2eSession(async (server) => {
    const client = api(server.url);
    ({ experiment_id: experimentId } = await client.post<{ experiment_id: string }>('experiments/create', { name: 'e2e-spike' }));
    const { run } = await client.post<{ run: { info: { run_id: string } } }>('runs/create', {
      experiment_id: experimentId,
      run_name: 'long-run',
      start_time: Date.UTC(2026, 11, 1),
    });
    const t0 = Date.UTC(2026, 11, 1);
    for (let from = 0; from < POINTS; from += 1000) {
      const metrics = Array.from({ length: 1000 }, (_, i) => ({ key: 'loss', value: valueAt(from + i), timestamp: t0 + from + i, step: from + i }));
      await client.post('runs/log-batch', { run_id: run.info.run_id, metrics });
    }
    await client.post('runs/update', { run_id: run.info.run_id, status: 'FINISHED', end_time: t0 + POINTS });
  });

  const plot = () => session.page.locator('.cairn-chart-plot[data-metric="loss"] .uplot');
  const caption = () => session.page.locator('.cairn-chart', { has: session.page.locator('[data-metric="loss"]') }).locator('figcaption small');
  const drawn = async () => {
    const [xMin, xMax, yMax] = await Promise.all(['data-x-min', 'data-x-max', 'data-y-max'].map((name) => plot().getAttribute(name)));
    return { xMin: Number(xMin), xMax: Number(xMax), yMax: Number(yMax) };
  };
  /** Drags across the plot from step `from` to step `to`, mapped through the x range now drawn. */
  const dragZoom = async (from: number, to: number) => {
    const { xMin, xMax } = await drawn();
    const over = (await plot().locator('.u-over').boundingBox())!;
    const at = (step: number) => over.x + ((step - xMin) / (xMax - xMin)) * over.width;
    const y = over.y + over.height / 2;
    await session.page.mouse.move(at(from), y);
    await session.page.mouse.down();
    await session.page.mouse.move((at(from) + at(to)) / 2, y, { steps: 4 });
    await session.page.mouse.move(at(to), y, { steps: 4 });
    await session.page.mouse.up();
  };
  /** The zoom the URL holds (`c.zoom=a..b`), once the chart has the zoomed range's answer. */
  const settledZoom = async () => {
    await expect.poll(() => session.page.url()).toContain('c.zoom=');
    await expect.poll(() => caption().textContent()).not.toBe('loading…');
    const zoom = new URLSearchParams(new URL(session.page.url()).hash.split('?')[1]).get('c.zoom')!;
    return zoom.split('..').map(Number) as [number, number];
  };

  it('draws the spike in the overview of all 50,000 points', async () => {
    await session.page.goto(`${session.server.url}/#/experiments/${experimentId}?view=charts`);
    await plot().waitFor();
    await expect.poll(() => caption().textContent()).toBe('50,000 points, min–max bands');
    await expect.poll(async () => (await drawn()).yMax).toBe(SPIKE);
    const { xMin, xMax } = await drawn();
    // Buckets are drawn at their last step: the first one sits a bucket's width in.
    expect(xMin).toBeLessThan(POINTS / 100);
    expect(xMax).toBe(POINTS - 1);
    await checkPage(session.page, 'chart-spike-overview');
  });

  it('keeps the spike at full height when zoomed around it', async () => {
    await dragZoom(SPIKE_STEP - 600, SPIKE_STEP + 600);
    const [from, to] = await settledZoom();
    expect(from).toBeLessThan(SPIKE_STEP);
    expect(to).toBeGreaterThan(SPIKE_STEP);
    expect(to - from).toBeLessThan(2000);
    await expect.poll(drawn).toMatchObject({ xMin: from, xMax: to, yMax: SPIKE });
    await checkPage(session.page, 'chart-spike-zoomed');
  });

  it('drops it from a zoomed range without it', async () => {
    await session.page.getByRole('button', { name: 'Reset zoom' }).click();
    await expect.poll(() => session.page.url()).not.toContain('c.zoom=');
    await expect.poll(async () => (await drawn()).yMax).toBe(SPIKE);
    await dragZoom(5_000, 15_000);
    const [from, to] = await settledZoom();
    expect(to < SPIKE_STEP || from > SPIKE_STEP).toBe(true);
    await expect.poll(async () => (await drawn()).xMin).toBe(from);
    const { yMax } = await drawn();
    expect(yMax).toBeLessThanOrEqual(1.25);
    expect(yMax).toBeGreaterThan(1.2);
    await checkPage(session.page, 'chart-spike-zoomed-away');
  });

  it('raised no uncaught error in the page', () => {
    expect(session.pageErrors).toEqual([]);
  });
});
