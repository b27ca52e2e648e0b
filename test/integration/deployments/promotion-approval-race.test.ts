import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPromotionHarness, type PromotionHarness } from '../../support/promotion-harness.js';

/** Approvals (task token), promotions racing for one endpoint, and scoring a deployed alias. */
describe('promotion approvals, races and scoring', () => {
  let h: PromotionHarness;
  beforeAll(async () => {
    h = await startPromotionHarness({ fastTimeMs: 10 });
  });
  afterAll(async () => {
    await h?.close();
  });

  const call = (method: string, path: string, body?: Record<string, unknown>) => h.api.call(method, path, body);
  /** Polls the version's tags, which are written after the deployment item: both then agree. */
  const waitForStatus = async (id: string, status: string) => {
    for (let i = 0; i < 300; i++) {
      const deployment = await h.deployment(id);
      const tags = await h.versionTags(deployment.name, deployment.version);
      if (deployment.status === status && tags['cairn.deployment.status'] === status) return deployment;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(`deployment ${id} never reached ${status}`);
  };

  it('approval required: waits as PENDING_APPROVAL, deploys once approved, and a second approve is a 400', async () => {
    const v1 = await h.registerVersion('credit');
    await call('POST', '/api/2.0/cairn/registered-models/deployment-policy', { name: 'credit', approval_required: true });
    await call('POST', '/api/2.0/mlflow/registered-models/alias', { name: 'credit', alias: 'champion', version: v1 });
    const [id = ''] = await h.startPending('credit');
    await waitForStatus(id, 'PENDING_APPROVAL');
    expect((await h.versionTags('credit', v1))['cairn.deployment.status']).toBe('PENDING_APPROVAL');
    expect(h.sagemaker.endpoints.has('cairn-credit')).toBe(false);

    const approved = await call('POST', '/api/2.0/cairn/deployments/approve', { deployment_id: id, comment: 'risk review ok' });
    expect(approved.status).toBe(200);
    expect(await h.outcome(id)).toMatchObject({ status: 'SUCCEEDED' });
    const deployment = await h.deployment(id);
    expect(deployment.status).toBe('IN_SERVICE');
    expect(deployment.steps).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'approved', message: 'risk review ok' })]));
    const again = await call('POST', '/api/2.0/cairn/deployments/approve', { deployment_id: id });
    expect(again.status).toBe(400);
    expect(again.body.message).toContain('is not waiting for approval');
  });

  it('approval required, then rejected: REJECTED with the comment, SageMaker never called', async () => {
    const v2 = await h.registerVersion('credit');
    const before = h.sagemaker.calls.length;
    await call('POST', '/api/2.0/mlflow/registered-models/alias', { name: 'credit', alias: 'champion', version: v2 });
    const [id = ''] = await h.startPending('credit');
    await waitForStatus(id, 'PENDING_APPROVAL');
    const rejected = await call('POST', '/api/2.0/cairn/deployments/reject', { deployment_id: id, comment: 'drift too high' });
    expect(rejected.status).toBe(200);
    expect(await h.outcome(id)).toMatchObject({ status: 'SUCCEEDED' });
    const tags = await h.versionTags('credit', v2);
    expect(tags['cairn.deployment.status']).toBe('REJECTED');
    expect(tags['cairn.deployment.message']).toBe('rejected: drift too high');
    expect(h.sagemaker.calls.length).toBe(before);
    expect((await h.versionTags('credit', '1'))['cairn.deployment.status']).toBe('IN_SERVICE');
  });

  it('two promotions of one endpoint never overlap: the later waits for the endpoint, then replaces the earlier', async () => {
    const v1 = await h.registerVersion('race');
    const v2 = await h.registerVersion('race');
    await call('POST', '/api/2.0/cairn/registered-models/deployment-policy', { name: 'race' });
    h.sagemaker.settleAfterDescribes = 4;
    await call('POST', '/api/2.0/mlflow/registered-models/alias', { name: 'race', alias: 'champion', version: v1 });
    const [first = ''] = await h.startPending('race');
    await waitForStatus(first, 'DEPLOYING');
    await call('POST', '/api/2.0/mlflow/registered-models/alias', { name: 'race', alias: 'champion', version: v2 });
    const [second = ''] = await h.startPending('race');
    const outcomes = await Promise.all([h.outcome(first), h.outcome(second)]);
    h.sagemaker.settleAfterDescribes = 1;
    expect(outcomes.map((o) => o.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);

    // The second touched the endpoint only after the first had settled on it.
    const onRace = h.sagemaker.calls.filter((c) => c.input.EndpointName === 'cairn-race').map((c) => `${c.operation}:${String(c.input.EndpointConfigName ?? '')}`);
    const firstCreate = onRace.indexOf(`CreateEndpoint:cairn-${first}`);
    const secondUpdate = onRace.indexOf(`UpdateEndpoint:cairn-${second}`);
    expect(firstCreate).toBeGreaterThanOrEqual(0);
    expect(secondUpdate).toBeGreaterThan(firstCreate);
    const between = onRace.slice(firstCreate + 1, secondUpdate);
    expect(between.filter((c) => c.startsWith('DescribeEndpoint')).length).toBeGreaterThanOrEqual(4);
    expect((await h.deployment(second)).steps.map((s: { name: string }) => s.name)).toContain('endpoint-claimed');
    expect((await h.versionTags('race', v2))['cairn.deployment.status']).toBe('IN_SERVICE');
    expect((await h.versionTags('race', v1))['cairn.deployment.status']).toBe('SUPERSEDED');
  });

  it('a promotion overtaken before it starts steps aside as SUPERSEDED; the later one deploys', async () => {
    const v1 = await h.registerVersion('overtaken');
    const v2 = await h.registerVersion('overtaken');
    await call('POST', '/api/2.0/cairn/registered-models/deployment-policy', { name: 'overtaken' });
    await call('POST', '/api/2.0/mlflow/registered-models/alias', { name: 'overtaken', alias: 'champion', version: v1 });
    await call('POST', '/api/2.0/mlflow/registered-models/alias', { name: 'overtaken', alias: 'champion', version: v2 });
    const [older = '', newer = ''] = await h.startPending('overtaken');
    await Promise.all([h.outcome(older), h.outcome(newer)]);
    const stale = await h.deployment(older);
    expect(stale.status).toBe('SUPERSEDED');
    expect(stale.status_message).toContain(`deployment ${newer}`);
    expect((await h.deployment(newer)).status).toBe('IN_SERVICE');
    expect(h.sagemaker.models.has(`cairn-${older}`)).toBe(false);
  });

  it('scores a deployed alias after checking the payload against the signature', async () => {
    const ok = await h.api.request('/api/2.0/cairn/serving/invocations?model=models:/race@champion', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ dataframe_split: { columns: ['x', 'y'], data: [[1, 2.5], [3, 4]] } }),
    });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ predictions: 2 });
    expect(h.sagemaker.invocations.at(-1)?.endpointName).toBe('cairn-race');

    const calls = h.sagemaker.invocations.length;
    const bad = await h.api.request('/api/2.0/cairn/serving/invocations?model=models:/race@champion', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ dataframe_records: [{ x: 1 }] }),
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error_code: 'BAD_REQUEST', message: expect.stringContaining("Model is missing inputs ['y']") });
    expect(h.sagemaker.invocations.length).toBe(calls);

    const notDeployed = await h.api.request('/api/2.0/cairn/serving/invocations?model=models:/race@nope', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"inputs": [[1, 2]]}',
    });
    expect(notDeployed.status).toBe(404);

    // A client writing the status tag itself does not make a version servable: the deployment record decides.
    await call('POST', '/api/2.0/mlflow/model-versions/set-tag', { name: 'credit', version: '2', key: 'cairn.deployment.status', value: 'IN_SERVICE' });
    const forged = await h.api.request('/api/2.0/cairn/serving/invocations?model=models:/credit@champion', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ dataframe_split: { columns: ['x', 'y'], data: [[1, 2]] } }),
    });
    expect(forged.status).toBe(400);
    expect(await forged.json()).toMatchObject({ message: expect.stringContaining('is not in service on an endpoint (deployment status: REJECTED)') });
  });
});
