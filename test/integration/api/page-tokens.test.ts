import { describe, expect, it } from 'vitest';
import { createApi } from '../../../functions/api/create-api.js';
import { createTrackingDeps } from '../../../shared/config/dependencies.js';
import { createTestApi, ENGINES, type TestApi } from '../../support/test-api.js';
import { freshTable, webhooksOn } from '../webhooks/table.js';

const API = '/api/2.0/mlflow';
const CAIRN = '/api/2.0/cairn';

const base64url = (text: string) => Buffer.from(text).toString('base64url');

/** Tokens every paged endpoint must refuse with 400 INVALID_PARAMETER_VALUE. */
const BAD_TOKENS = [
  'not a token!',
  base64url('{offset'),
  base64url('null'),
  base64url('[]'),
  Buffer.from('{"offset": -1}').toString('base64'),
  base64url(JSON.stringify({ v: 1, k: 'runs/search', r: 'forged', p: { offset: 0 } })),
];

const expectInvalid = (answer: { status: number; body: any }) => {
  expect(answer.status).toBe(400);
  expect(answer.body.error_code).toBe('INVALID_PARAMETER_VALUE');
};

const newRun = async (api: TestApi, experimentId = '0') =>
  (await api.call('POST', `${API}/runs/create`, { experiment_id: experimentId })).body.run.info.run_id as string;

const logPoints = async (api: TestApi, runId: string, key: string, count: number) => {
  for (let step = 0; step < count; step++) {
    await api.call('POST', `${API}/runs/log-metric`, { run_id: runId, key, value: step, timestamp: step, step });
  }
};

describe.each(ENGINES)('page tokens (%s)', (engine) => {
  it('refuses a runs/search token sent with another filter, and every malformed token', async () => {
    // Prepare
    const api = await createTestApi(engine);
    for (let i = 0; i < 3; i++) await newRun(api);
    const first = await api.call('POST', `${API}/runs/search`, { experiment_ids: ['0'], max_results: 1 });

    // Act
    const same = await api.call('POST', `${API}/runs/search`, { experiment_ids: ['0'], max_results: 1, page_token: first.body.next_page_token });
    const other = await api.call('POST', `${API}/runs/search`, {
      experiment_ids: ['0'],
      max_results: 1,
      filter: "attributes.status = 'RUNNING'",
      page_token: first.body.next_page_token,
    });
    const bad = await Promise.all(
      BAD_TOKENS.map((page_token) => api.call('POST', `${API}/runs/search`, { experiment_ids: ['0'], page_token })),
    );

    // Assess
    expect(same.status).toBe(200);
    expect(same.body.runs).toHaveLength(1);
    expect(same.body.runs[0].info.run_id).not.toBe(first.body.runs[0].info.run_id);
    expectInvalid(other);
    expect(other.body.message).toContain('different request');
    bad.forEach(expectInvalid);
  });

  it("refuses a metric-history token with another run, another key or a missing run, never showing the first run's points", async () => {
    // Prepare
    const api = await createTestApi(engine);
    const runA = await newRun(api);
    const runB = await newRun(api);
    await logPoints(api, runA, 'loss', 3);
    await logPoints(api, runB, 'loss', 3);
    const first = await api.call('GET', `${API}/metrics/get-history`, { run_id: runA, metric_key: 'loss', max_results: 1 });
    const token = first.body.next_page_token as string;

    // Act
    const sameRun = await api.call('GET', `${API}/metrics/get-history`, { run_id: runA, metric_key: 'loss', max_results: 1, page_token: token });
    const answers = await Promise.all([
      api.call('GET', `${API}/metrics/get-history`, { run_id: runB, metric_key: 'loss', page_token: token }),
      api.call('GET', `${API}/metrics/get-history`, { run_id: runA, metric_key: 'acc', page_token: token }),
      api.call('GET', `${API}/metrics/get-history`, { run_id: 'no-such-run', metric_key: 'loss', page_token: token }),
    ]);

    // Assess
    expect(sameRun.body.metrics).toEqual([expect.objectContaining({ step: 1 })]);
    answers.forEach(expectInvalid);
  });

  it('bounds metric-history max_results: negative refused, huge cut to one page that holds everything here', async () => {
    // Prepare
    const api = await createTestApi(engine);
    const runId = await newRun(api);
    await logPoints(api, runId, 'loss', 2);

    // Act
    const negative = await api.call('GET', `${API}/metrics/get-history`, { run_id: runId, metric_key: 'loss', max_results: -1 });
    const huge = await api.call('GET', `${API}/metrics/get-history`, { run_id: runId, metric_key: 'loss', max_results: 1_000_000_000 });

    // Assess
    expectInvalid(negative);
    expect(huge.status).toBe(200);
    expect(huge.body.metrics).toHaveLength(2);
    expect(huge.body.next_page_token).toBeUndefined();
  });

  it('refuses a logged-models/search token that decodes to null, and answers a huge max_results', async () => {
    // Prepare
    const api = await createTestApi(engine);
    await api.call('POST', `${API}/logged-models`, { experiment_id: '0', name: 'm1' });

    // Act
    const nullToken = await api.call('POST', `${API}/logged-models/search`, { experiment_ids: ['0'], page_token: base64url('null') });
    const huge = await api.call('POST', `${API}/logged-models/search`, { experiment_ids: ['0'], max_results: 1_000_000_000 });

    // Assess
    expectInvalid(nullToken);
    expect(huge.status).toBe(200);
    expect(huge.body.models).toHaveLength(1);
  });

  describe('deployments/list', () => {
    const deployThreeVersions = async (api: TestApi, name: string) => {
      await api.call('POST', `${API}/registered-models/create`, { name });
      await api.call('POST', `${CAIRN}/registered-models/deployment-policy`, { name });
      for (let i = 0; i < 3; i++) {
        const created = await api.call('POST', `${API}/model-versions/create`, { name, source: 'mlflow-artifacts:/0/x/artifacts/model' });
        await api.call('POST', `${API}/registered-models/alias`, { name, alias: 'champion', version: created.body.model_version.version });
      }
    };

    it('pages with opaque tokens that stay in their model', async () => {
      // Prepare
      const api = await createTestApi(engine);
      await deployThreeVersions(api, 'alpha');
      await deployThreeVersions(api, 'beta');
      const first = await api.call('GET', `${CAIRN}/deployments/list`, { name: 'alpha', max_results: 1 });
      const token = first.body.next_page_token as string;
      const decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
      // The old tokens were the raw start key: a changed partition walked another model's deployments.
      const forged = base64url(
        JSON.stringify({ ...decoded, p: { ...decoded.p, createdAt: Number.MAX_SAFE_INTEGER, gsi1pk: 'DEPLOYMENTS#other', pk: 'x' } }),
      );

      // Act
      const second = await api.call('GET', `${CAIRN}/deployments/list`, { name: 'alpha', max_results: 1, page_token: token });
      const otherModel = await api.call('GET', `${CAIRN}/deployments/list`, { name: 'beta', page_token: token });
      const fromForged = await api.call('GET', `${CAIRN}/deployments/list`, { name: 'alpha', page_token: forged });
      const bad = await Promise.all(BAD_TOKENS.map((page_token) => api.call('GET', `${CAIRN}/deployments/list`, { name: 'alpha', page_token })));

      // Assess
      expect(first.body.deployments).toHaveLength(1);
      expect(second.body.deployments).toHaveLength(1);
      expect(second.body.deployments[0].deployment_id).not.toBe(first.body.deployments[0].deployment_id);
      expect(JSON.stringify(decoded)).not.toContain('DEPLOYMENTS#');
      expectInvalid(otherModel);
      expect(fromForged.status).toBe(200);
      expect(fromForged.body.deployments.map((d: { name: string }) => d.name)).toEqual(['alpha', 'alpha', 'alpha']);
      bad.forEach(expectInvalid);
    });

    it.each([0, -1, 1001])('refuses max_results=%s', async (max_results) => {
      // Prepare
      const api = await createTestApi(engine);
      await deployThreeVersions(api, 'gamma');

      // Act
      const answer = await api.call('GET', `${CAIRN}/deployments/list`, { name: 'gamma', max_results });

      // Assess
      expectInvalid(answer);
    });
  });

  it.each([0, -1, 1001])('refuses webhook deliveries max_results=%s with 400, not 500', async (maxResults) => {
    // Prepare
    const db = await freshTable(engine);
    const app = createApi(createTrackingDeps(db), { webhookDeliveries: webhooksOn(db).deliveries });

    // Act
    const response = await app.request(`${CAIRN}/webhooks/wh-1/deliveries?max_results=${maxResults}`);
    const body = await response.json();

    // Assess
    expectInvalid({ status: response.status, body });
  });

  it('answers webhook deliveries with a valid max_results', async () => {
    // Prepare
    const db = await freshTable(engine);
    const app = createApi(createTrackingDeps(db), { webhookDeliveries: webhooksOn(db).deliveries });

    // Act
    const response = await app.request(`${CAIRN}/webhooks/wh-1/deliveries?max_results=5`);

    // Assess
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ deliveries: [] });
  });
});
