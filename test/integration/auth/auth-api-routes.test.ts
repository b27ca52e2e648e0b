import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Hono } from 'hono';
import { beforeAll, describe, expect, it } from 'vitest';
import { setAccess } from '../../../functions/api/auth-context.js';
import { authPermissionRoutes } from '../../../functions/api/routes/auth-permissions.js';
import { authUserRoutes } from '../../../functions/api/routes/auth-users.js';
import { createAuthPorts } from '../../../shared/config/auth.js';
import { createTrackingDeps } from '../../../shared/config/dependencies.js';
import { createDynamoClient } from '../../../shared/data/dynamo-client.js';
import { ensureTable } from '../../../shared/data/ensure-table.js';
import { accessOfUser, UNRESTRICTED } from '../../../shared/domain/auth/access.js';
import type { AuthApiDeps } from '../../../shared/domain/auth/api-deps.js';
import { removeGrantsOnRegisteredModel } from '../../../shared/domain/auth/grants.js';
import type { AuthPorts } from '../../../shared/domain/auth/ports.js';
import { verifySecret } from '../../../shared/domain/auth/token-secrets.js';
import type { TrackingDeps } from '../../../shared/domain/dependencies.js';
import { createRegisteredModel, deleteRegisteredModel, renameRegisteredModel } from '../../../shared/domain/registry/registered-models.js';
import { createExperiment } from '../../../shared/domain/tracking/experiments.js';
import { MlflowError } from '../../../shared/errors/index.js';
import { DEFAULT_FIXTURE_DIR } from '../../support/conformance/fixture.js';
import { endpointOf, ENGINES } from '../../support/test-api.js';

/** The parts of auth.json's exchanges these checks read. */
interface RecordedExchange {
  n: number;
  request: { method: string; path: string; query?: [string, string][]; body: { json: Record<string, unknown> } | null };
  response: { status: number; body: { json: unknown }; unordered?: string[] };
}

/**
 * The auth API's routes alone, on the real repositories, as an app mounts them. No policy runs here (who may
 * call what is the authorization middleware's): the caller named by `x-test-user` is only who `users/current`
 * answers about.
 */
const authApp = (deps: AuthApiDeps, ports: AuthPorts) => {
  const app = new Hono();
  app.use('*', async (c, next) => {
    const name = c.req.header('x-test-user');
    const user = name === undefined ? undefined : await ports.users.get(name);
    setAccess(c, user ? accessOfUser({ kind: 'user', user, principal: `basic:${name}` }, [], [], 'READ') : UNRESTRICTED);
    await next();
  });
  app.route('/api/2.0/mlflow', authUserRoutes(deps)).route('/api/2.0/mlflow', authPermissionRoutes(deps));
  app.onError((error, c) =>
    error instanceof MlflowError
      ? c.json({ error_code: error.errorCode, message: error.message }, error.httpStatus as 400)
      : c.json({ error_code: 'INTERNAL_ERROR', message: String(error) }, 500),
  );
  return app;
};

/** Replaces every `{{…}}` the bindings know: a whole-string one by its value (a user id is a JSON number). */
const bind = (value: unknown, bindings: Map<string, string | number>): unknown => {
  if (typeof value === 'string') {
    const whole = bindings.get(value);
    if (whole !== undefined) return whole;
    return value.replace(/\{\{[^}]+\}\}/g, (placeholder) => String(bindings.get(placeholder) ?? placeholder));
  }
  if (Array.isArray(value)) return value.map((item) => bind(item, bindings));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, bind(item, bindings)]));
  }
  return value;
};

/** The lists at `paths` (dotted) sorted, so multisets compare equal whatever their order. */
const sortUnordered = (value: unknown, paths: string[] = []): unknown => {
  const copy = structuredClone(value) as Record<string, unknown>;
  for (const path of paths) {
    const keys = path.split('.');
    const parent = keys.slice(0, -1).reduce<any>((node, key) => node?.[key], copy);
    const last = keys.at(-1)!;
    if (Array.isArray(parent?.[last])) parent[last] = [...parent[last]].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
  }
  return copy;
};

describe.each(ENGINES)("MLflow's auth API routes on %s, checked against the recording of MLflow 3.6 (auth.json)", (engine) => {
  let app: ReturnType<typeof authApp>;
  let tracking: TrackingDeps;
  let ports: AuthPorts;
  let exchanges: Map<number, RecordedExchange>;
  const bindings = new Map<string, string | number>();

  beforeAll(async () => {
    const client = createDynamoClient({ endpoint: endpointOf(engine) });
    const tableName = `cairn-auth-api-${randomUUID()}`;
    await ensureTable({ client, tableName });
    tracking = createTrackingDeps({ client, tableName });
    ports = createAuthPorts({ client, tableName }, { defaultPermission: 'READ', unmappedPrincipalPermission: 'NO_PERMISSIONS', auditRetentionDays: 1 });
    app = authApp({ auth: ports, registry: tracking.registry, experiments: tracking.experiments }, ports);
    const fixture = JSON.parse(await readFile(resolve(DEFAULT_FIXTURE_DIR, 'auth.json'), 'utf8')) as { exchanges: RecordedExchange[] };
    exchanges = new Map(fixture.exchanges.map((exchange) => [exchange.n, exchange]));
  });

  const send = async (method: string, path: string, fields?: Record<string, unknown> | [string, string][], user?: string) => {
    const query = method === 'GET' && fields ? `?${new URLSearchParams(Array.isArray(fields) ? fields : (fields as Record<string, string>))}` : '';
    const response = await app.request(`${path}${query}`, {
      method,
      headers: { ...(method === 'GET' ? {} : { 'content-type': 'application/json' }), ...(user ? { 'x-test-user': user } : {}) },
      ...(method === 'GET' ? {} : { body: JSON.stringify(fields ?? {}) }),
    });
    return { status: response.status, body: (await response.json()) as any };
  };

  /** Sends exchange `n` as recorded (its placeholders bound) and answers what came back and what was recorded. */
  const replay = async (n: number) => {
    const exchange = exchanges.get(n)!;
    const { method, path, query, body } = bind(exchange.request, bindings) as RecordedExchange['request'];
    const actual = await send(method, path, method === 'GET' ? query : body?.json);
    return { actual, expected: exchange.response };
  };

  /**
   * Replays exchange `n` and requires the recorded status and body, exactly; `learn` binds what the answer
   * introduces (a new user's id) before the comparison, as a replayer binds on first appearance.
   */
  const replayExactly = async (n: number, learn?: (body: any) => void) => {
    const { actual, expected } = await replay(n);
    learn?.(actual.body);
    expect({ n, status: actual.status, body: sortUnordered(actual.body, expected.unordered) }).toEqual({
      n,
      status: expected.status,
      body: sortUnordered(bind(expected.body.json, bindings), expected.unordered),
    });
    return actual.body;
  };

  it('creates users and answers user gets, duplicates, short passwords and unknown users as MLflow 3.6 does (exchanges 1-7)', async () => {
    for (const [n, name] of [[1, 'alice'], [2, 'bob'], [3, 'carol']] as const) {
      await replayExactly(n, (body) => bindings.set(`{{user:${name}}}`, body.user.id));
    }
    // MLflow numbers users from 1 as well (the reference's admin took 1 there; here no admin was made).
    expect([bindings.get('{{user:alice}}'), bindings.get('{{user:bob}}'), bindings.get('{{user:carol}}')]).toEqual([1, 2, 3]);
    await replayExactly(4);
    // The reference quotes its failed SQL INSERT after the sentence; Cairn has no SQL to quote.
    const duplicate = await replay(5);
    expect(duplicate.actual).toEqual({
      status: 400,
      body: { error_code: 'RESOURCE_ALREADY_EXISTS', message: 'User (username=alice) already exists.' },
    });
    expect((duplicate.expected.body.json as { message: string }).message.startsWith('User (username=alice) already exists.')).toBe(true);
    await replayExactly(6);
    await replayExactly(7);
  }, 30_000);

  it('changes a password and the admin flag, answering {} (exchanges 10-20, as the admin or the user herself)', async () => {
    const before = await ports.users.get('carol');
    for (const n of [10, 11, 13, 17, 18, 19, 20]) await replayExactly(n);
    const after = await ports.users.get('carol');
    expect(after?.credentialVersion).toBe(before!.credentialVersion + 1);
    expect(await verifySecret('carol-pass-14142', after!.passwordHash)).toBe(true);
    expect(after?.isAdmin).toBe(false);
  });

  it("grants, reads, changes and revokes experiment permissions (exchanges 23-68), the creator's MANAGE included", async () => {
    const alice = bindings.get('{{user:alice}}') as number;
    bindings.set('{{exp:1}}', await createExperiment(tracking, { name: `auth-shared-${engine}`, tags: [], creatorUserId: alice }));
    bindings.set('{{exp:2}}', await createExperiment(tracking, { name: `auth-private-${engine}`, tags: [], creatorUserId: alice }));
    for (const n of [23, 50, 59, 60, 61, 64, 65, 66, 68]) await replayExactly(n);
  });

  it("grants, reads, changes and revokes registered-model permissions by name (exchanges 33-98), and lists a user's grants (102)", async () => {
    const alice = bindings.get('{{user:alice}}') as number;
    await createRegisteredModel(tracking, { name: 'auth-model', tags: [], creatorUserId: alice });
    await replayExactly(33);
    for (const n of [81, 90, 91, 95, 96]) await replayExactly(n);
    await createRegisteredModel(tracking, { name: 'auth-model-hidden', tags: [], creatorUserId: alice });
    await replayExactly(98);
    await replayExactly(102);
  });

  it('deletes a user, whose name then names nobody (exchanges 103, 105)', async () => {
    await replayExactly(103);
    await replayExactly(105);
  });
});

describe("MLflow's auth API routes beyond the recording", () => {
  let app: ReturnType<typeof authApp>;
  let tracking: TrackingDeps;
  let ports: AuthPorts;

  beforeAll(async () => {
    const client = createDynamoClient({ endpoint: endpointOf('dynoxide') });
    const tableName = `cairn-auth-api-${randomUUID()}`;
    await ensureTable({ client, tableName });
    tracking = createTrackingDeps({ client, tableName });
    ports = createAuthPorts({ client, tableName }, { defaultPermission: 'NO_PERMISSIONS', unmappedPrincipalPermission: 'NO_PERMISSIONS', auditRetentionDays: 1 });
    app = authApp({ auth: ports, registry: tracking.registry, experiments: tracking.experiments }, ports);
  });

  const send = async (method: string, path: string, fields: Record<string, unknown> = {}, user?: string) => {
    const query = method === 'GET' && Object.keys(fields).length > 0 ? `?${new URLSearchParams(fields as Record<string, string>)}` : '';
    const response = await app.request(`/api/2.0/mlflow/${path}${query}`, {
      method,
      headers: { ...(method === 'GET' ? {} : { 'content-type': 'application/json' }), ...(user ? { 'x-test-user': user } : {}) },
      ...(method === 'GET' ? {} : { body: JSON.stringify(fields) }),
    });
    return { status: response.status, body: (await response.json()) as any };
  };
  const create = (username: string) => send('POST', 'users/create', { username, password: `${username}-password-long` });

  it('lists every user with their own grants, and names the caller in users/current ({} with nobody signed in)', async () => {
    // Prepare
    const dana = (await create('dana')).body.user;
    await create('eli');
    const experimentId = await createExperiment(tracking, { name: `listed-${randomUUID()}`, tags: [], creatorUserId: dana.id });

    // Act
    const listed = await send('GET', 'users/list');
    const current = await send('GET', 'users/current', {}, 'dana');
    const anonymous = await send('GET', 'users/current');

    // Assess
    const expectedDana = {
      id: dana.id,
      username: 'dana',
      is_admin: false,
      experiment_permissions: [{ experiment_id: experimentId, user_id: dana.id, permission: 'MANAGE' }],
      registered_model_permissions: [],
      scorer_permissions: [],
    };
    expect(listed.status).toBe(200);
    expect(listed.body.users.map((u: { username: string }) => u.username)).toEqual(['dana', 'eli']);
    expect(listed.body.users[0]).toEqual(expectedDana);
    expect(current).toEqual({ status: 200, body: { user: expectedDana } });
    expect(anonymous).toEqual({ status: 200, body: {} });
  });

  it('refuses an empty, a too long or a colon-holding name and a missing field, and keeps MLflow\'s unchecked password change', async () => {
    // Act
    const empty = await send('POST', 'users/create', { username: '', password: 'long-enough-password' });
    const colon = await send('POST', 'users/create', { username: 'a:b', password: 'long-enough-password' });
    const long = await send('POST', 'users/create', { username: 'x'.repeat(256), password: 'long-enough-password' });
    const missing = await send('POST', 'users/create', { username: 'fay' });
    const twelve = await send('POST', 'users/create', { username: 'fay', password: '123456789012' });
    const shortChange = await send('PATCH', 'users/update-password', { username: 'fay', password: 'x' });
    const huge = await send('PATCH', 'users/update-password', { username: 'fay', password: 'p'.repeat(1001) });

    // Assess
    expect(empty).toEqual({ status: 400, body: { error_code: 'INVALID_PARAMETER_VALUE', message: 'Username and password cannot be empty.' } });
    expect(colon.body.error_code).toBe('INVALID_PARAMETER_VALUE');
    expect(long.body.error_code).toBe('INVALID_PARAMETER_VALUE');
    expect(missing).toEqual({
      status: 400,
      body: {
        error_code: 'INVALID_PARAMETER_VALUE',
        message: "Missing value for required parameter 'password'. See the API docs for more information about request parameters.",
      },
    });
    // "Longer than 12" in MLflow's words, but 12 is accepted, as there.
    expect(twelve.status).toBe(200);
    // MLflow checks no length on a change: kept.
    expect(shortChange).toEqual({ status: 200, body: {} });
    expect(huge).toEqual({ status: 400, body: { error_code: 'INVALID_PARAMETER_VALUE', message: 'Password is too long: at most 1000 characters.' } });
    expect(JSON.stringify(huge.body)).not.toContain('ppppp');
  });

  it('removes the grants of a deleted user: the name made again is a new number holding nothing', async () => {
    // Prepare
    const first = (await create('gus')).body.user;
    const experimentId = await createExperiment(tracking, { name: `gus-${randomUUID()}`, tags: [] });
    await send('POST', 'experiments/permissions/create', { experiment_id: experimentId, username: 'gus', permission: 'EDIT' });

    // Act
    const deleted = await send('DELETE', 'users/delete', { username: 'gus' });
    const again = (await create('gus')).body.user;
    const permission = await send('GET', 'experiments/permissions/get', { experiment_id: experimentId, username: 'gus' });

    // Assess
    expect(deleted).toEqual({ status: 200, body: {} });
    expect(again.id).toBeGreaterThan(first.id);
    expect(again.experiment_permissions).toEqual([]);
    expect(permission.status).toBe(404);
    expect(await ports.grants.ofUser(first.id)).toEqual({ grants: [], groupIds: [] });
  });

  it("takes a deleted user out of every group, on the group's side as on the user's", async () => {
    // Prepare
    const ivy = (await create('ivy')).body.user;
    const groupId = await ports.groups.allocateId();
    await ports.groups.create({ groupId, name: `team-${randomUUID()}`, description: '', createdAt: 1 });
    await ports.groups.addMember(groupId, ivy.id);

    // Act
    const deleted = await send('DELETE', 'users/delete', { username: 'ivy' });

    // Assess
    expect(deleted).toEqual({ status: 200, body: {} });
    expect(await ports.groups.members(groupId)).toEqual([]);
    expect(await ports.grants.ofUser(ivy.id)).toEqual({ grants: [], groupIds: [] });
  });

  it('needs an existing experiment or model to grant on, and follows a model by its id through a rename and a delete', async () => {
    // Prepare
    await create('hal');
    const model = await createRegisteredModel(tracking, { name: `before-${randomUUID()}`, tags: [] });
    await send('POST', 'registered-models/permissions/create', { name: model.name, username: 'hal', permission: 'READ' });
    const renamed = `after-${randomUUID()}`;

    // Act
    const noExperiment = await send('POST', 'experiments/permissions/create', { experiment_id: '987654', username: 'hal', permission: 'READ' });
    const noModel = await send('POST', 'registered-models/permissions/create', { name: 'no-such-model', username: 'hal', permission: 'READ' });
    const noUser = await send('POST', 'registered-models/permissions/create', { name: model.name, username: 'nobody', permission: 'READ' });
    await renameRegisteredModel(tracking, model.name, renamed);
    const byNewName = await send('GET', 'registered-models/permissions/get', { name: renamed, username: 'hal' });
    const byOldName = await send('GET', 'registered-models/permissions/get', { name: model.name, username: 'hal' });
    const listedRenamed = (await send('GET', 'users/get', { username: 'hal' })).body.user.registered_model_permissions;
    await deleteRegisteredModel(tracking, renamed);
    const afterDelete = (await send('GET', 'users/get', { username: 'hal' })).body.user.registered_model_permissions;
    await removeGrantsOnRegisteredModel({ auth: ports }, model.modelId);
    const recreated = await createRegisteredModel(tracking, { name: renamed, tags: [] });
    const onRecreated = await send('GET', 'registered-models/permissions/get', { name: renamed, username: 'hal' });

    // Assess
    expect(noExperiment).toEqual({ status: 404, body: { error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'No Experiment with id=987654 exists' } });
    expect(noModel).toEqual({
      status: 404,
      body: { error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'Registered Model with name=no-such-model not found' },
    });
    expect(noUser).toEqual({ status: 404, body: { error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'User with username=nobody not found' } });
    expect(byNewName.body.registered_model_permission).toMatchObject({ name: renamed, permission: 'READ' });
    expect(byOldName.status).toBe(404);
    expect(listedRenamed).toEqual([{ name: renamed, user_id: byNewName.body.registered_model_permission.user_id, permission: 'READ' }]);
    expect(afterDelete).toEqual([]);
    expect(await ports.grants.on({ kind: 'registered_model', id: model.modelId })).toEqual([]);
    expect(recreated.modelId).not.toBe(model.modelId);
    expect(onRecreated.status).toBe(404);
  });
});
