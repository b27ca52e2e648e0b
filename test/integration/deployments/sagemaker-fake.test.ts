import {
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  CreateModelCommand,
  DeleteEndpointCommand,
  DeleteEndpointConfigCommand,
  DeleteModelCommand,
  DescribeEndpointCommand,
  DescribeEndpointConfigCommand,
  DescribeModelCommand,
  ListEndpointsCommand,
  ListModelsCommand,
  SageMakerClient,
  UpdateEndpointCommand,
  type DeploymentConfig,
} from '@aws-sdk/client-sagemaker';
import { InvokeEndpointCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSageMakerFake, type SageMakerFake } from '../../support/sagemaker-fake.js';

const ARN_PREFIX = 'arn:aws:sagemaker:us-east-1:123456789012';
const credentials = { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' };

let fake: SageMakerFake;
let sagemaker: SageMakerClient;
let runtime: SageMakerRuntimeClient;

// Retries off by default so every scripted error reaches the test exactly once.
const controlClient = (maxAttempts = 1) => new SageMakerClient({ endpoint: fake.url, region: 'us-east-1', credentials, maxAttempts });

beforeEach(async () => {
  fake = await startSageMakerFake();
  sagemaker = controlClient();
  runtime = new SageMakerRuntimeClient({ endpoint: fake.url, region: 'us-east-1', credentials, maxAttempts: 1 });
});

afterEach(async () => {
  sagemaker.destroy();
  runtime.destroy();
  await fake.close();
});

const IMAGE = '123456789012.dkr.ecr.us-east-1.amazonaws.com/mlflow-pyfunc:2';
const ROLE = 'arn:aws:iam::123456789012:role/sagemaker-exec';

const createModelAndConfig = async (model: string, config: string, variant = 'AllTraffic') => {
  const container = { Image: IMAGE, ModelDataUrl: `s3://artifacts/${model}/model.tar.gz` };
  await sagemaker.send(new CreateModelCommand({ ModelName: model, ExecutionRoleArn: ROLE, PrimaryContainer: container }));
  const variants = [{ VariantName: variant, ModelName: model, InstanceType: 'ml.m5.large' as const, InitialInstanceCount: 2, InitialVariantWeight: 1 }];
  await sagemaker.send(new CreateEndpointConfigCommand({ EndpointConfigName: config, ProductionVariants: variants }));
};

const describeEndpoint = (name: string) => sagemaker.send(new DescribeEndpointCommand({ EndpointName: name }));
const statusOf = async (name: string) => (await describeEndpoint(name)).EndpointStatus;
const createEndpoint = (name: string, config: string) =>
  sagemaker.send(new CreateEndpointCommand({ EndpointName: name, EndpointConfigName: config }));
const updateEndpoint = (name: string, config: string, deployment?: DeploymentConfig) =>
  sagemaker.send(new UpdateEndpointCommand({ EndpointName: name, EndpointConfigName: config, DeploymentConfig: deployment }));
const deleteEndpoint = (name: string) => sagemaker.send(new DeleteEndpointCommand({ EndpointName: name }));

const invoke = (endpoint: string, body: string, contentType = 'application/json') =>
  runtime.send(new InvokeEndpointCommand({ EndpointName: endpoint, Body: new TextEncoder().encode(body), ContentType: contentType }));

const validation = (message: string) => ({ name: 'ValidationException', message, $metadata: { httpStatusCode: 400 } });
const rejectsWith = (call: Promise<unknown>, message: string) => expect(call).rejects.toMatchObject(validation(message));

describe('SageMaker fake: control plane through the real SageMakerClient', () => {
  it('creates a model, config and endpoint that settles InService after one Creating describe', async () => {
    // Act
    await createModelAndConfig('Wine-Model-3', 'wine-config-3');
    const created = await createEndpoint('wine', 'wine-config-3');
    const first = await describeEndpoint('wine');
    const second = await describeEndpoint('wine');

    // Assert
    expect(created.EndpointArn).toBe(`${ARN_PREFIX}:endpoint/wine`);
    expect(first).toMatchObject({ EndpointStatus: 'Creating', EndpointConfigName: 'wine-config-3' });
    expect(first.ProductionVariants).toBeUndefined();
    expect(second).toMatchObject({
      EndpointName: 'wine',
      EndpointArn: `${ARN_PREFIX}:endpoint/wine`,
      EndpointStatus: 'InService',
      ProductionVariants: [{ VariantName: 'AllTraffic', CurrentInstanceCount: 2, DesiredInstanceCount: 2, CurrentWeight: 1 }],
    });
    expect(second.FailureReason).toBeUndefined();
    expect(second.CreationTime).toBeInstanceOf(Date);
    expect(Math.abs(second.CreationTime!.getTime() - Date.now())).toBeLessThan(60_000);
    expect(second.LastModifiedTime!.getTime()).toBeGreaterThanOrEqual(second.CreationTime!.getTime());
    const operations = fake.calls.map((call) => call.operation);
    expect(operations).toEqual(['CreateModel', 'CreateEndpointConfig', 'CreateEndpoint', 'DescribeEndpoint', 'DescribeEndpoint']);
    expect(fake.calls[2]?.input).toEqual({ EndpointName: 'wine', EndpointConfigName: 'wine-config-3' });
  });

  it('describes models and configs with lowercased ARNs, and lists endpoints', async () => {
    // Prepare
    await createModelAndConfig('Wine-Model-3', 'Wine-Config-3');
    fake.settleAfterDescribes = 0;
    await createEndpoint('wine', 'Wine-Config-3');

    // Act
    const model = await sagemaker.send(new DescribeModelCommand({ ModelName: 'Wine-Model-3' }));
    const config = await sagemaker.send(new DescribeEndpointConfigCommand({ EndpointConfigName: 'Wine-Config-3' }));
    const listed = await sagemaker.send(new ListEndpointsCommand({ NameContains: 'WIN' }));

    // Assert
    expect(model).toMatchObject({ ModelName: 'Wine-Model-3', ModelArn: `${ARN_PREFIX}:model/wine-model-3` });
    expect(model.PrimaryContainer?.ModelDataUrl).toBe('s3://artifacts/Wine-Model-3/model.tar.gz');
    expect(model.CreationTime).toBeInstanceOf(Date);
    expect(config).toMatchObject({ EndpointConfigArn: `${ARN_PREFIX}:endpoint-config/wine-config-3` });
    expect(config.ProductionVariants?.[0]).toMatchObject({ ModelName: 'Wine-Model-3', InstanceType: 'ml.m5.large' });
    expect(listed.Endpoints).toEqual([expect.objectContaining({ EndpointName: 'wine', EndpointStatus: 'InService' })]);
    expect(fake.models.get('Wine-Model-3')).toMatchObject({ ExecutionRoleArn: 'arn:aws:iam::123456789012:role/sagemaker-exec' });
  });

  it('answers SageMaker\'s ValidationException messages for duplicates, bad names and missing resources', async () => {
    // Prepare
    await createModelAndConfig('m1', 'c1');
    fake.settleAfterDescribes = 0;
    await createEndpoint('e1', 'c1');
    const variants = [{ VariantName: 'AllTraffic', ModelName: 'ghost', InstanceType: 'ml.m5.large' as const, InitialInstanceCount: 1 }];
    const createConfig = (name: string, ProductionVariants: typeof variants) =>
      sagemaker.send(new CreateEndpointConfigCommand({ EndpointConfigName: name, ProductionVariants }));

    // Act & Assert
    await rejectsWith(sagemaker.send(new CreateModelCommand({ ModelName: 'm1' })), `Cannot create already existing model "${ARN_PREFIX}:model/m1".`);
    await rejectsWith(createConfig('c1', variants), `Cannot create already existing endpoint configuration "${ARN_PREFIX}:endpoint-config/c1".`);
    await rejectsWith(createConfig('c2', variants), `Could not find model "${ARN_PREFIX}:model/ghost".`);
    await rejectsWith(createEndpoint('e1', 'c1'), `Cannot create already existing endpoint "${ARN_PREFIX}:endpoint/e1".`);
    await rejectsWith(createEndpoint('e2', 'nope'), `Could not find endpoint configuration "${ARN_PREFIX}:endpoint-config/nope".`);
    await rejectsWith(updateEndpoint('e1', 'nope'), `Could not find endpoint configuration "${ARN_PREFIX}:endpoint-config/nope".`);
    const missing = validation(`Could not find endpoint "${ARN_PREFIX}:endpoint/gone".`);
    await expect(describeEndpoint('Gone')).rejects.toMatchObject(missing);
    await expect(deleteEndpoint('gone')).rejects.toMatchObject(missing);
    await expect(updateEndpoint('gone', 'c1')).rejects.toMatchObject(missing);
    const badName = { name: 'ValidationException', message: expect.stringContaining("Value 'bad_name' at 'modelName' failed to satisfy") };
    await expect(sagemaker.send(new CreateModelCommand({ ModelName: 'bad_name' }))).rejects.toMatchObject(badName);
    expect(fake.endpoints.has('e2')).toBe(false);
  });

  it('answers ThrottlingException for the scripted number of calls (which the SDK retries), UnknownOperationException for the rest', async () => {
    // Prepare
    fake.throttle('CreateModel', 1);
    fake.throttle('DescribeModel', 1);

    // Act & Assert
    const throttled = { name: 'ThrottlingException', message: 'Rate exceeded', $metadata: { httpStatusCode: 400 } };
    await expect(sagemaker.send(new CreateModelCommand({ ModelName: 'm1' }))).rejects.toMatchObject(throttled);
    await sagemaker.send(new CreateModelCommand({ ModelName: 'm1' }));
    const retrying = controlClient(3);
    const described = await retrying.send(new DescribeModelCommand({ ModelName: 'm1' }));
    retrying.destroy();
    expect(described.ModelName).toBe('m1');
    expect(described.$metadata.attempts).toBe(2);
    expect(fake.calls.map((call) => call.operation)).toEqual(['CreateModel', 'CreateModel', 'DescribeModel', 'DescribeModel']);
    const unknown = { name: 'UnknownOperationException', $metadata: { httpStatusCode: 400 } };
    await expect(sagemaker.send(new ListModelsCommand({}))).rejects.toMatchObject(unknown);
  });

  it('fails a create scripted to fail, with its reason, and refuses to update the failed endpoint', async () => {
    // Prepare
    await createModelAndConfig('m1', 'c1');
    fake.scriptOutcome('e1', 'Failed', 'Image pull failed');
    fake.settleAfterDescribes = 2;

    // Act
    await createEndpoint('e1', 'c1');
    const statuses = [await statusOf('e1'), await statusOf('e1'), await statusOf('e1')];
    const failed = await describeEndpoint('e1');

    // Assert
    expect(statuses).toEqual(['Creating', 'Creating', 'Failed']);
    expect(failed.FailureReason).toBe('Image pull failed');
    await rejectsWith(updateEndpoint('e1', 'c1'), `Cannot update failed endpoint "${ARN_PREFIX}:endpoint/e1".`);
    await expect(invoke('e1', '[]')).rejects.toMatchObject({ name: 'ValidationError', message: 'Endpoint e1 of account 123456789012 not found.' });
    await deleteEndpoint('e1');
    expect(fake.endpoints.size).toBe(0);
  });
});

describe('SageMaker fake: blue/green updates', () => {
  const deploymentConfig: DeploymentConfig = {
    BlueGreenUpdatePolicy: {
      TrafficRoutingConfiguration: { Type: 'CANARY', WaitIntervalInSeconds: 300, CanarySize: { Type: 'CAPACITY_PERCENT', Value: 10 } },
      TerminationWaitInSeconds: 600,
    },
    AutoRollbackConfiguration: { Alarms: [{ AlarmName: 'wine-5xx' }] },
  };

  beforeEach(async () => {
    await createModelAndConfig('m1', 'c1');
    await createModelAndConfig('m2', 'c2', 'Green');
    fake.settleAfterDescribes = 0;
    await createEndpoint('wine', 'c1');
    fake.settleAfterDescribes = 1;
  });

  it('moves to the new config after Updating, keeps serving meanwhile, and records the DeploymentConfig', async () => {
    // Act
    await updateEndpoint('wine', 'c2', deploymentConfig);
    const servedDuringUpdate = await invoke('wine', '{"instances": [[1], [2]]}');
    const updating = await describeEndpoint('wine');
    const settled = await describeEndpoint('wine');

    // Assert
    expect(updating).toMatchObject({ EndpointStatus: 'Updating', EndpointConfigName: 'c1', PendingDeploymentSummary: { EndpointConfigName: 'c2' } });
    expect(servedDuringUpdate.InvokedProductionVariant).toBe('AllTraffic');
    expect(settled).toMatchObject({ EndpointStatus: 'InService', EndpointConfigName: 'c2', ProductionVariants: [{ VariantName: 'Green' }] });
    expect(settled.PendingDeploymentSummary).toBeUndefined();
    expect(settled.FailureReason).toBeUndefined();
    expect(settled.LastDeploymentConfig).toEqual(deploymentConfig);
    expect(fake.calls.find((call) => call.operation === 'UpdateEndpoint')?.input.DeploymentConfig).toEqual(deploymentConfig);
    expect(fake.endpoints.get('wine')?.deploymentConfig).toEqual(deploymentConfig);
  });

  it('refuses to update or delete an endpoint while it is Updating', async () => {
    // Prepare
    await updateEndpoint('wine', 'c2');
    const inProgress = validation(`Cannot update in-progress endpoint "${ARN_PREFIX}:endpoint/wine".`);

    // Act & Assert
    await expect(updateEndpoint('wine', 'c1')).rejects.toMatchObject(inProgress);
    await expect(deleteEndpoint('wine')).rejects.toMatchObject(inProgress);
    expect(await statusOf('wine')).toBe('Updating');
    expect(await statusOf('wine')).toBe('InService');
  });

  it('rolls back to the old config with a FailureReason, as auto-rollback does, and fails an update scripted to fail', async () => {
    // Prepare
    fake.scriptOutcome('wine', 'RollBack', 'Alarm wine-5xx went into ALARM');

    // Act
    await updateEndpoint('wine', 'c2', deploymentConfig);
    const statuses = [await statusOf('wine'), await statusOf('wine')];
    const rolledBack = await describeEndpoint('wine');
    fake.scriptOutcome('wine', 'Failed');
    await updateEndpoint('wine', 'c2');
    const afterFailedUpdate = [await statusOf('wine'), await describeEndpoint('wine')] as const;

    // Assert
    expect(statuses).toEqual(['Updating', 'InService']);
    expect(rolledBack).toMatchObject({ EndpointStatus: 'InService', EndpointConfigName: 'c1', FailureReason: 'Alarm wine-5xx went into ALARM' });
    expect(rolledBack.ProductionVariants?.[0]?.VariantName).toBe('AllTraffic');
    expect(afterFailedUpdate[0]).toBe('Updating');
    expect(afterFailedUpdate[1]).toMatchObject({ EndpointStatus: 'Failed', EndpointConfigName: 'c1', FailureReason: expect.any(String) });
    expect(fake.endpoints.get('wine')).toMatchObject({ status: 'Failed', configName: 'c1', pendingConfigName: undefined });
  });
});

describe('SageMaker fake: runtime through the real SageMakerRuntimeClient', () => {
  beforeEach(async () => {
    await createModelAndConfig('m1', 'c1', 'primary');
    fake.settleAfterDescribes = 0;
    await createEndpoint('wine', 'c1');
  });

  it('counts the rows of a scoring payload by default, and round-trips body and content type through onInvoke', async () => {
    // Act
    const counted = await invoke('wine', JSON.stringify({ dataframe_split: { columns: ['a', 'b'], data: [[1, 2], [3, 4], [5, 6]] } }));
    fake.onInvoke = (endpointName, body, contentType) => ({ status: 200, body: `${endpointName}:${contentType}:${body}`, contentType: 'text/csv' });
    const echoed = await invoke('wine', 'a,b\n1,2\n', 'text/csv');

    // Assert
    expect(JSON.parse(new TextDecoder().decode(counted.Body))).toEqual({ predictions: 3 });
    expect(counted).toMatchObject({ ContentType: 'application/json', InvokedProductionVariant: 'primary' });
    expect(new TextDecoder().decode(echoed.Body)).toBe('wine:text/csv:a,b\n1,2\n');
    expect(echoed.ContentType).toBe('text/csv');
    expect(fake.invocations).toEqual([
      { endpointName: 'wine', body: expect.stringContaining('dataframe_split'), contentType: 'application/json' },
      { endpointName: 'wine', body: 'a,b\n1,2\n', contentType: 'text/csv' },
    ]);
  });

  it('wraps a 424 from onInvoke in a ModelError the SDK parses', async () => {
    // Prepare
    fake.onInvoke = () => ({ status: 424, body: 'column "alcohol" is missing' });

    // Act
    const error = await invoke('wine', '{}').catch((caught: unknown) => caught);

    // Assert
    const wrapped = { name: 'ModelError', OriginalStatusCode: 400, OriginalMessage: 'column "alcohol" is missing', $metadata: { httpStatusCode: 424 } };
    expect(error).toMatchObject(wrapped);
    expect((error as Error).message).toMatch(/^Received client error \(400\) from primary with message "column "alcohol" is missing"/);
  });

  it('answers ValidationError for an unknown or still-creating endpoint, and throttles when scripted', async () => {
    // Prepare
    fake.settleAfterDescribes = 1;
    await createEndpoint('creating', 'c1');
    fake.throttle('InvokeEndpoint', 1);

    // Act & Assert
    await expect(invoke('wine', '[]')).rejects.toMatchObject({ name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });
    const notFound = { name: 'ValidationError', message: 'Endpoint nope of account 123456789012 not found.', $metadata: { httpStatusCode: 400 } };
    await expect(invoke('nope', '[]')).rejects.toMatchObject(notFound);
    await expect(invoke('creating', '[]')).rejects.toMatchObject({ name: 'ValidationError' });
    await expect(invoke('wine', '[1, 2]')).resolves.toMatchObject({ $metadata: { httpStatusCode: 200 } });
  });

  it('stops serving once the endpoint, config and model are deleted', async () => {
    // Act
    await deleteEndpoint('wine');
    await sagemaker.send(new DeleteEndpointConfigCommand({ EndpointConfigName: 'c1' }));
    await sagemaker.send(new DeleteModelCommand({ ModelName: 'm1' }));

    // Assert
    await expect(invoke('wine', '[]')).rejects.toMatchObject({ name: 'ValidationError' });
    await rejectsWith(sagemaker.send(new DescribeModelCommand({ ModelName: 'm1' })), `Could not find model "${ARN_PREFIX}:model/m1".`);
    const deleteAgain = sagemaker.send(new DeleteEndpointConfigCommand({ EndpointConfigName: 'c1' }));
    await rejectsWith(deleteAgain, `Could not find endpoint configuration "${ARN_PREFIX}:endpoint-config/c1".`);
    expect([fake.endpoints.size, fake.endpointConfigs.size, fake.models.size]).toEqual([0, 0, 0]);
  });
});
