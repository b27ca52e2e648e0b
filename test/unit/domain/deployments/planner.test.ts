import { describe, expect, it } from 'vitest';
import { createPromotionPlanner } from '../../../../shared/domain/deployments/planner.js';
import { setDeploymentPolicy } from '../../../../shared/domain/deployments/use-cases.js';
import { setAlias } from '../../../../shared/domain/registry/aliases.js';
import { createModelVersion, requireVersion, transitionModelVersionStage } from '../../../../shared/domain/registry/model-versions.js';
import { createRegisteredModel } from '../../../../shared/domain/registry/registered-models.js';
import type { ModelVersion, RegisteredModel } from '../../../../shared/domain/registry/entities.js';
import type { DeploymentPolicy } from '../../../../shared/domain/deployments/entities.js';
import { createMemoryDeployments } from '../../../support/fakes/deployments.js';
import { deploymentWorld, LOCAL, STATE_MACHINE } from './world.js';

const model: RegisteredModel = { modelId: 'm1', name: 'fraud', creationTimestamp: 0, lastUpdatedTimestamp: 0, tags: {}, aliases: {}, latestVersion: 3, eventSeq: 5 };
const version = { version: 3 } as ModelVersion;
const policy: DeploymentPolicy = {
  modelId: 'm1',
  aliases: ['champion'],
  stages: ['Production'],
  endpointName: 'cairn-fraud',
  instanceType: 'ml.m5.large',
  initialInstanceCount: 2,
  approvalRequired: true,
  rollbackAlarms: ['p99'],
  terminationWaitSeconds: 60,
  updatedAt: 1,
};

const plannerWith = (settings = LOCAL, policies: DeploymentPolicy[] = [policy]) => {
  const store = createMemoryDeployments();
  for (const p of policies) store.tables.policies.set(p.modelId, p);
  return createPromotionPlanner(store, settings);
};

describe('promotion planner', () => {
  it('plans nothing for a model without a policy, or a change the policy does not name', async () => {
    expect(await plannerWith(STATE_MACHINE, []).plan(model, version, { kind: 'alias', alias: 'champion' }, 10)).toBeUndefined();
    const planner = plannerWith(STATE_MACHINE);
    expect(await planner.plan(model, version, { kind: 'alias', alias: 'challenger' }, 10)).toBeUndefined();
    expect(await planner.plan(model, version, { kind: 'stage', stage: 'Staging' }, 10)).toBeUndefined();
  });

  it('with a target: a PENDING deployment that requests the endpoint, with the policy frozen into it', async () => {
    const planned = await plannerWith(STATE_MACHINE).plan(model, version, { kind: 'stage', stage: 'Production' }, 10);
    expect(planned?.requestEndpoint).toBe('cairn-fraud');
    const deployment = planned?.deployment;
    expect(deployment).toMatchObject({
      modelId: 'm1',
      modelName: 'fraud',
      version: 3,
      trigger: { kind: 'stage', stage: 'Production' },
      endpointName: 'cairn-fraud',
      status: 'PENDING',
      createdAt: 10,
      policy: { instanceType: 'ml.m5.large', initialInstanceCount: 2, approvalRequired: true, rollbackAlarms: ['p99'] },
      steps: [{ name: 'requested', status: 'PENDING', at: 10, message: "stage 'Production' set on version 3" }],
    });
    expect(deployment?.deploymentId).toMatch(/^[0-9a-f]{32}$/);
    expect(deployment?.sagemakerModelName).toBe(`cairn-${deployment?.deploymentId}`);
    expect(deployment?.policy).not.toHaveProperty('modelId');
    expect(planned?.versionTags).toEqual({
      'cairn.deployment.status': 'PENDING',
      'cairn.deployment.endpoint': 'cairn-fraud',
      'cairn.deployment.id': deployment?.deploymentId,
      'cairn.deployment.message': "stage 'Production' set on version 3",
      'cairn.deployment.updated_at': '10',
    });
  });

  it('without a target: NOT_DEPLOYED at once with the reason, and no endpoint request', async () => {
    const planned = await plannerWith(LOCAL).plan(model, version, { kind: 'alias', alias: 'champion' }, 10);
    expect(planned?.requestEndpoint).toBeUndefined();
    expect(planned?.deployment).toMatchObject({ status: 'NOT_DEPLOYED', statusMessage: 'not deployed: no deployment target configured' });
    expect(planned?.versionTags['cairn.deployment.status']).toBe('NOT_DEPLOYED');
  });
});

describe('promotions recorded with the registry change', () => {
  const promoted = async (settings = STATE_MACHINE) => {
    const world = deploymentWorld(settings);
    await createRegisteredModel(world.registryPorts, { name: 'fraud', tags: [] });
    await createModelVersion(world.registryPorts, { name: 'fraud', source: 's3://b/1', tags: [] });
    await createModelVersion(world.registryPorts, { name: 'fraud', source: 's3://b/2', tags: [] });
    await setDeploymentPolicy(world.deploymentPorts, 'fraud', { endpointName: 'cairn-fraud' });
    return world;
  };

  it('an alias the policy names records a deployment, tags the version and requests the endpoint', async () => {
    const world = await promoted();
    await setAlias(world.registryPorts, 'fraud', 'champion', '2');
    const [deployment, ...more] = world.tables.deployments.values();
    expect(more).toEqual([]);
    expect(deployment).toMatchObject({ version: 2, trigger: { kind: 'alias', alias: 'champion' }, status: 'PENDING' });
    expect(world.tables.endpoints.get('cairn-fraud')).toEqual({ endpointName: 'cairn-fraud', latestDeploymentId: deployment?.deploymentId });
    const { version } = await requireVersion(world.registryPorts, 'fraud', '2');
    expect(version.tags).toMatchObject({ 'cairn.deployment.id': deployment?.deploymentId, 'cairn.deployment.status': 'PENDING' });
    expect(world.memory.events.at(-1)).toMatchObject({ type: 'MODEL_VERSION_ALIAS_SET', version: '2' });
  });

  it('a stage transition the policy names records one too; others record nothing', async () => {
    const world = await promoted(LOCAL);
    await setAlias(world.registryPorts, 'fraud', 'challenger', '1');
    await transitionModelVersionStage(world.registryPorts, 'fraud', '1', 'Staging', false);
    expect(world.tables.deployments.size).toBe(0);
    const moved = await transitionModelVersionStage(world.registryPorts, 'fraud', '1', 'Production', false);
    const [deployment] = world.tables.deployments.values();
    expect(deployment).toMatchObject({ version: 1, trigger: { kind: 'stage', stage: 'Production' }, status: 'NOT_DEPLOYED' });
    expect(moved.version.tags['cairn.deployment.status']).toBe('NOT_DEPLOYED');
    expect(world.tables.endpoints.size).toBe(0);
  });

  it('a refused alias change records no deployment', async () => {
    const world = await promoted();
    const error = await setAlias(world.registryPorts, 'fraud', 'champion', '9').then(() => undefined, (e: unknown) => e);
    expect(error).toMatchObject({ errorCode: 'RESOURCE_DOES_NOT_EXIST' });
    expect(world.tables.deployments.size).toBe(0);
    expect(world.tables.endpoints.size).toBe(0);
  });
});
