import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, ENGINES, type TestApi } from '../../support/test-api.js';

/** Local mode: no deployment target, so promotions are recorded with the reason and nothing is deployed. */
describe.each(ENGINES)('deployment policy and local-mode promotions (%s)', (engine) => {
  let api: TestApi;
  beforeAll(async () => {
    api = await createTestApi(engine);
  });

  const registerVersion = async (name: string) => {
    await api.call('POST', '/api/2.0/mlflow/registered-models/create', { name });
    const created = await api.call('POST', '/api/2.0/mlflow/model-versions/create', { name, source: 'mlflow-artifacts:/1/abc/artifacts/model' });
    return created.body.model_version.version as string;
  };

  it('sets a policy with defaults, shows it as model tags, and reads it back', async () => {
    await registerVersion('fraud');
    const set = await api.call('POST', '/api/2.0/cairn/registered-models/deployment-policy', { name: 'fraud' });
    expect(set.status).toBe(200);
    expect(set.body.policy).toMatchObject({
      name: 'fraud',
      aliases: ['champion'],
      stages: ['Production'],
      endpoint_name: 'cairn-fraud',
      instance_type: 'ml.m5.large',
      initial_instance_count: 1,
      approval_required: false,
    });
    const got = await api.call('GET', '/api/2.0/cairn/registered-models/deployment-policy', { name: 'fraud' });
    expect(got.body.policy).toEqual(set.body.policy);
    const model = await api.call('GET', '/api/2.0/mlflow/registered-models/get', { name: 'fraud' });
    expect(model.body.registered_model.tags).toEqual(
      expect.arrayContaining([
        { key: 'cairn.deployment.endpoint', value: 'cairn-fraud' },
        { key: 'cairn.deployment.triggers', value: 'alias:champion,stage:Production' },
      ]),
    );
  });

  it('refuses a bad policy with a 400 naming the field, and changes nothing', async () => {
    await registerVersion('churn');
    for (const [field, value, text] of [
      ['endpoint_name', 'prod-endpoint', "must start with 'cairn-'"],
      ['instance_type', 'm5.large', 'instance_type'],
      ['initial_instance_count', 0, 'initial_instance_count'],
      ['image_uri', 'docker.io/mlflow', 'image_uri'],
      ['stages', ['Archived'], 'Staging or Production'],
      ['aliases', ['latest'], 'reserved'],
      ['termination_wait_seconds', 7200, 'termination_wait_seconds'],
    ] as const) {
      const answer = await api.call('POST', '/api/2.0/cairn/registered-models/deployment-policy', { name: 'churn', [field]: value });
      expect(answer.status, field).toBe(400);
      expect(answer.body.error_code).toBe('INVALID_PARAMETER_VALUE');
      expect(answer.body.message).toContain(text);
    }
    const got = await api.call('GET', '/api/2.0/cairn/registered-models/deployment-policy', { name: 'churn' });
    expect(got.status).toBe(404);
    expect(got.body.error_code).toBe('RESOURCE_DOES_NOT_EXIST');
  });

  it('records an alias promotion as not deployed, on the version tags and in the deployments API', async () => {
    const version = await registerVersion('ranker');
    await api.call('POST', '/api/2.0/cairn/registered-models/deployment-policy', { name: 'ranker' });
    const alias = await api.call('POST', '/api/2.0/mlflow/registered-models/alias', { name: 'ranker', alias: 'champion', version });
    expect(alias.status).toBe(200);

    const mv = await api.call('GET', '/api/2.0/mlflow/model-versions/get', { name: 'ranker', version });
    const tags = Object.fromEntries(mv.body.model_version.tags.map((t: { key: string; value: string }) => [t.key, t.value]));
    expect(tags['cairn.deployment.status']).toBe('NOT_DEPLOYED');
    expect(tags['cairn.deployment.message']).toBe('not deployed: no deployment target configured');
    expect(tags['cairn.deployment.endpoint']).toBe('cairn-ranker');

    const list = await api.call('GET', '/api/2.0/cairn/deployments/list', { name: 'ranker' });
    expect(list.body.deployments).toHaveLength(1);
    const [deployment] = list.body.deployments;
    expect(deployment).toMatchObject({ name: 'ranker', version, trigger: { alias: 'champion' }, status: 'NOT_DEPLOYED' });
    expect(deployment.deployment_id).toBe(tags['cairn.deployment.id']);
    const one = await api.call('GET', '/api/2.0/cairn/deployments/get', { deployment_id: deployment.deployment_id });
    expect(one.body.deployment.steps).toEqual([
      expect.objectContaining({ name: 'requested', status: 'NOT_DEPLOYED', message: "alias 'champion' set on version 1" }),
    ]);

    // After a rename the deployments follow the model, under its new name.
    await api.call('POST', '/api/2.0/mlflow/registered-models/rename', { name: 'ranker', new_name: 'ranker-v2' });
    const renamed = await api.call('GET', '/api/2.0/cairn/deployments/list', { name: 'ranker-v2' });
    expect(renamed.body.deployments.map((d: { name: string }) => d.name)).toEqual(['ranker-v2']);
    const again = await api.call('GET', '/api/2.0/cairn/deployments/get', { deployment_id: deployment.deployment_id });
    expect(again.body.deployment.name).toBe('ranker-v2');
  });

  it('deploys on the policy stage but not on other stages or aliases', async () => {
    const version = await registerVersion('pricing');
    await api.call('POST', '/api/2.0/cairn/registered-models/deployment-policy', { name: 'pricing', aliases: ['live'], stages: ['Staging'] });
    await api.call('POST', '/api/2.0/mlflow/registered-models/alias', { name: 'pricing', alias: 'champion', version });
    await api.call('POST', '/api/2.0/mlflow/model-versions/transition-stage', { name: 'pricing', version, stage: 'Production', archive_existing_versions: false });
    expect((await api.call('GET', '/api/2.0/cairn/deployments/list', { name: 'pricing' })).body.deployments).toEqual([]);
    await api.call('POST', '/api/2.0/mlflow/model-versions/transition-stage', { name: 'pricing', version, stage: 'Staging', archive_existing_versions: false });
    const list = await api.call('GET', '/api/2.0/cairn/deployments/list', { name: 'pricing' });
    expect(list.body.deployments.map((d: { trigger: unknown }) => d.trigger)).toEqual([{ stage: 'Staging' }]);
  });

  it('approving a deployment that does not wait for approval is a 400', async () => {
    const version = await registerVersion('approvals');
    await api.call('POST', '/api/2.0/cairn/registered-models/deployment-policy', { name: 'approvals' });
    await api.call('POST', '/api/2.0/mlflow/registered-models/alias', { name: 'approvals', alias: 'champion', version });
    const [deployment] = (await api.call('GET', '/api/2.0/cairn/deployments/list', { name: 'approvals' })).body.deployments;
    const approve = await api.call('POST', '/api/2.0/cairn/deployments/approve', { deployment_id: deployment.deployment_id });
    expect(approve.status).toBe(400);
    expect(approve.body.message).toContain('is not waiting for approval (status NOT_DEPLOYED)');
    const missing = await api.call('GET', '/api/2.0/cairn/deployments/get', { deployment_id: 'nope' });
    expect(missing.status).toBe(404);
  });

  it('deleting the policy removes its tags; later promotions deploy nothing', async () => {
    const version = await registerVersion('retired');
    await api.call('POST', '/api/2.0/cairn/registered-models/deployment-policy', { name: 'retired' });
    const removed = await api.call('DELETE', '/api/2.0/cairn/registered-models/deployment-policy', { name: 'retired' });
    expect(removed.status).toBe(200);
    await api.call('POST', '/api/2.0/mlflow/registered-models/alias', { name: 'retired', alias: 'champion', version });
    expect((await api.call('GET', '/api/2.0/cairn/deployments/list', { name: 'retired' })).body.deployments).toEqual([]);
    const model = await api.call('GET', '/api/2.0/mlflow/registered-models/get', { name: 'retired' });
    expect(model.body.registered_model.tags ?? []).toEqual([]);
  });

});
