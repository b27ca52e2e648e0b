import { describe, expect, it } from 'vitest';
import { deleteDeploymentPolicy, getDeploymentPolicy, setDeploymentPolicy } from '../../../../shared/domain/deployments/use-cases.js';
import { createRegisteredModel, deleteRegisteredModel, requireModel } from '../../../../shared/domain/registry/registered-models.js';
import { MlflowError } from '../../../../shared/errors/index.js';
import { deploymentWorld, LOCAL, STATE_MACHINE } from './world.js';

const rejection = async (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error);
const codeOf = async (promise: Promise<unknown>) => {
  const error = await rejection(promise);
  expect(error).toBeInstanceOf(MlflowError);
  return (error as MlflowError).errorCode;
};

describe('deployment policy use cases', () => {
  it('sets a policy with defaults and two model tags in one change, without a registry event', async () => {
    const world = deploymentWorld();
    const model = await createRegisteredModel(world.registryPorts, { name: 'Fraud Model', tags: [] });
    const { policy } = await setDeploymentPolicy(world.deploymentPorts, 'Fraud Model', { aliases: ['champion', 'champion'], stages: ['production'] });
    expect(policy).toMatchObject({
      name: 'Fraud Model',
      aliases: ['champion'],
      stages: ['Production'],
      endpoint_name: 'cairn-fraud-model',
      instance_type: 'ml.m5.large',
      initial_instance_count: 1,
      approval_required: false,
    });
    expect(world.tables.policies.get(model.modelId)).toMatchObject({ modelId: model.modelId, endpointName: 'cairn-fraud-model' });
    expect((await requireModel(world.registryPorts, 'Fraud Model')).tags).toEqual({
      'cairn.deployment.endpoint': 'cairn-fraud-model',
      'cairn.deployment.triggers': 'alias:champion,stage:Production',
    });
    expect(world.memory.events.map((e) => e.type)).toEqual(['REGISTERED_MODEL_CREATED']);
    expect(await getDeploymentPolicy(world.deploymentPorts, 'Fraud Model')).toEqual({ policy });
  });

  it('replaces a policy: the later one is what get answers', async () => {
    const world = deploymentWorld();
    await createRegisteredModel(world.registryPorts, { name: 'm', tags: [] });
    await setDeploymentPolicy(world.deploymentPorts, 'm', {});
    await setDeploymentPolicy(world.deploymentPorts, 'm', { aliases: ['live'], stages: ['Staging'], approvalRequired: true });
    expect((await getDeploymentPolicy(world.deploymentPorts, 'm')).policy).toMatchObject({ aliases: ['live'], stages: ['Staging'], approval_required: true });
    expect((await requireModel(world.registryPorts, 'm')).tags['cairn.deployment.triggers']).toBe('alias:live,stage:Staging');
  });

  it('refuses a bad field as a 400 naming it, and stores nothing', async () => {
    const world = deploymentWorld(STATE_MACHINE);
    const model = await createRegisteredModel(world.registryPorts, { name: 'm', tags: [] });
    const refused = [
      { endpointName: 'not-cairn' },
      { stages: ['Archived'] },
      { aliases: ['latest'] },
      { instanceType: 'm5.large' },
      { initialInstanceCount: 0 },
      { imageUri: 'docker.io/x:1' },
      { executionRoleArn: 'arn:aws:iam::123456789012:role/not-allowed' },
      { terminationWaitSeconds: 3601 },
    ];
    for (const input of refused) expect(await codeOf(setDeploymentPolicy(world.deploymentPorts, 'm', input))).toBe('INVALID_PARAMETER_VALUE');
    expect(world.tables.policies.has(model.modelId)).toBe(false);
    expect((await requireModel(world.registryPorts, 'm')).tags).toEqual({});
  });

  it('deletes the policy and its tags; deleting again is no error; get is then a 404', async () => {
    const world = deploymentWorld();
    const model = await createRegisteredModel(world.registryPorts, { name: 'm', tags: [{ key: 'keep', value: 'me' }] });
    await setDeploymentPolicy(world.deploymentPorts, 'm', {});
    await deleteDeploymentPolicy(world.deploymentPorts, 'm');
    await deleteDeploymentPolicy(world.deploymentPorts, 'm');
    expect(world.tables.policies.has(model.modelId)).toBe(false);
    expect((await requireModel(world.registryPorts, 'm')).tags).toEqual({ keep: 'me' });
    const error = await rejection(getDeploymentPolicy(world.deploymentPorts, 'm'));
    expect(error).toMatchObject({ errorCode: 'RESOURCE_DOES_NOT_EXIST', message: "Registered model 'm' has no deployment policy." });
  });

  it('answers a missing model as RESOURCE_DOES_NOT_EXIST for set, get and delete', async () => {
    const world = deploymentWorld(LOCAL);
    expect(await codeOf(setDeploymentPolicy(world.deploymentPorts, 'nobody', {}))).toBe('RESOURCE_DOES_NOT_EXIST');
    expect(await codeOf(getDeploymentPolicy(world.deploymentPorts, 'nobody'))).toBe('RESOURCE_DOES_NOT_EXIST');
    expect(await codeOf(deleteDeploymentPolicy(world.deploymentPorts, 'nobody'))).toBe('RESOURCE_DOES_NOT_EXIST');
  });

  it('the policy goes with its model', async () => {
    const world = deploymentWorld();
    const model = await createRegisteredModel(world.registryPorts, { name: 'm', tags: [] });
    await setDeploymentPolicy(world.deploymentPorts, 'm', {});
    await deleteRegisteredModel(world.registryPorts, 'm');
    expect(world.tables.policies.has(model.modelId)).toBe(false);
  });
});
