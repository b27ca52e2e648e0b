import { describe, expect, it } from 'vitest';
import { useE2eSession } from './support/session.js';
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
  let experimentId: string;
  let runId: string;
  let model: LoggedModel;

  const session = useE2eSession(async (server) => {
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
      // The context tags the MLflow client adds to every logged model.
      tags: [
        { key: 'mlflow.user', value: 'ada' },
        { key: 'mlflow.source.name', value: 'train.py' },
        { key: 'mlflow.source.type', value: 'LOCAL' },
      ],
    }));
    // What `mlflow.log_metric(..., model_id=..., dataset=...)` sends: the metric lands on the model too.
    await client.post('runs/log-batch', {
      run_id: runId,
      metrics: [{ key: 'accuracy', value: 0.9375, timestamp: Date.now(), step: 3, model_id: model.info.model_id, dataset_name: 'holdout', dataset_digest: 'a1b2c3d4' }],
    });
    await client.putArtifact(model.info.artifact_uri, 'MLmodel', MLMODEL.replace('RUN_ID', runId));
    await client.putArtifact(model.info.artifact_uri, 'conda.yaml', 'name: env\ndependencies:\n  - python=3.11\n');
    await client.putArtifact(model.info.artifact_uri, 'metadata/requirements.txt', 'scikit-learn==1.3.0\n');
    const finalized = await fetch(`${server.url}/api/2.0/mlflow/logged-models/${model.info.model_id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model_id: model.info.model_id, status: 'LOGGED_MODEL_READY' }),
    });
    expect(finalized.status).toBe(200);
    // `mlflow.register_model("models:/<id>", "churn")`: the server records the version on the logged model.
    await client.post('registered-models/create', { name: 'churn' });
    await client.post('model-versions/create', { name: 'churn', source: `models:/${model.info.model_id}`, run_id: runId, model_id: model.info.model_id });
  });

  const tree = () => session.page.getByRole('list', { name: 'Artifact files' });

  it('is reached from the experiment\'s logged models', async () => {
    await session.page.goto(`${session.server.url}/#/experiments/${experimentId}/models`);
    // The list names each model's source run as the runs table does, linked to it, its id in the title.
    const listed = session.page.getByRole('table', { name: 'Logged models' }).getByRole('row', { name: /^classifier/ });
    const listedRun = listed.getByRole('link', { name: 'train', exact: true });
    await listedRun.waitFor();
    expect(await listedRun.getAttribute('href')).toBe(`#/experiments/${experimentId}/runs/${runId}`);
    expect(await listedRun.getAttribute('title')).toBe(runId);
    expect(await listed.locator('td').nth(3).textContent()).toBe('train');
    await checkPage(session.page, 'logged-models');
    await session.page.getByRole('link', { name: 'classifier' }).click();
    await session.page.waitForURL((url) => url.hash === `#/experiments/${experimentId}/models/${model.info.model_id}`);
    await session.page.locator('h1', { hasText: 'classifier' }).waitFor();
    // The breadcrumb names the experiment, and the source run is named (its id beside it), as MLflow shows them.
    const crumbs = session.page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link');
    await expect.poll(() => crumbs.allTextContents()).toEqual(['e2e-models', 'Logged models']);
    const overview = session.page.getByRole('table', { name: 'Logged model overview' });
    const source = overview.getByRole('row', { name: /^Source run/ }).getByRole('link', { name: 'train', exact: true });
    await source.waitFor();
    expect(await source.getAttribute('href')).toBe(`#/experiments/${experimentId}/runs/${runId}`);
    expect(await source.getAttribute('title')).toBe(runId);
    expect(await overview.getByRole('row', { name: /^Source run/ }).textContent()).toBe(`Source runtrain${runId}`);
    expect(await overview.getByRole('row', { name: /^Created by/ }).textContent()).toBe('Created byada');
    expect(await overview.getByRole('row', { name: /^Logged from/ }).textContent()).toBe('Logged fromtrain.py (LOCAL)');
    const version = overview.getByRole('row', { name: /^Model versions/ }).getByRole('link');
    expect(await version.allTextContents()).toEqual(['churn v1']);
    expect(await version.getAttribute('href')).toBe('#/models/churn/versions/1');
    const metrics = session.page.getByRole('table', { name: 'Logged model metrics' });
    await expect.poll(() => metrics.locator('tbody tr').first().locator('td').allTextContents()).toEqual(['accuracy', 'holdout', '3', '0.9375', 'train']);
    await expect.poll(() => tree().getByRole('button').allTextContents()).toEqual(['▸ metadata', '· conda.yaml', '· MLmodel']);
    await checkPage(session.page, 'logged-model');
  });

  it('lists its artifacts as a tree and previews its MLmodel, the path kept in the URL', async () => {
    await tree().getByRole('button', { name: 'metadata' }).click();
    await tree().getByRole('button', { name: 'requirements.txt' }).click();
    await expect.poll(() => session.page.locator('.artifact-preview pre.text-preview').textContent()).toBe('scikit-learn==1.3.0\n');
    expect(session.page.url()).toContain(`/models/${model.info.model_id}/artifacts/metadata/requirements.txt`);

    await tree().getByRole('button', { name: 'MLmodel' }).click();
    await expect.poll(() => session.page.getByRole('table', { name: 'MLmodel summary' }).locator('tr').first().textContent()).toBe('Flavorspython_function, sklearn');
    expect(session.page.url()).toContain(`/models/${model.info.model_id}/artifacts/MLmodel`);
    await checkPage(session.page, 'logged-model-mlmodel');

    const [download] = await Promise.all([session.page.waitForEvent('download'), session.page.getByRole('button', { name: 'Download' }).click()]);
    expect(download.suggestedFilename()).toBe('MLmodel');
  });

  it('opens on an artifact from its link', async () => {
    await session.page.goto(`${session.server.url}/#/experiments/${experimentId}/models/${model.info.model_id}/artifacts/conda.yaml`);
    await session.page.locator('.artifact-preview', { hasText: 'python=3.11' }).waitFor();
    expect(await tree().locator('[aria-current="true"]').textContent()).toBe('· conda.yaml');
  });

  it('raised no uncaught error in the page', () => {
    expect(session.pageErrors).toEqual([]);
  });
});
