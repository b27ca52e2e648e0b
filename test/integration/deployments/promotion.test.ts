import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXECUTION_ROLE, SERVING_IMAGE, sklearnMlModel, startPromotionHarness, type PromotionHarness } from '../../support/promotion-harness.js';

/**
 * Promotions end to end: the state machine synthesized from Cairn's stack, executed by aws-local-stepfunctions;
 * its Lambda steps against DynamoDB Local and S3 (fauxqs); its SageMaker calls through the real SDK to the fake.
 */
describe('promotion to SageMaker through the state machine', () => {
  let h: PromotionHarness;
  beforeAll(async () => {
    h = await startPromotionHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  const setPolicy = (name: string, extra: Record<string, unknown> = {}) =>
    h.api.call('POST', '/api/2.0/cairn/registered-models/deployment-policy', { name, ...extra });
  const setAlias = (name: string, version: string, alias = 'champion') =>
    h.api.call('POST', '/api/2.0/mlflow/registered-models/alias', { name, alias, version });
  const promote = async (name: string, version: string, alias = 'champion') => {
    await setAlias(name, version, alias);
    const [id] = await h.startPending(name);
    if (!id) throw new Error('no deployment was recorded');
    return id;
  };
  const callsOf = (operation: string) => h.sagemaker.calls.filter((c) => c.operation === operation);

  it('first deployment: creates model, config and endpoint, and records IN_SERVICE on the version', async () => {
    const v1 = await h.registerVersion('fraud');
    expect((await setPolicy('fraud')).status).toBe(200);
    const id = await promote('fraud', v1);
    expect(await h.outcome(id)).toMatchObject({ status: 'SUCCEEDED' });

    const tags = await h.versionTags('fraud', v1);
    expect(tags).toMatchObject({
      'cairn.deployment.status': 'IN_SERVICE',
      'cairn.deployment.endpoint': 'cairn-fraud',
      'cairn.deployment.id': id,
    });
    expect(Number(tags['cairn.deployment.updated_at'])).toBeGreaterThan(0);
    const deployment = await h.deployment(id);
    expect(deployment.status).toBe('IN_SERVICE');
    expect(deployment.steps.map((s: { name: string; status: string }) => `${s.name}:${s.status}`)).toEqual([
      'requested:PENDING',
      'execution-started:PENDING',
      'validated:PENDING',
      'endpoint-claimed:DEPLOYING',
      'in-service:IN_SERVICE',
    ]);
    expect(deployment.execution_arn).toBe(`arn:aws:states:us-east-1:123456789012:execution:cairn-promotion:${id}`);

    // A retried stream batch starts nothing twice and records nothing twice.
    await h.replayStart(id);
    expect(h.executions.size).toBe(1);
    expect((await h.deployment(id)).steps).toHaveLength(5);

    const [createModel] = callsOf('CreateModel');
    expect(createModel?.input).toMatchObject({
      ModelName: `cairn-${id}`,
      ExecutionRoleArn: EXECUTION_ROLE,
      PrimaryContainer: {
        Image: SERVING_IMAGE,
        ModelDataSource: { S3DataSource: { S3DataType: 'S3Prefix', CompressionType: 'None' } },
      },
    });
    const endpoint = h.sagemaker.endpoints.get('cairn-fraud');
    expect(endpoint).toMatchObject({ status: 'InService', configName: `cairn-${id}` });
    expect(callsOf('CreateEndpoint')).toHaveLength(1);
    expect(callsOf('UpdateEndpoint')).toHaveLength(0);
  });

  it('update: blue/green UpdateEndpoint, the old version is superseded and its model and config deleted', async () => {
    const first = (await h.api.call('GET', '/api/2.0/cairn/deployments/list', { name: 'fraud' })).body.deployments[0].deployment_id;
    const v2 = await h.registerVersion('fraud');
    const id = await promote('fraud', v2);
    expect(await h.outcome(id)).toMatchObject({ status: 'SUCCEEDED' });

    expect((await h.versionTags('fraud', v2))['cairn.deployment.status']).toBe('IN_SERVICE');
    expect((await h.versionTags('fraud', '1'))['cairn.deployment.status']).toBe('SUPERSEDED');
    const update = callsOf('UpdateEndpoint').at(-1);
    expect(update?.input).toMatchObject({
      EndpointName: 'cairn-fraud',
      EndpointConfigName: `cairn-${id}`,
      DeploymentConfig: { BlueGreenUpdatePolicy: { TrafficRoutingConfiguration: { Type: 'ALL_AT_ONCE' }, TerminationWaitInSeconds: 300 } },
    });
    expect(h.sagemaker.endpoints.get('cairn-fraud')?.configName).toBe(`cairn-${id}`);
    expect(h.sagemaker.models.has(`cairn-${first}`)).toBe(false);
    expect(h.sagemaker.endpointConfigs.has(`cairn-${first}`)).toBe(false);
    expect(h.sagemaker.models.has(`cairn-${id}`)).toBe(true);
  });

  it('rollback: SageMaker rolls the update back; the version records ROLLED_BACK and its model and config are removed', async () => {
    await setPolicy('fraud', { rollback_alarms: ['fraud-5xx'] });
    const v3 = await h.registerVersion('fraud');
    const live = h.sagemaker.endpoints.get('cairn-fraud')?.configName;
    h.sagemaker.scriptOutcome('cairn-fraud', 'RollBack', 'Alarm fraud-5xx went into ALARM during the baking period');
    const id = await promote('fraud', v3);
    expect(await h.outcome(id)).toMatchObject({ status: 'FAILED', error: 'DeploymentFailed' });

    const tags = await h.versionTags('fraud', v3);
    expect(tags['cairn.deployment.status']).toBe('ROLLED_BACK');
    expect(tags['cairn.deployment.message']).toContain('Alarm fraud-5xx went into ALARM');
    expect(callsOf('UpdateEndpoint').at(-1)?.input).toMatchObject({
      DeploymentConfig: { AutoRollbackConfiguration: { Alarms: [{ AlarmName: 'fraud-5xx' }] } },
    });
    expect(h.sagemaker.endpoints.get('cairn-fraud')?.configName).toBe(live);
    expect(h.sagemaker.models.has(`cairn-${id}`)).toBe(false);
    expect(h.sagemaker.endpointConfigs.has(`cairn-${id}`)).toBe(false);
    expect((await h.versionTags('fraud', '2'))['cairn.deployment.status']).toBe('IN_SERVICE');
  });

  it('a failed creation records FAILED with the reason and removes the endpoint, config and model', async () => {
    const v1 = await h.registerVersion('churn');
    await setPolicy('churn');
    h.sagemaker.scriptOutcome('cairn-churn', 'Failed', 'The primary container for production variant primary did not pass the ping health check.');
    const id = await promote('churn', v1);
    expect(await h.outcome(id)).toMatchObject({ status: 'FAILED' });
    const deployment = await h.deployment(id);
    expect(deployment.status).toBe('FAILED');
    expect(deployment.status_message).toContain('did not pass the ping health check');
    expect(h.sagemaker.endpoints.has('cairn-churn')).toBe(false);
    expect(h.sagemaker.models.has(`cairn-${id}`)).toBe(false);
  });

  it('retries a throttled SageMaker call and deploys', async () => {
    const v1 = await h.registerVersion('throttled');
    await setPolicy('throttled');
    const before = callsOf('CreateModel').length;
    h.sagemaker.throttle('CreateModel', 2);
    const id = await promote('throttled', v1);
    expect(await h.outcome(id)).toMatchObject({ status: 'SUCCEEDED' });
    expect(callsOf('CreateModel').length - before).toBe(3);
    expect((await h.deployment(id)).status).toBe('IN_SERVICE');
  });

  it('refuses a version without a python_function flavor, with the reason, before calling SageMaker', async () => {
    const v1 = await h.registerVersion('no-pyfunc', sklearnMlModel(['sklearn']));
    await setPolicy('no-pyfunc');
    const before = h.sagemaker.calls.length;
    const id = await promote('no-pyfunc', v1);
    expect(await h.outcome(id)).toMatchObject({ status: 'FAILED' });
    const tags = await h.versionTags('no-pyfunc', v1);
    expect(tags['cairn.deployment.status']).toBe('FAILED');
    expect(tags['cairn.deployment.message']).toContain('has no python_function flavor (flavors: sklearn)');
    expect(h.sagemaker.calls.length).toBe(before);
  });

  it('an endpoint left Failed is deleted and created anew, since SageMaker cannot update it', async () => {
    const v1 = await h.registerVersion('broken');
    await setPolicy('broken');
    const now = Date.now();
    h.sagemaker.endpoints.set('cairn-broken', {
      name: 'cairn-broken',
      status: 'Failed',
      configName: 'cairn-left-over',
      failureReason: 'left over from an earlier attempt',
      creationTime: now,
      lastModifiedTime: now,
      describesLeft: 0,
      arn: 'arn:aws:sagemaker:us-east-1:123456789012:endpoint/cairn-broken',
    });
    const id = await promote('broken', v1);
    expect(await h.outcome(id)).toMatchObject({ status: 'SUCCEEDED' });
    const onBroken = h.sagemaker.calls.filter((c) => c.input.EndpointName === 'cairn-broken').map((c) => c.operation);
    expect(onBroken.indexOf('DeleteEndpoint')).toBeLessThan(onBroken.indexOf('CreateEndpoint'));
    expect(onBroken).not.toContain('UpdateEndpoint');
    expect(h.sagemaker.endpoints.get('cairn-broken')).toMatchObject({ status: 'InService', configName: `cairn-${id}` });
  });
});
