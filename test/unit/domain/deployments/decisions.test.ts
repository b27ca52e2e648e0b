import { describe, expect, it } from 'vitest';
import { startPromotion } from '../../../../shared/domain/deployments/starter.js';
import { claimStep, ENDPOINT_LEASE_MS } from '../../../../shared/domain/deployments/steps.js';
import { decideDeployment, getDeployment, listDeployments, setDeploymentPolicy } from '../../../../shared/domain/deployments/use-cases.js';
import { setAlias } from '../../../../shared/domain/registry/aliases.js';
import { createModelVersion, requireVersion } from '../../../../shared/domain/registry/model-versions.js';
import { createRegisteredModel, renameRegisteredModel } from '../../../../shared/domain/registry/registered-models.js';
import { MlflowError } from '../../../../shared/errors/index.js';
import { recordingTasks } from '../../../support/fakes/deployments.js';
import { deploymentWorld, STATE_MACHINE } from './world.js';

const rejection = async (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error);
const codeOf = async (promise: Promise<unknown>) => {
  const error = await rejection(promise);
  expect(error).toBeInstanceOf(MlflowError);
  return (error as MlflowError).errorCode;
};

/** A model with `versions` versions and a policy; each alias move to `champion` records one deployment. */
const world = async (versions = 1, options: { approval?: boolean; tasks?: boolean } = {}) => {
  const tasks = recordingTasks();
  const w = deploymentWorld(STATE_MACHINE, options.tasks === false ? {} : { tasks });
  await createRegisteredModel(w.registryPorts, { name: 'fraud', tags: [] });
  for (let i = 0; i < versions; i++) await createModelVersion(w.registryPorts, { name: 'fraud', source: `s3://b/${i + 1}`, tags: [] });
  await setDeploymentPolicy(w.deploymentPorts, 'fraud', { endpointName: 'cairn-fraud', approvalRequired: options.approval ?? true });
  return { ...w, tasks };
};

const promote = async (w: Awaited<ReturnType<typeof world>>, version: string) => {
  await setAlias(w.registryPorts, 'fraud', 'champion', version);
  return [...w.tables.deployments.values()].at(-1)!;
};

/** Moves a deployment to PENDING_APPROVAL with a task token, as the state machine's await-approval step does. */
const awaitingApproval = async (w: Awaited<ReturnType<typeof world>>, deploymentId: string, taskToken = 'token-1') => {
  const now = w.deploymentPorts.now();
  await w.deploymentPorts.deployments.changeStatus(deploymentId, now, {
    status: 'PENDING_APPROVAL',
    from: ['PENDING'],
    taskToken,
    step: { name: 'approval-requested', status: 'PENDING_APPROVAL', at: now },
  });
};

describe('approvals', () => {
  it('approve: PENDING again, the waiting task hears success once, and the version tags follow', async () => {
    const w = await world();
    const { deploymentId } = await promote(w, '1');
    await awaitingApproval(w, deploymentId);
    const answer = await decideDeployment(w.deploymentPorts, deploymentId, true, '  ship it ');
    expect(answer.deployment).toMatchObject({ deployment_id: deploymentId, status: 'PENDING', status_message: 'ship it' });
    expect(answer.deployment.steps?.map((s) => s.name)).toEqual(['requested', 'approval-requested', 'approved']);
    expect(w.tasks.calls).toEqual([{ kind: 'success', taskToken: 'token-1', detail: JSON.stringify({ approved: true, comment: 'ship it' }) }]);
    expect(w.tables.deployments.get(deploymentId)?.taskToken).toBeUndefined();
    const { version } = await requireVersion(w.registryPorts, 'fraud', '1');
    expect(version.tags['cairn.deployment.message']).toBe('ship it');
    // A second decision finds nothing waiting: a 400, and the task hears nothing more.
    expect(await codeOf(decideDeployment(w.deploymentPorts, deploymentId, true, undefined))).toBe('INVALID_PARAMETER_VALUE');
    expect(await codeOf(decideDeployment(w.deploymentPorts, deploymentId, false, undefined))).toBe('INVALID_PARAMETER_VALUE');
    expect(w.tasks.calls).toHaveLength(1);
  });

  it('reject: REJECTED with the comment, the task fails with the rejection error', async () => {
    const w = await world();
    const { deploymentId } = await promote(w, '1');
    await awaitingApproval(w, deploymentId, 'token-2');
    const answer = await decideDeployment(w.deploymentPorts, deploymentId, false, 'not today');
    expect(answer.deployment).toMatchObject({ status: 'REJECTED', status_message: 'rejected: not today' });
    expect(w.tasks.calls).toEqual([{ kind: 'failure', taskToken: 'token-2', detail: 'DeploymentRejected: rejected: not today' }]);
    const { version } = await requireVersion(w.registryPorts, 'fraud', '1');
    expect(version.tags['cairn.deployment.status']).toBe('REJECTED');
  });

  it('refuses a deployment that is not waiting, an unknown one, and any decision where nothing deploys', async () => {
    const w = await world();
    const { deploymentId } = await promote(w, '1');
    expect(await codeOf(decideDeployment(w.deploymentPorts, deploymentId, true, undefined))).toBe('INVALID_PARAMETER_VALUE');
    expect(await codeOf(decideDeployment(w.deploymentPorts, 'f'.repeat(32), true, undefined))).toBe('RESOURCE_DOES_NOT_EXIST');
    const without = await world(1, { tasks: false });
    const waiting = await promote(without, '1');
    await awaitingApproval(without, waiting.deploymentId);
    expect(await codeOf(decideDeployment(without.deploymentPorts, waiting.deploymentId, true, undefined))).toBe('INVALID_PARAMETER_VALUE');
    expect(without.tables.deployments.get(waiting.deploymentId)?.status).toBe('PENDING_APPROVAL');
    expect(w.tasks.calls).toEqual([]);
  });

  it('a newer deployment shown on the version is not overwritten by an older one', async () => {
    const w = await world();
    const older = await promote(w, '1');
    await setAlias(w.registryPorts, 'fraud', 'champion', '1');
    const newer = [...w.tables.deployments.values()].at(-1)!;
    expect(newer.deploymentId).not.toBe(older.deploymentId);
    await awaitingApproval(w, older.deploymentId);
    await decideDeployment(w.deploymentPorts, older.deploymentId, false, undefined);
    const { version } = await requireVersion(w.registryPorts, 'fraud', '1');
    expect(version.tags['cairn.deployment.id']).toBe(newer.deploymentId);
  });
});

describe('deployment reads', () => {
  it('lists newest first in pages, with the model name of now; get adds the steps', async () => {
    const w = await world(3);
    const ids: string[] = [];
    for (const v of ['1', '2', '3']) ids.push((await promote(w, v)).deploymentId);
    await renameRegisteredModel(w.registryPorts, 'fraud', 'fraud-v2');
    const first = await listDeployments(w.deploymentPorts, 'fraud-v2', 2);
    expect(first.deployments.map((d) => [d.deployment_id, d.version, d.name])).toEqual([
      [ids[2], '3', 'fraud-v2'],
      [ids[1], '2', 'fraud-v2'],
    ]);
    expect(first.deployments[0]).not.toHaveProperty('steps');
    const second = await listDeployments(w.deploymentPorts, 'fraud-v2', 2, first.next_page_token);
    expect(second.deployments.map((d) => d.deployment_id)).toEqual([ids[0]]);
    expect(second.next_page_token).toBeUndefined();
    const one = await getDeployment(w.deploymentPorts, ids[0]!);
    expect(one.deployment).toMatchObject({ name: 'fraud-v2', trigger: { alias: 'champion' }, steps: [{ name: 'requested', status: 'PENDING' }] });
  });

  it('refuses max_results out of range and a token of another model', async () => {
    const w = await world(2);
    await promote(w, '1');
    await promote(w, '2');
    expect(await codeOf(listDeployments(w.deploymentPorts, 'fraud', 1001))).toBe('INVALID_PARAMETER_VALUE');
    const { next_page_token } = await listDeployments(w.deploymentPorts, 'fraud', 1);
    await createRegisteredModel(w.registryPorts, { name: 'other', tags: [] });
    expect(await codeOf(listDeployments(w.deploymentPorts, 'other', 1, next_page_token))).toBe('INVALID_PARAMETER_VALUE');
  });
});

describe('starting and claiming', () => {
  it('records the start with the execution ARN once, and launches', async () => {
    const w = await world(1, { approval: false });
    const { deploymentId } = await promote(w, '1');
    const launched: string[] = [];
    const launch = async (id: string) => void launched.push(id);
    await startPromotion(w.deploymentPorts, launch, deploymentId);
    await startPromotion(w.deploymentPorts, launch, deploymentId);
    const started = w.tables.deployments.get(deploymentId);
    expect(started?.executionArn).toBe(`arn:aws:states:eu-west-1:123456789012:execution:promotion:${deploymentId}`);
    expect(started?.steps.filter((s) => s.name === 'execution-started')).toHaveLength(1);
    // The launch itself is idempotent by name, so a retried batch may call it again.
    expect(launched).toEqual([deploymentId, deploymentId]);
  });

  it('the latest request wins the endpoint: an overtaken promotion steps aside, a busy endpoint makes the next wait', async () => {
    const w = await world(2, { approval: false });
    const first = await promote(w, '1');
    const second = await promote(w, '2');
    expect(await claimStep(w.deploymentPorts, first.deploymentId)).toEqual({ superseded: true });
    expect(await claimStep(w.deploymentPorts, second.deploymentId)).toEqual({ superseded: false });
    expect(w.tables.deployments.get(second.deploymentId)?.status).toBe('DEPLOYING');
    expect(w.tables.endpoints.get('cairn-fraud')).toMatchObject({ lockHolder: second.deploymentId });
    expect(w.tables.endpoints.get('cairn-fraud')?.lockExpiresAt).toBeGreaterThan(ENDPOINT_LEASE_MS);
    const third = await promote(w, '1');
    const busy = await rejection(claimStep(w.deploymentPorts, third.deploymentId));
    expect(busy).toMatchObject({ name: 'EndpointBusy' });
    expect(w.tables.deployments.get(third.deploymentId)?.status).toBe('PENDING');
  });
});
