/**
 * Registry and deployment routes through the whole Hono app (createApi) on in-memory ports: the request's
 * shape, the use case and MLflow's JSON answer and error form, in milliseconds and without an engine.
 */
import { describe, expect, it } from 'vitest';
import { createApi } from '../../../functions/api/create-api.js';
import { createPromotionPlanner } from '../../../shared/domain/deployments/planner.js';
import type { DeploymentPorts } from '../../../shared/domain/deployments/ports.js';
import type { TrackingDeps } from '../../../shared/domain/dependencies.js';
import { createDeploymentTables, createMemoryDeployments } from '../../support/fakes/deployments.js';
import { createMemoryRegistry } from '../../support/fakes/registry.js';
import { createTrackingPorts } from '../../support/fakes/tracking.js';

const apiOnMemory = () => {
  const tracking = createTrackingPorts();
  const tables = createDeploymentTables();
  const memory = createMemoryRegistry({ now: tracking.ports.now, deployments: tables });
  const deployments = createMemoryDeployments(tables);
  const settings = { allowedRoleArns: [] };
  const deps: TrackingDeps = {
    ...tracking.ports,
    registry: memory.registry,
    registryEvents: memory.registryEvents,
    promotions: createPromotionPlanner(deployments, settings),
  };
  const deploymentPorts: DeploymentPorts = { registry: memory.registry, deployments, settings, now: tracking.ports.now };
  const api = createApi(deps, { deployments: deploymentPorts });
  const call = async (method: string, path: string, body?: object) => {
    const response = await api.request(path, {
      method,
      ...(body ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } } : {}),
    });
    return { status: response.status, json: (await response.json()) as Record<string, any> };
  };
  return { call, memory, tables };
};

const MLFLOW = '/api/2.0/mlflow';

describe('registry routes on memory', () => {
  it('creates, reads and refuses a taken name in MLflow form', async () => {
    const { call } = apiOnMemory();
    const created = await call('POST', `${MLFLOW}/registered-models/create`, { name: 'fraud', tags: [{ key: 'team', value: 'risk' }] });
    expect(created.status).toBe(200);
    expect(created.json.registered_model).toMatchObject({ name: 'fraud', tags: [{ key: 'team', value: 'risk' }] });
    const again = await call('POST', `${MLFLOW}/registered-models/create`, { name: 'fraud' });
    expect(again).toEqual({ status: 400, json: { error_code: 'RESOURCE_ALREADY_EXISTS', message: 'Registered Model (name=fraud) already exists.' } });
    const got = await call('GET', `${MLFLOW}/registered-models/get?name=fraud`);
    expect(got.json.registered_model).toMatchObject({ name: 'fraud' });
    const missing = await call('GET', `${MLFLOW}/registered-models/get?name=nobody`);
    expect(missing).toEqual({ status: 404, json: { error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'Registered Model with name=nobody not found' } });
  });

  it('renames onto a taken name as a 400 and leaves both models', async () => {
    const { call } = apiOnMemory();
    await call('POST', `${MLFLOW}/registered-models/create`, { name: 'a' });
    await call('POST', `${MLFLOW}/registered-models/create`, { name: 'b' });
    const renamed = await call('POST', `${MLFLOW}/registered-models/rename`, { name: 'a', new_name: 'b' });
    expect(renamed.status).toBe(400);
    expect(renamed.json.error_code).toBe('RESOURCE_ALREADY_EXISTS');
    const ok = await call('POST', `${MLFLOW}/registered-models/rename`, { name: 'a', new_name: 'c' });
    expect(ok.json.registered_model).toMatchObject({ name: 'c' });
    const search = await call('GET', `${MLFLOW}/registered-models/search`);
    expect(search.json.registered_models.map((m: { name: string }) => m.name)).toEqual(['b', 'c']);
  });

  it('versions and aliases: set, read by alias, latest, and the event log of the model', async () => {
    const { call } = apiOnMemory();
    await call('POST', `${MLFLOW}/registered-models/create`, { name: 'm' });
    const v1 = await call('POST', `${MLFLOW}/model-versions/create`, { name: 'm', source: 's3://bucket/1' });
    expect(v1.json.model_version).toMatchObject({ name: 'm', version: '1', current_stage: 'None', status: 'READY' });
    await call('POST', `${MLFLOW}/model-versions/create`, { name: 'm', source: 's3://bucket/2' });
    expect((await call('POST', `${MLFLOW}/registered-models/alias`, { name: 'm', alias: 'champion', version: '1' })).json).toEqual({});
    const byAlias = await call('GET', `${MLFLOW}/registered-models/alias?name=m&alias=champion`);
    expect(byAlias.json.model_version).toMatchObject({ version: '1', aliases: ['champion'] });
    const latest = await call('GET', `${MLFLOW}/registered-models/alias?name=m&alias=latest`);
    expect(latest.json.model_version).toMatchObject({ version: '2' });
    const reserved = await call('POST', `${MLFLOW}/registered-models/alias`, { name: 'm', alias: 'v2', version: '2' });
    expect(reserved).toEqual({ status: 400, json: { error_code: 'INVALID_PARAMETER_VALUE', message: "Version alias name 'v2' is reserved." } });
    const model = await call('GET', `${MLFLOW}/registered-models/get?name=m`);
    expect(model.json.registered_model.aliases).toEqual([{ alias: 'champion', version: '1' }]);
    const events = await call('GET', '/api/2.0/cairn/registered-models/events?name=m');
    expect(events.json.events.map((e: { type: string; position: number }) => [e.type, e.position])).toEqual([
      ['REGISTERED_MODEL_CREATED', 1],
      ['MODEL_VERSION_CREATED', 2],
      ['MODEL_VERSION_CREATED', 3],
      ['MODEL_VERSION_ALIAS_SET', 4],
    ]);
  });

  it('a malformed request is a 400 that changes nothing', async () => {
    const { call, memory } = apiOnMemory();
    const noName = await call('POST', `${MLFLOW}/registered-models/create`, {});
    expect(noName.status).toBe(400);
    expect(noName.json.error_code).toBe('INVALID_PARAMETER_VALUE');
    expect(memory.events).toEqual([]);
    await call('POST', `${MLFLOW}/registered-models/create`, { name: 'm' });
    const badVersion = await call('POST', `${MLFLOW}/model-versions/set-tag`, { name: 'm', version: 'x', key: 'k', value: 'v' });
    expect(badVersion).toEqual({ status: 400, json: { error_code: 'INVALID_PARAMETER_VALUE', message: "Parameter 'version' must be an integer, got 'x'." } });
    expect(memory.events.map((e) => e.type)).toEqual(['REGISTERED_MODEL_CREATED']);
  });

  it('a deployment policy set through the route is mapped to the domain and then deploys an alias', async () => {
    const { call, tables } = apiOnMemory();
    await call('POST', `${MLFLOW}/registered-models/create`, { name: 'fraud' });
    await call('POST', `${MLFLOW}/model-versions/create`, { name: 'fraud', source: 's3://bucket/1' });
    const set = await call('POST', '/api/2.0/cairn/registered-models/deployment-policy', {
      name: 'fraud',
      aliases: ['live'],
      endpoint_name: 'cairn-fraud',
      instance_type: 'ml.c5.xlarge',
      initial_instance_count: 2,
      approval_required: true,
      termination_wait_seconds: 0,
    });
    expect(set.json.policy).toMatchObject({
      name: 'fraud',
      aliases: ['live'],
      endpoint_name: 'cairn-fraud',
      instance_type: 'ml.c5.xlarge',
      initial_instance_count: 2,
      approval_required: true,
      termination_wait_seconds: 0,
    });
    await call('POST', `${MLFLOW}/registered-models/alias`, { name: 'fraud', alias: 'live', version: '1' });
    expect([...tables.deployments.values()].map((d) => [d.version, d.status])).toEqual([[1, 'NOT_DEPLOYED']]);
    const list = await call('GET', '/api/2.0/cairn/deployments/list?name=fraud');
    expect(list.json.deployments).toMatchObject([{ name: 'fraud', version: '1', status: 'NOT_DEPLOYED', instance_type: 'ml.c5.xlarge' }]);
    const version = await call('GET', `${MLFLOW}/model-versions/get?name=fraud&version=1`);
    expect(version.json.model_version.tags).toContainEqual({ key: 'cairn.deployment.status', value: 'NOT_DEPLOYED' });
  });
});
