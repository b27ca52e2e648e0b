import { describe, expect, it } from 'vitest';
import { useE2eSession } from './support/session.js';
import { checkPage } from './support/checks.js';
import { api } from './support/seed.js';

/** Histories whose last, min and max each order the runs differently. */
const HISTORIES: Record<string, number[]> = {
  alpha: [5, 1, 9],
  bravo: [3, 4, 2],
  charlie: [0.5, 7, 6],
  delta: [8, 3, 4],
};
const byMin = ['charlie', 'alpha', 'bravo', 'delta'];
const byLast = ['bravo', 'delta', 'charlie', 'alpha'];

/**
 * Metric cells beyond MLflow's last value: a metric column shows last, min or max, and sorts by it on the
 * server through Cairn's search extension (`POST /api/2.0/cairn/runs/search`, `metrics.<key>.min` in order_by).
 */
describe("sorting runs by a metric's min", () => {
  let experimentId: string;
  const runIds: Record<string, string> = {};

  const session = useE2eSession(async (server) => {
    const client = api(server.url);
    ({ experiment_id: experimentId } = await client.post<{ experiment_id: string }>('experiments/create', { name: 'e2e-min' }));
    const t0 = Date.UTC(2026, 11, 1);
    for (const [name, values] of Object.entries(HISTORIES)) {
      const { run } = await client.post<{ run: { info: { run_id: string } } }>('runs/create', { experiment_id: experimentId, run_name: name, start_time: t0 });
      runIds[name] = run.info.run_id;
      await client.post('runs/log-batch', {
        run_id: run.info.run_id,
        metrics: values.map((value, step) => ({ key: 'score', value, timestamp: t0 + step, step })),
      });
      await client.post('runs/update', { run_id: run.info.run_id, status: 'FINISHED', end_time: t0 + 10 });
    }
  });

  const rows = () => session.page.locator('[role="grid"] [role="row"][data-run-id]');
  const rowNames = () => rows().locator('.name-cell a').allTextContents();
  const header = () => session.page.locator('[role="columnheader"][data-column="metrics.score"]');
  const openMenu = () => header().locator('.th-menu').click();
  /** Each run's score cell, by run name. */
  const scores = async () => {
    const column = await header().getAttribute('aria-colindex');
    const names = await rowNames();
    const cells = await rows().locator(`[role="gridcell"][aria-colindex="${column}"]`).allTextContents();
    return Object.fromEntries(names.map((name, i) => [name, cells[i]]));
  };

  it('offers last, min and max for a metric column and shows each run\'s min', async () => {
    await session.page.goto(`${session.server.url}/#/experiments/${experimentId}`);
    await expect.poll(() => rows().count()).toBe(4);
    expect(await scores()).toEqual({ alpha: '9', bravo: '2', charlie: '6', delta: '4' });
    await openMenu();
    const show = session.page.getByRole('group', { name: 'Show' }).getByRole('menuitemradio');
    expect(await show.allTextContents()).toEqual(['Show last', 'Show min', 'Show max']);
    expect(await show.first().getAttribute('aria-checked')).toBe('true');
    await session.page.getByRole('menuitemradio', { name: 'Show min' }).click();
    await expect.poll(scores).toEqual({ alpha: '1', bravo: '2', charlie: '0.5', delta: '3' });
  });

  it('sorts by the min on the server', async () => {
    await openMenu();
    const [request] = await Promise.all([
      session.page.waitForRequest((r) => r.url().endsWith('/api/2.0/cairn/runs/search') && (r.postData() ?? '').includes('.min')),
      session.page.getByRole('menuitem', { name: 'Sort ↑ by min' }).click(),
    ]);
    expect((request.postDataJSON() as { order_by: string[] }).order_by).toEqual(['metrics.score.min ASC']);
    const answer = (await (await request.response())!.json()) as { runs: { info: { run_id: string } }[] };
    expect(answer.runs.map((run) => run.info.run_id)).toEqual(byMin.map((name) => runIds[name]));
    await expect.poll(rowNames).toEqual(byMin);
    expect(decodeURIComponent(session.page.url())).toContain('sort=metrics.score');
    await checkPage(session.page, 'runs-sorted-by-min');

    await session.page.reload();
    await expect.poll(rowNames).toEqual(byMin);
    expect(await scores()).toEqual({ alpha: '1', bravo: '2', charlie: '0.5', delta: '3' });
  });

  it('sorts by the last value and by the max as well', async () => {
    await openMenu();
    await session.page.getByRole('menuitem', { name: 'Sort ↑', exact: true }).click();
    await expect.poll(rowNames).toEqual(byLast);
    await openMenu();
    await session.page.getByRole('menuitem', { name: 'Sort ↓ by max' }).click();
    await expect.poll(rowNames).toEqual(['alpha', 'delta', 'charlie', 'bravo']);
  });

  it('raised no uncaught error in the page', () => {
    expect(session.pageErrors).toEqual([]);
  });
});
