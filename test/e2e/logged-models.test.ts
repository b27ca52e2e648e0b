import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startLocalServer, type LocalServer } from '../../functions/local/server.js';
import { launchBrowser, type Browser } from './support/browser.js';
import { checkPage } from './support/checks.js';
import { api, MLMODEL } from './support/seed.js';

interface LoggedModel {
  info: { model_id: string; artifact_uri: string };
}

/**
 * An MLflow 3 logged model as `mlflow.<flavor>.log_model(name=...)` leaves it: created from a run, its files
 * put under its own artifact location through the proxied artifact service, then finalized. Its page lists and
 * previews those files.
 */
describe("a logged model's page", () => {
  let server: LocalServer;
  let browser: Browser;
  let page: Page;
  let experimentId: string;
  let runId: string;
  let model: LoggedModel;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    server = await startLocalServer({ port: 0 });
    const client = api(server.url);
    ({ experiment_id: experimentId } = await client.post<{ experiment_id: string }>('experiments/create', { name: 'e2e-models' }));
    const { run } = await client.post<{ run: { info: { run_id: string } } }>('runs/create', { experiment_id: experimentId, run_name: 'train' });
    runId = run.info.run_id;
    ({ model } = await client.post<{ model: LoggedModel }>('logged-models', {
      experiment_id: experimentId,
      name: 'classifier',
      model_type: 'sklearn',
      source_run_id: runId,
      params: [{ key: 'max_depth', value: '6' }],
    }));
    await client.putArtifact(model.info.artifact_uri, 'MLmodel', MLMODEL.replace('RUN_ID', runId));
    await client.putArtifact(model.info.artifact_uri, 'conda.yaml', 'name: env\ndependencies:\n  - python=3.11\n');
    await client.putArtifact(model.info.artifact_uri, 'metadata/requirements.txt', 'scikit-learn==1.3.0\n');
    const finalized = await fetch(`${server.url}/api/2.0/mlflow/logged-models/${model.info.model_id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model_id: model.info.model_id, status: 'LOGGED_MODEL_READY' }),
    });
    expect(finalized.status).toBe(200);
    browser = await launchBrowser();
    page = browser.page;
    page.on('pageerror', (error) => pageErrors.push(error.message));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const tree = () => page.getByRole('list', { name: 'Artifact files' });

  it('is reached from the experiment\'s logged models', async () => {
    await page.goto(`${server.url}/#/experiments/${experimentId}/models`);
    await page.getByRole('link', { name: 'classifier' }).click();
    await page.waitForURL((url) => url.hash === `#/experiments/${experimentId}/models/${model.info.model_id}`);
    await page.locator('h1', { hasText: 'classifier' }).waitFor();
    await page.getByRole('link', { name: runId }).waitFor();
    await expect.poll(() => tree().getByRole('button').allTextContents()).toEqual(['▸ metadata', '· conda.yaml', '· MLmodel']);
    await checkPage(page, 'logged-model');
  });

  it('lists its artifacts as a tree and previews its MLmodel, the path kept in the URL', async () => {
    await tree().getByRole('button', { name: 'metadata' }).click();
    await tree().getByRole('button', { name: 'requirements.txt' }).click();
    await expect.poll(() => page.locator('.artifact-preview pre.text-preview').textContent()).toBe('scikit-learn==1.3.0\n');
    expect(page.url()).toContain(`/models/${model.info.model_id}/artifacts/metadata/requirements.txt`);

    await tree().getByRole('button', { name: 'MLmodel' }).click();
    await expect.poll(() => page.getByRole('table', { name: 'MLmodel summary' }).locator('tr').first().textContent()).toBe('Flavorspython_function, sklearn');
    expect(page.url()).toContain(`/models/${model.info.model_id}/artifacts/MLmodel`);
    await checkPage(page, 'logged-model-mlmodel');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download' }).click()]);
    expect(download.suggestedFilename()).toBe('MLmodel');
  });

  it('opens on an artifact from its link', async () => {
    await page.goto(`${server.url}/#/experiments/${experimentId}/models/${model.info.model_id}/artifacts/conda.yaml`);
    await page.locator('.artifact-preview', { hasText: 'python=3.11' }).waitFor();
    expect(await tree().locator('[aria-current="true"]').textContent()).toBe('· conda.yaml');
  });

  it('raised no uncaught error in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
