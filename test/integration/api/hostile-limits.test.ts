import { describe, expect, it } from 'vitest';
import { createApi } from '../../../functions/api/create-api.js';
import { webhookRoutes } from '../../../functions/api/routes/webhooks.js';
import { createTrackingDeps } from '../../../shared/config/dependencies.js';
import { createTestApi, ENGINES } from '../../support/test-api.js';
import { freshTable, webhooksOn } from '../webhooks/table.js';

const API = '/api/2.0/mlflow';
const CAIRN = '/api/2.0/cairn';
const LONG = 'a'.repeat(2100);

describe('ids and names too long for a key', () => {
  it.each([
    ['GET', `${API}/experiments/get-by-name`, { experiment_name: LONG }, `Could not find experiment with name '${LONG}'`],
    ['GET', `${API}/experiments/get`, { experiment_id: LONG }, `No Experiment with id=${LONG} exists`],
    ['POST', `${API}/runs/create`, { experiment_id: LONG }, `No Experiment with id=${LONG} exists`],
    ['GET', `${API}/runs/get`, { run_id: LONG }, `Run with id=${LONG} not found`],
    ['POST', `${API}/runs/set-tag`, { run_id: LONG, key: 'k', value: 'v' }, `Run with id=${LONG} not found`],
    ['POST', `${API}/runs/delete`, { run_id: LONG }, `Run with id=${LONG} not found`],
    ['GET', `${API}/registered-models/get`, { name: LONG }, `Registered Model with name=${LONG} not found`],
    ['GET', `${API}/model-versions/get`, { name: LONG, version: '1' }, `Registered Model with name=${LONG} not found`],
    ['GET', `${API}/logged-models/${LONG}`, undefined, `Logged model with ID '${LONG}' not found.`],
    ['GET', `${CAIRN}/registered-models/events`, { name: LONG }, `Registered Model with name=${LONG} not found`],
    ['GET', `${CAIRN}/registered-models/deployment-policy`, { name: LONG }, `Registered Model with name=${LONG} not found`],
    ['GET', `${CAIRN}/deployments/get`, { deployment_id: LONG }, `Deployment '${LONG}' does not exist.`],
  ])('%s %s answers the missing entity, as MLflow does for any unknown id', async (method, path, body, message) => {
    // Prepare
    const api = await createTestApi('dynoxide');

    // Act
    const answer = await api.call(method, path, body);

    // Assess
    expect(answer).toEqual({ status: 404, body: { error_code: 'RESOURCE_DOES_NOT_EXIST', message } });
  });

  it('refuses an over-long id in a search filter with 400 instead of querying', async () => {
    // Prepare
    const api = await createTestApi('dynoxide');

    // Act
    const answer = await api.call('POST', `${API}/runs/search`, { experiment_ids: [LONG] });

    // Assess
    expect(answer).toEqual({
      status: 400,
      body: {
        error_code: 'INVALID_PARAMETER_VALUE',
        message: "Invalid value for parameter 'experiment_ids[0]' supplied: an identifier or name may have at most 1000 bytes (UTF-8).",
      },
    });
  });

  it('applies set-tag length rule to delete-tag keys', async () => {
    // Prepare
    const api = await createTestApi('dynoxide');
    const runId = (await api.call('POST', `${API}/runs/create`, { experiment_id: '0' })).body.run.info.run_id;

    // Act
    const setTag = await api.call('POST', `${API}/runs/set-tag`, { run_id: runId, key: LONG, value: 'v' });
    const deleteTag = await api.call('POST', `${API}/runs/delete-tag`, { run_id: runId, key: LONG });

    // Assess
    const message = `Tag key '${LONG.slice(0, 250)}' had length 2100, which exceeded length limit of 250`;
    expect(setTag).toEqual({ status: 400, body: { error_code: 'INVALID_PARAMETER_VALUE', message } });
    expect(deleteTag).toEqual(setTag);
  });
});

describe('stored text no item can outgrow', () => {
  it('refuses a 1 MB description on registered models and model versions and keeps the old one', async () => {
    // Prepare
    const api = await createTestApi('dynoxide');
    await api.call('POST', `${API}/registered-models/create`, { name: 'm', description: 'before' });
    await api.call('POST', `${API}/model-versions/create`, { name: 'm', source: 's3://bucket/model' });
    const description = 'd'.repeat(1_000_000);

    // Act
    const model = await api.call('PATCH', `${API}/registered-models/update`, { name: 'm', description });
    const version = await api.call('PATCH', `${API}/model-versions/update`, { name: 'm', version: '1', description });
    const after = await api.call('GET', `${API}/registered-models/get`, { name: 'm' });

    // Assess
    const message = `Description '${'d'.repeat(250)}' had length 1000000, which exceeded length limit of 5000`;
    expect(model).toEqual({ status: 400, body: { error_code: 'INVALID_PARAMETER_VALUE', message } });
    expect(version).toEqual(model);
    expect(after.body.registered_model.description).toBe('before');
  });

  it.each(ENGINES)('refuses the tag that would push a registered model past 400 KB with 400 (%s)', async (engine) => {
    // Prepare
    const api = await createTestApi(engine);
    await api.call('POST', `${API}/registered-models/create`, { name: 'm' });
    const value = 'v'.repeat(100_000);

    // Act
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await api.call('POST', `${API}/registered-models/set-tag`, { name: 'm', key: `t${i}`, value }));
    const after = await api.call('GET', `${API}/registered-models/get`, { name: 'm' });

    // Assess
    expect(answers.slice(0, 3).map((a) => a.status)).toEqual([200, 200, 200]);
    expect(answers[4]).toEqual({
      status: 400,
      body: {
        error_code: 'INVALID_PARAMETER_VALUE',
        message: 'The request would make an entity larger than the store can hold (400 KB per item): remove tags or shorten values and retry.',
      },
    });
    expect(after.body.registered_model.tags.length).toBe(answers.filter((a) => a.status === 200).length);
  });

  it('refuses a dataset whose profile cannot fit one item, naming the limit', async () => {
    // Prepare
    const api = await createTestApi('dynoxide');
    const runId = (await api.call('POST', `${API}/runs/create`, { experiment_id: '0' })).body.run.info.run_id;
    const dataset = { name: 'd', digest: 'x', source_type: 'local', source: 's', profile: 'p'.repeat(1_000_000) };

    // Act
    const answer = await api.call('POST', `${API}/runs/log-inputs`, { run_id: runId, datasets: [{ dataset }] });

    // Assess
    expect(answer).toEqual({
      status: 400,
      body: {
        error_code: 'INVALID_PARAMETER_VALUE',
        message:
          "Dataset 'd' is too large: its fields and tags take 1000008 bytes, and Cairn stores at most 350000 bytes per dataset (schema and profile included).",
      },
    });
  });

  it('refuses a 1 MB webhook secret and an over-long webhook id', async () => {
    // Prepare
    const db = await freshTable('dynoxide');
    const app = createApi(createTrackingDeps(db));
    app.route(API, webhookRoutes(webhooksOn(db).deps));
    const call = async (method: string, path: string, body?: object) => {
      const response = await app.request(`${API}${path}`, {
        method,
        headers: { 'content-type': 'application/json' },
        body: body ? JSON.stringify(body) : undefined,
      });
      return { status: response.status, body: (await response.json()) as { message: string } };
    };

    // Act
    const created = await call('POST', '/webhooks', {
      name: 'hook',
      url: 'https://example.com/hook',
      events: [{ entity: 'REGISTERED_MODEL', action: 'CREATED' }],
      secret: 's'.repeat(1_000_000),
    });
    const got = await call('GET', `/webhooks/${LONG}`);

    // Assess
    expect(created.status).toBe(400);
    expect(created.body.message).toMatch(/^Webhook secret 's{250}' had length 1000000, which exceeded length limit of 1000$/);
    expect(got).toEqual({ status: 404, body: { error_code: 'RESOURCE_DOES_NOT_EXIST', message: `Webhook with ID ${LONG} not found.` } });
  });
});
