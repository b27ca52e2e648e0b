/**
 * Issue 13, point 3, for the registry: with authorization on, a registered model and a model version record the
 * authenticated user who created them (`createdBy`), whatever the body says; MLflow's answers stay as MLflow's
 * (no `user_id`, no `created_by`); with authorization off nobody is recorded. Through the whole app (createApi)
 * on in-memory ports.
 */
import type { Context } from 'hono';
import { describe, expect, it } from 'vitest';
import { createApi } from '../../../functions/api/create-api.js';
import type { Caller } from '../../../shared/domain/auth/access.js';
import type { AuthPorts } from '../../../shared/domain/auth/ports.js';
import type { TrackingDeps } from '../../../shared/domain/dependencies.js';
import { memoryAuditLog, memoryGrantStore, memoryGroupStore, memoryPrincipalStore, memoryUserStore } from '../../support/fakes/auth.js';
import { createMemoryRegistry } from '../../support/fakes/registry.js';
import { createTrackingPorts } from '../../support/fakes/tracking.js';
import { addUser } from '../../support/fakes/users.js';

const MLFLOW = '/api/2.0/mlflow';
/** Who sends a request in these tests: the user named in this header (credentials are another test's matter). */
const USER_HEADER = 'x-test-user';

const registryApi = async (options: { auth: boolean }) => {
  const tracking = createTrackingPorts();
  const memory = createMemoryRegistry({ now: tracking.ports.now });
  const deps: TrackingDeps = { ...tracking.ports, registry: memory.registry, registryEvents: memory.registryEvents };
  const users = memoryUserStore();
  const grants = memoryGrantStore(users);
  const ports: AuthPorts = {
    users,
    grants,
    groups: memoryGroupStore(grants),
    principals: memoryPrincipalStore(),
    audit: memoryAuditLog(),
    settings: { defaultPermission: 'NO_PERMISSIONS', unmappedPrincipalPermission: 'NO_PERMISSIONS', auditRetentionDays: 90 },
    now: tracking.ports.now,
  };
  const authenticate = async (c: Context): Promise<Caller | undefined> => {
    const user = await users.get(c.req.header(USER_HEADER) ?? '');
    return user && { kind: 'user', user, principal: `basic:${user.username}` };
  };
  const api = createApi(deps, options.auth ? { auth: { ports, authenticate } } : {});
  const alice = await addUser(users, 'alice', 'alice-password');
  const call = async (method: string, path: string, body: Record<string, unknown>) => {
    const get = method === 'GET';
    const response = await api.request(get ? `${path}?${new URLSearchParams(body as Record<string, string>)}` : path, {
      method,
      headers: { [USER_HEADER]: 'alice', ...(get ? {} : { 'content-type': 'application/json' }) },
      ...(get ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  };
  /** Alice creates the model and may add versions to it (the in-memory stores keep creators' grants apart). */
  const createModel = async (name: string, extra: Record<string, unknown> = {}) => {
    const created = await call('POST', `${MLFLOW}/registered-models/create`, { name, ...extra });
    const model = await memory.registry.getModelByName(name);
    if (model) await grants.put({ subject: { kind: 'user', id: alice.userId }, resource: { kind: 'registered_model', id: model.modelId }, permission: 'EDIT' }, 'create');
    return created;
  };
  const storedVersion = async (name: string, version: number) => {
    const model = await memory.registry.getModelByName(name);
    return model && memory.registry.getVersion(model, version);
  };
  return { call, createModel, memory, storedVersion };
};

describe('registry creations record the authenticated user, off the wire', () => {
  it('registered-models/create stores alice as createdBy, whatever the body claims, and answers as MLflow', async () => {
    // Prepare
    const api = await registryApi({ auth: true });

    // Act
    const created = await api.createModel('fraud', { user_id: 'mallory', created_by: 'mallory' });
    const got = await api.call('GET', `${MLFLOW}/registered-models/get`, { name: 'fraud' });

    // Assess
    expect(created.status).toBe(200);
    expect((await api.memory.registry.getModelByName('fraud'))?.createdBy).toBe('alice');
    for (const answer of [created.body.registered_model, got.body.registered_model]) {
      expect(answer).toMatchObject({ name: 'fraud' });
      expect(answer).not.toHaveProperty('user_id');
      expect(answer).not.toHaveProperty('created_by');
      expect(answer).not.toHaveProperty('createdBy');
    }
  });

  it('model-versions/create stores alice as createdBy, whatever the body claims, and answers as MLflow', async () => {
    // Prepare
    const api = await registryApi({ auth: true });
    await api.createModel('fraud');

    // Act
    const created = await api.call('POST', `${MLFLOW}/model-versions/create`, {
      name: 'fraud',
      source: 's3://bucket/1',
      user_id: 'mallory',
      created_by: 'mallory',
    });
    const updated = await api.call('PATCH', `${MLFLOW}/model-versions/update`, { name: 'fraud', version: '1', description: 'kept' });

    // Assess
    expect(created.status).toBe(200);
    expect(updated.status).toBe(200);
    expect(await api.storedVersion('fraud', 1)).toMatchObject({ createdBy: 'alice', description: 'kept' });
    for (const answer of [created.body.model_version, updated.body.model_version]) {
      expect(answer).toMatchObject({ name: 'fraud', version: '1' });
      expect(answer).not.toHaveProperty('user_id');
      expect(answer).not.toHaveProperty('created_by');
      expect(answer).not.toHaveProperty('createdBy');
    }
  });

  it('with authorization off nothing is recorded, even when the body names someone', async () => {
    // Prepare
    const api = await registryApi({ auth: false });

    // Act
    await api.createModel('fraud', { created_by: 'mallory' });
    const created = await api.call('POST', `${MLFLOW}/model-versions/create`, { name: 'fraud', source: 's3://bucket/1', created_by: 'mallory' });

    // Assess
    expect(created.status).toBe(200);
    expect(await api.memory.registry.getModelByName('fraud')).not.toHaveProperty('createdBy');
    expect(await api.storedVersion('fraud', 1)).not.toHaveProperty('createdBy');
  });
});
