import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startLocalServer, type LocalServer } from '../../functions/local/server.js';
import { launchBrowser, screenshot, seriousViolations, type Browser } from './support/browser.js';
import { api, seedExperiment, type Seed } from './support/seed.js';

/**
 * The web UI in Debian's Chromium against `npm start`'s server, seeded through the API as the MLflow client
 * would. Each step leaves a screenshot in test/e2e/screenshots/ and checks the page with axe-core.
 */
describe('the web UI in Chromium', () => {
  let server: LocalServer;
  let browser: Browser;
  let page: Page;
  let seed: Seed;
  let client: ReturnType<typeof api>;
  const pageErrors: string[] = [];

  const open = async (hashPath: string) => {
    await page.goto(`${server.url}/#${hashPath}`);
  };
  const check = async (name: string) => {
    await page.waitForLoadState('networkidle');
    await screenshot(page, name);
    const violations = await seriousViolations(page);
    expect(violations.map((v) => `${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  };
  const rows = () => page.locator('[role="grid"] [role="row"][data-run-id]');
  const rowNames = () => rows().locator('.name-cell a').allTextContents();
  const headerIds = () => page.$$eval('[role="columnheader"][data-column]', (els) => els.map((el) => el.getAttribute('data-column')));
  const columnMenu = async (columnId: string, item: string) => {
    await page.locator(`[role="columnheader"][data-column="${columnId}"] .th-menu`).click();
    await page.getByRole('menuitem', { name: item, exact: true }).click();
  };
  const runOf = async (runId: string) =>
    (await client.get<{ run: { info: { lifecycle_stage: string }; data: { tags?: { key: string; value: string }[] } } }>('runs/get', { run_id: runId })).run;

  beforeAll(async () => {
    server = await startLocalServer({ port: 0 });
    client = api(server.url);
    seed = await seedExperiment(server.url, 'e2e-vision');
    browser = await launchBrowser();
    page = browser.page;
    page.on('pageerror', (error) => pageErrors.push(error.message));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('opens the link the MLflow client prints on the run page', async () => {
    await open(`/experiments/${seed.experimentId}/runs/${seed.main.runId}`);
    await expect.poll(() => page.locator('h1').textContent()).toBe('run-01');
    await page.getByRole('link', { name: 'fold-1' }).waitFor();
    await page.locator('.sparkline path').first().waitFor();
    await check('run-overview');
  });

  it('lists experiments, searchable by name', async () => {
    await open('/');
    await page.getByRole('link', { name: 'e2e-vision' }).waitFor();
    await page.getByLabel('Search experiments').fill('vision');
    await page.getByLabel('Search experiments').press('Enter');
    await expect.poll(() => page.locator('.experiment-name').allTextContents()).toEqual(['e2e-vision']);
    await check('experiments');
  });

  it("filters runs with MLflow's grammar and shows the server's message for a bad filter", async () => {
    await open(`/experiments/${seed.experimentId}`);
    await expect.poll(() => rows().count()).toBe(8);
    const filter = page.getByRole('combobox', { name: 'Filter runs' });
    await filter.fill('metrics.acc > 0.8');
    await filter.press('Enter');
    await expect.poll(rowNames).toEqual(['run-08', 'run-07', 'run-06']);
    expect(page.url()).toContain('filter=metrics.acc');

    const bad = 'metrics.acc >>> 1';
    const serverSays = (await (await client.raw('runs/search', { experiment_ids: [seed.experimentId], filter: bad })).json()) as { message: string };
    await filter.fill(bad);
    await filter.press('Enter');
    await expect.poll(() => page.getByRole('alert').textContent()).toBe(serverSays.message);
    await check('runs-bad-filter');
  });

  it('moves and hides a column, and finds it so after a reload', async () => {
    await open(`/experiments/${seed.experimentId}`);
    await expect.poll(() => rows().count()).toBe(8);
    const before = await headerIds();
    expect(before.indexOf('params.batch_size')).toBeLessThan(before.indexOf('params.lr'));
    await columnMenu('params.lr', 'Move left');
    await columnMenu('params.model', 'Hide column');
    const after = await headerIds();
    expect(after.indexOf('params.lr')).toBe(before.indexOf('params.batch_size'));
    expect(after).not.toContain('params.model');

    await page.reload();
    await expect.poll(() => rows().count()).toBe(8);
    expect(await headerIds()).toEqual(after);
    await check('runs-table');
  });

  it('cuts a long value to one line with an ellipsis inside its cell, the whole value in the title', async () => {
    await open(`/experiments/${seed.experimentId}`);
    await expect.poll(() => rows().count()).toBe(8);
    const run07 = seed.runs.find((run) => run.name === 'run-07')!;
    const lr = String(0.1 / 7);
    const column = Number(await page.locator('[role="columnheader"][data-column="params.lr"]').getAttribute('aria-colindex'));
    const cell = page.locator(`[role="row"][data-run-id="${run07.runId}"] [role="gridcell"][aria-colindex="${column}"]`);
    const layout = await cell.evaluate((td) => {
      const text = td.querySelector('.cell-text')!;
      const next = td.parentElement!.querySelector(`[aria-colindex="${Number(td.getAttribute('aria-colindex')) + 1}"]`)!;
      const view = td.ownerDocument.defaultView!;
      const style = view.getComputedStyle(text);
      const cellStyle = view.getComputedStyle(td);
      const cellBox = td.getBoundingClientRect();
      return {
        text: text.textContent,
        title: td.getAttribute('title'),
        cut: text.scrollWidth > text.clientWidth,
        clip: { overflowX: style.overflowX, textOverflow: style.textOverflow, whiteSpace: style.whiteSpace },
        textRight: text.getBoundingClientRect().right,
        contentRight: cellBox.right - parseFloat(cellStyle.paddingRight) - parseFloat(cellStyle.borderRightWidth),
        cellRight: cellBox.right,
        nextLeft: next.getBoundingClientRect().left,
      };
    });
    expect(layout).toMatchObject({ text: lr, title: lr, cut: true, clip: { overflowX: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' } });
    // What is drawn ends inside the cell's padding, and the cell ends where its neighbour starts.
    expect(layout.textRight).toBeLessThanOrEqual(layout.contentRight);
    expect(layout.cellRight).toBeLessThanOrEqual(layout.nextLeft);
  });

  it('lines up the pinned and the scrolling parts of the header and of every row', async () => {
    const boxes = await page.locator('[role="grid"] [role="row"]').evaluateAll((rowElements) =>
      rowElements.map((row) => {
        const box = (element: typeof row) => element.getBoundingClientRect();
        const cellsOf = (selector: string) => [...row.querySelectorAll(`${selector} [role="columnheader"], ${selector} [role="gridcell"]`)].map(box);
        const pinned = cellsOf('.pinned-group');
        const scrolling = cellsOf('.scrolling-group');
        const all = [...pinned, ...scrolling];
        return {
          counts: [pinned.length, scrolling.length],
          tops: [...new Set(all.map((cell) => cell.top))].length,
          bottoms: [...new Set(all.map((cell) => cell.bottom))].length,
          top: box(row).top,
          cellTop: all[0]!.top,
          // The row draws the one bottom border under both parts.
          bottomBorder: box(row).bottom - all[0]!.bottom,
          borderWidth: parseFloat(row.ownerDocument.defaultView!.getComputedStyle(row).borderBottomWidth),
          bottom: box(row).bottom,
          // The row (its border and background) reaches the last column.
          shortBy: Math.max(...all.map((cell) => cell.right)) - box(row).right,
        };
      }),
    );
    expect(boxes.length).toBe(9);
    for (const [index, row] of boxes.entries()) {
      expect(row.counts.every((count) => count > 0)).toBe(true);
      expect({ tops: row.tops, bottoms: row.bottoms }).toEqual({ tops: 1, bottoms: 1 });
      expect(row.cellTop).toBe(row.top);
      expect(row.bottomBorder).toBe(row.borderWidth);
      expect(row.borderWidth).toBe(1);
      expect(row.shortBy).toBeLessThanOrEqual(0);
      if (index > 0) expect(row.top).toBe(boxes[index - 1]!.bottom);
    }
  });

  it('sorts on the server by a metric column', async () => {
    await open(`/experiments/${seed.experimentId}`);
    await columnMenu('metrics.acc', 'Sort ↑');
    await expect.poll(rowNames).toEqual(['run-01', 'run-02', 'run-03', 'run-04', 'run-05', 'run-06', 'run-07', 'run-08']);
    expect(decodeURIComponent(page.url())).toContain('sort=metrics.acc:asc');
  });

  it('selects three runs with click and shift-click and opens compare', async () => {
    await open(`/experiments/${seed.experimentId}`);
    await expect.poll(async () => (await rowNames())[0]).toBe('run-08');
    const ids = await rows().evaluateAll((els) => els.map((el) => el.getAttribute('data-run-id') ?? ''));
    await rows().nth(0).locator('input[type="checkbox"]').click();
    await rows().nth(2).locator('input[type="checkbox"]').click({ modifiers: ['Shift'] });
    await expect.poll(() => page.locator('[role="row"][aria-selected="true"]').count()).toBe(3);
    await page.getByRole('button', { name: 'Compare' }).click();
    await page.waitForURL(/compare-runs/);
    const search = new URLSearchParams(new URL(page.url()).hash.split('?')[1]);
    expect(JSON.parse(search.get('runs') ?? '[]')).toEqual(ids.slice(0, 3));
    expect(JSON.parse(search.get('experiments') ?? '[]')).toEqual([seed.experimentId]);
    await page.locator('#main').getByText('Loading', { exact: false }).first().waitFor({ state: 'hidden', timeout: 20_000 });
    await page.getByText('run-08').first().waitFor();
    await check('compare');
  });

  it('shows the charts of the runs beside the table, the choice kept in the URL', async () => {
    await open(`/experiments/${seed.experimentId}`);
    await expect.poll(() => rows().count()).toBe(8);
    await page.getByRole('button', { name: 'Charts', exact: true }).click();
    expect(page.url()).toContain('view=charts');
    await page.locator('.charts-host').getByText('loss', { exact: true }).first().waitFor();
    await page.waitForLoadState('networkidle');
    await screenshot(page, 'runs-charts');
    await page.getByRole('button', { name: 'Table', exact: true }).click();
    await expect.poll(() => rows().count()).toBe(8);
  });

  it('edits a run description', async () => {
    await open(`/experiments/${seed.experimentId}/runs/${seed.runs[1]!.runId}`);
    await page.getByRole('button', { name: 'Edit description' }).click();
    await page.getByLabel('Description text').fill('Tried a lower learning rate.');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.locator('.description-text', { hasText: 'Tried a lower learning rate.' }).waitFor();
    const run = await runOf(seed.runs[1]!.runId);
    expect(run.data.tags?.find((t) => t.key === 'mlflow.note.content')?.value).toBe('Tried a lower learning rate.');
  });

  it('browses artifacts and previews an image, a JSON, an MLmodel, HTML and the head of a big log; downloads one', async () => {
    await open(`/experiments/${seed.experimentId}/runs/${seed.main.runId}`);
    await page.getByRole('link', { name: 'Artifacts' }).click();
    const tree = page.getByRole('list', { name: 'Artifact files' });
    await tree.getByRole('button', { name: 'plots' }).click();
    await tree.getByRole('button', { name: 'roc.png' }).click();
    await expect.poll(() => page.locator('img.image-preview').evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBe(240);
    expect(page.url()).toContain('/artifacts/plots/roc.png');
    await check('artifact-image');

    await tree.getByRole('button', { name: 'metrics.json' }).click();
    await page.locator('.json-view .json-key', { hasText: '"accuracy"' }).waitFor();
    await check('artifact-json');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download' }).click()]);
    expect(download.suggestedFilename()).toBe('metrics.json');
    expect(await readFile((await download.path())!, 'utf8')).toBe(seed.metricsJson);

    await tree.getByRole('button', { name: 'model' }).click();
    await tree.getByRole('button', { name: 'MLmodel' }).click();
    await expect.poll(() => page.getByRole('table', { name: 'MLmodel summary' }).locator('tr').first().textContent()).toBe('Flavorspython_function, sklearn');
    await check('artifact-mlmodel');

    await tree.getByRole('button', { name: 'report.html' }).click();
    const frame = page.locator('iframe.html-preview');
    expect(await frame.getAttribute('sandbox')).toBe('');
    await page.frameLocator('iframe.html-preview').getByRole('heading', { name: 'Report' }).waitFor();
    expect(await page.title()).not.toBe('pwned');

    await tree.getByRole('button', { name: 'train.log' }).click();
    await page.locator('.preview-note', { hasText: 'Showing the first 256 KB' }).waitFor();
  });

  it('deletes a run and restores it', async () => {
    const target = seed.runs[7]!;
    await open(`/experiments/${seed.experimentId}`);
    await expect.poll(() => rows().count()).toBe(8);
    await page.locator(`[role="row"][data-run-id="${target.runId}"] input[type="checkbox"]`).click();
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await expect.poll(() => rows().count()).toBe(7);
    expect((await runOf(target.runId)).info.lifecycle_stage).toBe('deleted');

    await page.getByRole('button', { name: 'Deleted', exact: true }).click();
    await expect.poll(rowNames).toEqual([target.name]);
    await page.locator(`[role="row"][data-run-id="${target.runId}"] input[type="checkbox"]`).click();
    await page.getByRole('button', { name: 'Restore', exact: true }).click();
    await expect.poll(() => rows().count()).toBe(0);
    expect((await runOf(target.runId)).info.lifecycle_stage).toBe('active');
  });

  it('does it all by keyboard: search, open, select three runs, compare, open a run, help', async () => {
    await open('/');
    await page.locator('.experiment-name').first().waitFor();
    await page.keyboard.press('/');
    await page.keyboard.type('e2e-vision');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.experiment-name').allTextContents()).toEqual(['e2e-vision']);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`#/experiments/${seed.experimentId}$`));
    await expect.poll(() => rows().count()).toBe(8);

    await page.keyboard.press('Control+k');
    await page.keyboard.press('ArrowDown');
    for (const key of ['x', 'j', 'x', 'j', 'x']) await page.keyboard.press(key);
    await expect.poll(() => page.locator('[role="row"][aria-selected="true"]').count()).toBe(3);
    await page.keyboard.press('c');
    await page.waitForURL(/compare-runs/);
    await page.goBack();
    await expect.poll(() => rows().count()).toBe(8);

    await page.keyboard.press('/');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('j');
    const second = await rows().nth(1).getAttribute('data-run-id');
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`/runs/${second}$`));

    await page.keyboard.press('?');
    await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
    await check('help');
    await page.keyboard.press('Escape');
    await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor({ state: 'hidden' });
  });

  it('has a dark theme that passes the same checks', async () => {
    await open(`/experiments/${seed.experimentId}`);
    await page.getByRole('button', { name: 'Switch to dark theme' }).click();
    await expect.poll(() => rows().count()).toBe(8);
    await check('runs-dark');
    await open(`/experiments/${seed.experimentId}/runs/${seed.main.runId}`);
    await page.locator('h1', { hasText: 'run-01' }).waitFor();
    await check('run-dark');
    await page.getByRole('button', { name: 'Switch to light theme' }).click();
  });

  it('raised no uncaught error in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
