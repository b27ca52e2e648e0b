/**
 * Issue 16, item 10: the endpoints MLflow's UI and newer clients call under `/ajax-api`, as MLflow's handlers answer
 * them (get_metric_history_bulk_handler, _search_datasets_handler, upload_artifact_handler,
 * _list_logged_model_artifacts, get_logged_model_artifact_handler), and `/graphql` refused as ENDPOINT_NOT_FOUND.
 */
import { describe, expect, it } from 'vitest';
import { bytesOf, createLoggedModel, createRun, MLFLOW, uploadArtifact, utf8 } from '../../support/artifact-client.js';
import { createTestApi, ENGINES, type TestApi } from '../../support/test-api.js';

const AJAX = '/ajax-api/2.0/mlflow';

const logMetric = (api: TestApi, runId: string, value: number, step: number, timestamp: number) =>
  api.call('POST', `${MLFLOW}/runs/log-metric`, { run_id: runId, key: 'loss', value, step, timestamp });

describe.each(ENGINES)("MLflow's UI endpoints (%s)", (engine) => {
  it('metrics/get-history-bulk answers every point of the key for each run, runs in id order, each point with its run_id', async () => {
    // Prepare
    const api = await createTestApi(engine);
    const [a, b] = [(await createRun(api)).runId, (await createRun(api)).runId].sort();
    await logMetric(api, b!, 0.5, 1, 20);
    await logMetric(api, b!, 0.9, 0, 10);
    await logMetric(api, a!, 0.1, 0, 30);
    // Act
    const answer = await api.request(`${AJAX}/metrics/get-history-bulk?run_id=${b}&run_id=${a}&metric_key=loss`);
    // Assess
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({
      metrics: [
        { key: 'loss', value: 0.1, timestamp: 30, step: 0, run_id: a },
        { key: 'loss', value: 0.9, timestamp: 10, step: 0, run_id: b },
        { key: 'loss', value: 0.5, timestamp: 20, step: 1, run_id: b },
      ],
    });
  });

  it.each([
    ['no run_id', 'metric_key=loss', 'GetMetricHistoryBulk request must specify at least one run_id.'],
    ['no metric_key', 'run_id=abc', 'GetMetricHistoryBulk request must specify a metric_key.'],
    [
      '101 run_ids',
      `${Array.from({ length: 101 }, (_, i) => `run_id=r${i}`).join('&')}&metric_key=loss`,
      'GetMetricHistoryBulk request cannot specify more than 100 run_ids. Received 101 run_ids.',
    ],
  ])('metrics/get-history-bulk with %s is refused in the handler words', async (_, search, message) => {
    // Prepare
    const api = await createTestApi(engine);
    // Act
    const answer = await api.request(`${AJAX}/metrics/get-history-bulk?${search}`);
    // Assess
    expect(answer.status).toBe(400);
    expect(await answer.json()).toEqual({ error_code: 'INVALID_PARAMETER_VALUE', message });
  });

  it("experiments/search-datasets answers each distinct dataset of the experiment's runs with its context", async () => {
    // Prepare
    const api = await createTestApi(engine);
    const { runId } = await createRun(api);
    const dataset = { name: 'wine', digest: 'd1', source_type: 'local', source: '{}' };
    const logged = await api.call('POST', `${MLFLOW}/runs/log-inputs`, {
      run_id: runId,
      datasets: [{ dataset, tags: [{ key: 'mlflow.data.context', value: 'training' }] }],
    });
    expect(logged.status, JSON.stringify(logged.body)).toBe(200);
    // Act
    const answer = await api.call('POST', `${AJAX}/experiments/search-datasets`, { experiment_ids: ['0'] });
    // Assess
    expect(answer).toEqual({
      status: 200,
      body: { dataset_summaries: [{ experiment_id: '0', name: 'wine', digest: 'd1', context: 'training' }] },
    });
  });

  it('experiments/search-datasets without experiment ids is refused in the handler words', async () => {
    // Prepare
    const api = await createTestApi(engine);
    // Act
    const answer = await api.call('POST', `${AJAX}/experiments/search-datasets`, {});
    // Assess
    expect(answer).toEqual({
      status: 400,
      body: { error_code: 'INVALID_PARAMETER_VALUE', message: 'SearchDatasets request must specify at least one experiment_id.' },
    });
  });

  it("upload-artifact stores the body under the run's artifacts at path, and answers an empty 200", async () => {
    // Prepare
    const api = await createTestApi(engine);
    const { runId } = await createRun(api);
    // Act
    const answer = await api.request(`${AJAX}/upload-artifact?run_uuid=${runId}&path=notes/readme.txt`, { method: 'POST', body: utf8('hello') });
    // Assess
    expect(answer.status).toBe(200);
    expect(await answer.text()).toBe('');
    const listed = await api.call('GET', `${MLFLOW}/artifacts/list`, { run_id: runId, path: 'notes' });
    expect(listed.body.files).toEqual([{ path: 'notes/readme.txt', is_dir: false, file_size: 5 }]);
  });

  it.each([
    ['no run_uuid', 'path=x.txt', 'hello', 'Request must specify run_uuid.'],
    ['no path', 'run_uuid=RUN', 'hello', 'Request must specify path.'],
    ['no data', 'run_uuid=RUN&path=x.txt', '', 'Request must specify data.'],
    ['a path with ..', 'run_uuid=RUN&path=../x.txt', 'hello', 'Invalid path'],
  ])('upload-artifact with %s is refused in the handler words', async (_, search, body, message) => {
    // Prepare
    const api = await createTestApi(engine);
    const { runId } = await createRun(api);
    // Act
    const answer = await api.request(`${AJAX}/upload-artifact?${search.replace('RUN', runId)}`, { method: 'POST', body: utf8(body) });
    // Assess
    expect(answer.status).toBe(400);
    expect(await answer.json()).toEqual({ error_code: 'INVALID_PARAMETER_VALUE', message });
  });

  it("logged-models/<id>/artifacts/directories lists a folder of the model's artifacts with its root", async () => {
    // Prepare
    const api = await createTestApi(engine);
    const { modelId, root } = await createLoggedModel(api);
    await uploadArtifact(api, `${root}/MLmodel`, 'flavors: {}\n');
    await uploadArtifact(api, `${root}/data/model.pkl`, 'pkl');
    // Act
    const top = await api.call('GET', `${AJAX}/logged-models/${modelId}/artifacts/directories`);
    const data = await api.call('GET', `${AJAX}/logged-models/${modelId}/artifacts/directories`, { artifact_directory_path: 'data' });
    // Assess
    expect(top.status).toBe(200);
    expect(top.body.root_uri).toMatch(new RegExp(`${modelId}/artifacts$`));
    expect(top.body.files).toEqual([
      { path: 'MLmodel', is_dir: false, file_size: 12 },
      { path: 'data', is_dir: true },
    ]);
    expect(data.body.files).toEqual([{ path: 'data/model.pkl', is_dir: false, file_size: 3 }]);
  });

  it('logged-models/<id>/artifacts/files sends one file as /get-artifact does; a path with .. is "Invalid path"', async () => {
    // Prepare
    const api = await createTestApi(engine);
    const { modelId, root } = await createLoggedModel(api);
    await uploadArtifact(api, `${root}/MLmodel`, 'flavors: {}\n');
    // Act
    const file = await api.request(`${AJAX}/logged-models/${modelId}/artifacts/files?artifact_file_path=MLmodel`);
    const traversal = await api.request(`${AJAX}/logged-models/${modelId}/artifacts/files?artifact_file_path=../x`);
    // Assess
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')?.split(';')[0]).toBe('text/plain');
    expect(file.headers.get('content-disposition')).toBe('attachment; filename=MLmodel');
    expect(new TextDecoder().decode(await bytesOf(file))).toBe('flavors: {}\n');
    expect(traversal.status).toBe(400);
    expect(await traversal.json()).toEqual({ error_code: 'INVALID_PARAMETER_VALUE', message: 'Invalid path' });
  });

  it('/graphql answers 404 ENDPOINT_NOT_FOUND with a clear message', async () => {
    // Prepare
    const api = await createTestApi(engine);
    // Act
    const answer = await api.request('/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{}"}' });
    // Assess
    expect(answer.status).toBe(404);
    expect(await answer.json()).toMatchObject({ error_code: 'ENDPOINT_NOT_FOUND', message: expect.stringContaining('GraphQL') });
  });
});
