import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { headerAuthenticator } from '../../../functions/api/authorization/authenticators.js';
import { createApi } from '../../../functions/api/create-api.js';
import { gatewayAuthenticator } from '../../../functions/api/gateway-identity.js';
import { createAuthorization } from '../../../shared/config/authorization.js';
import { createTrackingDeps } from '../../../shared/config/dependencies.js';
import { createDynamoClient } from '../../../shared/data/dynamo-client.js';
import { ensureTable } from '../../../shared/data/ensure-table.js';
import { createTokenRepository } from '../../../shared/data/tokens/repository.js';
import { ensureFirstAdmin } from '../../../shared/domain/auth/bootstrap.js';
import type { AuthPorts } from '../../../shared/domain/auth/ports.js';
import { ensureDefaultExperiment } from '../../../shared/domain/tracking/experiments.js';
import { endpointOf, ENGINES } from '../../support/test-api.js';

const M = '/api/2.0/mlflow';
const ROLES = '/api/3.0/mlflow';
const basic = (username: string, password: string) => `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
const ADMIN = { username: 'admin', password: 'admin-password-1' };
const BOB = { username: 'bob', password: 'bob-password-12' };

/**
 * A permission taken away stops working at the caller's next request on both ways a request is authenticated:
 * `npm start -- --auth` (the app checks Basic itself; a password's check is remembered, the user item is read
 * every time) and AWS (the gateway's authorizer answered once and its answer is cached; the app reads the user
 * item every time). The user item brings the user's grants and groups: nothing else is remembered.
 */
describe.each(ENGINES)('grants and groups counted at the next request (%s)', (engine) => {
  let ports: AuthPorts;
  let call: (method: string, path: string, body?: Record<string, unknown>) => Promise<{ status: number; body: any }>;
  /** Bob's GET experiments/get through the local app and through the gateway's path: the two statuses. */
  let bobReads: (experimentId: string) => Promise<[number, number]>;

  beforeAll(async () => {
    const client = createDynamoClient({ endpoint: endpointOf(engine) });
    const tableName = `cairn-revocation-${randomUUID()}`;
    await ensureTable({ client, tableName });
    const deps = createTrackingDeps({ client, tableName });
    await ensureDefaultExperiment(deps);
    const authorization = createAuthorization({
      client,
      tableName,
      settings: { defaultPermission: 'NO_PERMISSIONS', unmappedPrincipalPermission: 'NO_PERMISSIONS', auditRetentionDays: 1 },
    });
    ports = authorization.ports;
    await ensureFirstAdmin(ports, ADMIN);
    const local = createApi(deps, { auth: { ports, authenticate: headerAuthenticator(authorization.verifier) } });
    const gateway = createApi(deps, { auth: { ports, authenticate: gatewayAuthenticator(ports, createTokenRepository({ client, tableName })) } });
    call = async (method, path, body) => {
      const get = method === 'GET';
      const response = await local.request(get && body ? `${path}?${new URLSearchParams(body as Record<string, string>)}` : path, {
        method,
        headers: { authorization: basic(ADMIN.username, ADMIN.password), ...(get ? {} : { 'content-type': 'application/json' }) },
        ...(get ? {} : { body: JSON.stringify(body ?? {}) }),
      });
      const text = await response.text();
      return { status: response.status, body: text.startsWith('{') ? JSON.parse(text) : text };
    };
    const bob = (await call('POST', `${M}/users/create`, { ...BOB })).body.user as { id: number };
    // What the token authorizer put in its (cached) answer for bob's password: checked against the table per request.
    const authorizer = { user: BOB.username, userId: bob.id, credential: 'password:1' };
    bobReads = async (experimentId) => {
      const path = `${M}/experiments/get?experiment_id=${experimentId}`;
      const viaLocal = await local.request(path, { headers: { authorization: basic(BOB.username, BOB.password) } });
      const viaGateway = await gateway.request(path, {}, { event: { requestContext: { authorizer } } });
      return [viaLocal.status, viaGateway.status];
    };
  });

  const newExperiment = async () => (await call('POST', `${M}/experiments/create`, { name: `exp-${randomUUID()}` })).body.experiment_id as string;

  it("counts a user's own grant from the next request, a change of it, and its revocation", async () => {
    // Prepare
    const experimentId = await newExperiment();
    const grant = { experiment_id: experimentId, username: BOB.username };

    // Act
    const before = await bobReads(experimentId);
    await call('POST', `${M}/experiments/permissions/create`, { ...grant, permission: 'READ' });
    const granted = await bobReads(experimentId);
    await call('PATCH', `${M}/experiments/permissions/update`, { ...grant, permission: 'NO_PERMISSIONS' });
    const lowered = await bobReads(experimentId);
    await call('PATCH', `${M}/experiments/permissions/update`, { ...grant, permission: 'EDIT' });
    const raised = await bobReads(experimentId);
    const revocation = await call('DELETE', `${M}/experiments/permissions/delete`, grant);
    const revoked = await bobReads(experimentId);

    // Assess
    expect(revocation.status).toBe(200);
    expect([before, granted, lowered, raised, revoked]).toEqual([
      [403, 403],
      [200, 200],
      [403, 403],
      [200, 200],
      [403, 403],
    ]);
  });

  it("counts a role's grant from the next request after an assignment, and no more after the unassignment or the grant's removal", async () => {
    // Prepare
    const experimentId = await newExperiment();
    const role = (await call('POST', `${ROLES}/roles/create`, { name: `readers-${randomUUID()}` })).body.role as { id: number };
    const added = await call('POST', `${ROLES}/roles/permissions/add`, {
      role_id: role.id,
      resource_type: 'experiment',
      resource_pattern: experimentId,
      permission: 'READ',
    });
    const assignment = { role_id: role.id, username: BOB.username };

    // Act
    const grantedToNobody = await bobReads(experimentId);
    await call('POST', `${ROLES}/roles/assign`, assignment);
    const assigned = await bobReads(experimentId);
    await call('DELETE', `${ROLES}/roles/unassign`, assignment);
    const unassigned = await bobReads(experimentId);
    await call('POST', `${ROLES}/roles/assign`, assignment);
    const reassigned = await bobReads(experimentId);
    await call('DELETE', `${ROLES}/roles/permissions/remove`, { role_permission_id: added.body.role_permission.id });
    const removed = await bobReads(experimentId);

    // Assess
    expect([grantedToNobody, assigned, unassigned, reassigned, removed]).toEqual([
      [403, 403],
      [200, 200],
      [403, 403],
      [200, 200],
      [403, 403],
    ]);
  });

  it("takes a deleted registered model's grants out of the users' items", async () => {
    // Prepare
    const name = `model-${randomUUID()}`;
    await call('POST', `${M}/registered-models/create`, { name });
    await call('POST', `${M}/registered-models/permissions/create`, { name, username: BOB.username, permission: 'READ' });
    const [bobBefore, adminBefore] = [await ports.users.get(BOB.username), await ports.users.get(ADMIN.username)];
    const [modelKey] = [...bobBefore!.grants.keys()].filter((key) => key.startsWith('registered_model#'));

    // Act
    const deletion = await call('DELETE', `${M}/registered-models/delete`, { name });
    const [bobAfter, adminAfter] = [await ports.users.get(BOB.username), await ports.users.get(ADMIN.username)];

    // Assess: bob's READ and the admin's MANAGE as its creator, both gone with the model
    expect(deletion.status).toBe(200);
    expect([bobBefore!.grants.get(modelKey!), adminBefore!.grants.get(modelKey!)]).toEqual(['READ', 'MANAGE']);
    expect([bobAfter!.grants.has(modelKey!), adminAfter!.grants.has(modelKey!)]).toEqual([false, false]);
  });
});
