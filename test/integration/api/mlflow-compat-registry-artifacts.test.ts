/**
 * Issue 16, items 4 to 8: answers MLflow's own REST tests match, on both engines.
 * - 4: artifact paths with `..` are MLflow's exact `Invalid path` (`validate_path_is_safe`), including through
 *   `//model-versions/get-artifact`, which Werkzeug routes with its slashes merged;
 * - 5: a model version source with `..` gets `_validate_non_local_source_contains_relative_paths`' whole message;
 * - 6: deleting a logged model tag that is not set is the SQL store's "No tag with key ... found for model with ID";
 * - 7: a `models:/<name>/<version>` source (copy_model_version) resolves to the original's location at creation;
 * - 8: `mlproject` is `text/plain` (MLflow's type table matched lower-cased); `Content-Disposition` is
 *   `attachment; filename=<name>`.
 */
import { describe, expect, it } from 'vitest';
import { createLoggedModel, createRun, MLFLOW, uploadArtifact } from '../../support/artifact-client.js';
import { createTestApi, ENGINES, TEST_BASE_URL, type TestApi } from '../../support/test-api.js';

const INVALID_PATH = { error_code: 'INVALID_PARAMETER_VALUE', message: 'Invalid path' };

const query = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

const answerOf = async (response: Response) => ({ status: response.status, body: (await response.json()) as unknown });

const registerVersion = async (api: TestApi, name: string, source: string, runId?: string) => {
  await api.call('POST', `${MLFLOW}/registered-models/create`, { name });
  const created = await api.call('POST', `${MLFLOW}/model-versions/create`, { name, source, ...(runId ? { run_id: runId } : {}) });
  expect(created.status, JSON.stringify(created.body)).toBe(200);
  return created.body.model_version as { version: string };
};

describe.each(ENGINES)("MLflow's 'Invalid path' for artifact paths with '..' (%s)", (engine) => {
  it('artifacts/list with path ../x answers 400 "Invalid path"', async () => {
    // Prepare
    const api = await createTestApi(engine);
    const { runId } = await createRun(api);
    // Act
    const answer = await answerOf(await api.request(`${MLFLOW}/artifacts/list?${query({ run_id: runId, path: '../x' })}`));
    // Assess
    expect(answer).toEqual({ status: 400, body: INVALID_PATH });
  });

  it('/get-artifact with path ../../etc/passwd answers 400 "Invalid path"', async () => {
    // Prepare
    const api = await createTestApi(engine);
    const { runId } = await createRun(api);
    // Act
    const answer = await answerOf(await api.request(`/get-artifact?${query({ run_id: runId, path: '../../etc/passwd' })}`));
    // Assess
    expect(answer).toEqual({ status: 400, body: INVALID_PATH });
  });

  it('//model-versions/get-artifact (double slash) is routed, and a path with .. answers 400 "Invalid path"', async () => {
    // Prepare
    const api = await createTestApi(engine);
    const { runId } = await createRun(api);
    await registerVersion(api, 'PathModel', `runs:/${runId}/model`, runId);
    // Act
    const answer = await answerOf(
      await api.request(`${TEST_BASE_URL}//model-versions/get-artifact?${query({ name: 'PathModel', version: '1', path: '../../etc/passwd' })}`),
    );
    // Assess
    expect(answer).toEqual({ status: 400, body: INVALID_PATH });
  });
});

describe.each(ENGINES)('MLflow registry answers (%s)', (engine) => {
  it("model-versions/create with a source holding '..' answers MLflow's two-sentence message", async () => {
    // Prepare
    const api = await createTestApi(engine);
    const { runId } = await createRun(api);
    await api.call('POST', `${MLFLOW}/registered-models/create`, { name: 'M' });
    const source = 'mlflow-artifacts://host:9000/models/../../../';
    // Act
    const answer = await api.call('POST', `${MLFLOW}/model-versions/create`, { name: 'M', source, run_id: runId });
    // Assess
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({
      error_code: 'INVALID_PARAMETER_VALUE',
      message:
        `Invalid model version source: '${source}'. If supplying a source as an http, https, local file path, ftp, objectstore, ` +
        'or mlflow-artifacts uri, an absolute path must be provided without relative path references present. Please provide an absolute path.',
    });
  });

  it("a copied version (source models:/<name>/<version>) downloads from the original's location, as copy_model_version makes it", async () => {
    // Prepare
    const api = await createTestApi(engine);
    const { runId } = await createRun(api);
    await registerVersion(api, 'Original', `runs:/${runId}/model`, runId);
    // Act
    const copy = await registerVersion(api, 'CopyMVTest', 'models:/Original/1', runId);
    const uri = await api.call('GET', `${MLFLOW}/model-versions/get-download-uri`, { name: 'CopyMVTest', version: copy.version });
    // Assess
    expect(uri).toEqual({ status: 200, body: { artifact_uri: `runs:/${runId}/model` } });
  });

  it("a copy of a version that does not exist is refused with MLflow's 'Unable to fetch model' message", async () => {
    // Prepare
    const api = await createTestApi(engine);
    await api.call('POST', `${MLFLOW}/registered-models/create`, { name: 'Copy' });
    // Act
    const answer = await api.call('POST', `${MLFLOW}/model-versions/create`, { name: 'Copy', source: 'models:/Nowhere/3' });
    // Assess
    expect(answer.status).toBe(400);
    expect(answer.body.message).toMatch(/^Unable to fetch model from model URI source artifact location 'models:\/Nowhere\/3'\.Error: /);
  });
});

describe.each(ENGINES)('MLflow logged model tag deletion (%s)', (engine) => {
  it("deleting a tag that is not set answers 404 No tag with key 'k' found for model with ID '<id>'", async () => {
    // Prepare
    const api = await createTestApi(engine);
    const { modelId } = await createLoggedModel(api);
    // Act
    const answer = await api.call('DELETE', `${MLFLOW}/logged-models/${modelId}/tags/absent`);
    // Assess
    expect(answer).toEqual({
      status: 404,
      body: { error_code: 'RESOURCE_DOES_NOT_EXIST', message: `No tag with key 'absent' found for model with ID '${modelId}'.` },
    });
  });

  it('deleting a tag that is set removes it', async () => {
    // Prepare
    const api = await createTestApi(engine);
    const { modelId } = await createLoggedModel(api);
    await api.call('PATCH', `${MLFLOW}/logged-models/${modelId}/tags`, { tags: [{ key: 'k', value: 'v' }] });
    // Act
    const answer = await api.call('DELETE', `${MLFLOW}/logged-models/${modelId}/tags/k`);
    // Assess
    expect(answer.status).toBe(200);
    const model = await api.call('GET', `${MLFLOW}/logged-models/${modelId}`);
    expect(model.body.model.data?.tags ?? model.body.model.info.tags ?? []).toEqual([]);
  });
});

describe.each(ENGINES)("MLflow's download headers (%s)", (engine) => {
  it.each([
    ['mlproject', 'text/plain'],
    ['MLproject', 'text/plain'],
    ['MLmodel', 'text/plain'],
    ['weights.bin', 'application/octet-stream'],
  ])('/get-artifact serves %s as %s with Content-Disposition attachment; filename=<name>', async (name, type) => {
    // Prepare
    const api = await createTestApi(engine);
    const { runId, root } = await createRun(api);
    await uploadArtifact(api, `${root}/${name}`, 'x');
    // Act
    const response = await api.request(`/get-artifact?${query({ run_id: runId, path: name })}`);
    // Assess
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')?.split(';')[0]).toBe(type);
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename=${name}`);
  });
});

describe.each(ENGINES)('a version registered with a runs:/ source (%s)', (engine) => {
  it("serves its files through model-versions/get-artifact from the run's artifact root, as MLflow's RunsArtifactRepository reads them", async () => {
    // Prepare: a run with a model folder, registered by its runs:/ URI as it was (the client usually resolves it first)
    const api = await createTestApi(engine);
    const run = await createRun(api);
    await uploadArtifact(api, `${run.root}/model/MLmodel`, 'flavors: {}\n');
    await registerVersion(api, 'RunsSourced', `runs:/${run.runId}/model`, run.runId);

    // Act
    const file = await api.request(`/model-versions/get-artifact?${query({ name: 'RunsSourced', version: '1', path: 'MLmodel' })}`);
    const missingRun = await registerVersion(api, 'Orphan', `runs:/${'f'.repeat(32)}/model`);
    const orphan = await api.request(`/model-versions/get-artifact?${query({ name: 'Orphan', version: missingRun.version, path: 'MLmodel' })}`);

    // Assess
    expect(file.status).toBe(200);
    expect(await file.text()).toBe('flavors: {}\n');
    expect(orphan.status).toBe(404);
    expect(await orphan.json()).toMatchObject({ error_code: 'RESOURCE_DOES_NOT_EXIST' });
  });
});
