import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { beforeAll, describe, expect, it } from 'vitest';
import { setAccess } from '../../../functions/api/auth-context.js';
import { cairnAuthRoutes } from '../../../functions/api/routes/cairn-auth.js';
import { createAuditLog } from '../../../shared/data/audit/repository.js';
import { createDynamoClient } from '../../../shared/data/dynamo-client.js';
import { ensureTable } from '../../../shared/data/ensure-table.js';
import { createPrincipalRepository } from '../../../shared/data/principals/repository.js';
import { createUserRepository } from '../../../shared/data/users/repository.js';
import { accessOfUser } from '../../../shared/domain/auth/access.js';
import type { User } from '../../../shared/domain/auth/entities.js';
import type { UserStore } from '../../../shared/domain/auth/ports.js';
import { MlflowError } from '../../../shared/errors/index.js';
import { ENGINES, endpointOf } from '../../support/test-api.js';

const ROLE_ID = 'AROAEXAMPLEROLE123456';
const ROLE_ARN = 'arn:aws:iam::123456789012:role/trainer';

const newUser = async (users: UserStore, username: string, isAdmin = false): Promise<User> => {
  const user: User = {
    userId: await users.allocateId(),
    username,
    isAdmin,
    passwordHash: { kdf: 'scrypt', N: 16384, r: 8, p: 1, salt: 's', hash: 'h' },
    credentialVersion: 1,
    createdAt: Date.now(),
    grants: new Map(),
    groupIds: [],
  };
  await users.create(user);
  return user;
};

/**
 * The routes as the lead mounts them (under /api/2.0/cairn), behind a stand-in of the authorization middleware
 * that names the admin as the caller, with createApi's error answers; requests carry API Gateway's request id
 * as hono/aws-lambda hands it over.
 */
const serve = async (engine: (typeof ENGINES)[number]) => {
  const db = { client: createDynamoClient({ endpoint: endpointOf(engine) }), tableName: `cairn-auth-routes-${randomUUID()}` };
  await ensureTable(db);
  const users = createUserRepository(db);
  const admin = await newUser(users, 'admin', true);
  const ports = { users, principals: createPrincipalRepository(db), audit: createAuditLog(db, { retentionDays: 30 }), now: Date.now };
  const app = new Hono();
  app.use('*', async (c, next) => {
    setAccess(c, accessOfUser({ kind: 'user', user: admin, principal: 'basic:admin' }, [], [], 'NO_PERMISSIONS'));
    await next();
  });
  app.route('/api/2.0/cairn', cairnAuthRoutes(ports));
  app.onError((error, c) => {
    if (error instanceof MlflowError) return c.json({ error_code: error.errorCode, message: error.message }, error.httpStatus as 400);
    throw error;
  });
  let requests = 0;
  const call = async (method: string, path: string, body?: Record<string, unknown>) => {
    const query = method === 'GET' && body ? `?${new URLSearchParams(Object.entries(body).map(([k, v]): [string, string] => [k, String(v)]))}` : '';
    const response = await app.request(
      `/api/2.0/cairn/${path}${query}`,
      { method, ...(method === 'GET' ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}) }) },
      { requestContext: { requestId: `gw-${++requests}` } },
    );
    return { status: response.status, body: (await response.json()) as any };
  };
  return { users, ports, call };
};

describe.each(ENGINES)('Cairn auth routes on %s', (engine) => {
  let api: Awaited<ReturnType<typeof serve>>;

  beforeAll(async () => {
    api = await serve(engine);
    await newUser(api.users, 'trainer-bot');
  });

  it('maps a principal, lists it, deletes it, and the audit log holds both changes with their request ids', async () => {
    // Act
    const created = await api.call('POST', 'principals/create', { principal_id: ROLE_ID, arn: ROLE_ARN, username: 'trainer-bot' });
    const listed = await api.call('GET', 'principals/list');
    const deleted = await api.call('DELETE', 'principals/delete', { principal_id: ROLE_ID });
    const deletedAgain = await api.call('DELETE', 'principals/delete', { principal_id: ROLE_ID });
    const listedAfter = await api.call('GET', 'principals/list');
    const audit = await api.call('GET', 'audit/list');

    // Assess
    const mapping = {
      principal_id: ROLE_ID,
      arn: ROLE_ARN,
      user_id: expect.any(Number),
      username: 'trainer-bot',
      creation_timestamp: expect.any(Number),
    };
    expect(created).toEqual({ status: 200, body: { principal_mapping: mapping } });
    expect(listed).toEqual({ status: 200, body: { principal_mappings: [{ ...mapping, user_exists: true }] } });
    expect(deleted).toEqual({ status: 200, body: {} });
    expect(deletedAgain).toEqual({
      status: 404,
      body: { error_code: 'RESOURCE_DOES_NOT_EXIST', message: `Principal mapping with principal_id=${ROLE_ID} not found` },
    });
    expect(listedAfter.body).toEqual({ principal_mappings: [] });
    expect(audit.status).toBe(200);
    const change = { username: 'admin', principal: 'basic:admin', resource: `principal:${ROLE_ID}`, decision: 'allowed', detail: `arn=${ROLE_ARN} user=trainer-bot` };
    expect(audit.body.entries).toEqual([
      { timestamp: expect.any(Number), request_id: expect.stringMatching(/^gw-\d+$/), action: 'principals/delete', ...change },
      { timestamp: expect.any(Number), request_id: expect.stringMatching(/^gw-\d+$/), action: 'principals/create', ...change },
    ]);
    expect(audit.body.entries[0].request_id).not.toBe(audit.body.entries[1].request_id);
  });

  it.each([
    [{ arn: ROLE_ARN, username: 'trainer-bot' }, 400, 'INVALID_PARAMETER_VALUE', "Missing value for required parameter 'principal_id'"],
    [{ principal_id: ROLE_ID, username: 'trainer-bot' }, 400, 'INVALID_PARAMETER_VALUE', "Missing value for required parameter 'arn'"],
    [{ principal_id: ROLE_ID, arn: ROLE_ARN }, 400, 'INVALID_PARAMETER_VALUE', "Missing value for required parameter 'username'"],
    [{ principal_id: 'AKIAEXAMPLE', arn: ROLE_ARN, username: 'trainer-bot' }, 400, 'INVALID_PARAMETER_VALUE', "Invalid principal_id 'AKIAEXAMPLE'"],
    [{ principal_id: ROLE_ID, arn: 'arn:aws:iam::123456789012:user/bob', username: 'trainer-bot' }, 400, 'INVALID_PARAMETER_VALUE', 'Invalid arn'],
    [{ principal_id: ROLE_ID, arn: ROLE_ARN, username: 'carol' }, 404, 'RESOURCE_DOES_NOT_EXIST', 'User with username=carol not found'],
  ])('refuses principals/create with %o, changing nothing', async (body, status, errorCode, message) => {
    // Act
    const answer = await api.call('POST', 'principals/create', body);
    const listed = await api.call('GET', 'principals/list');

    // Assess
    expect(answer.status).toBe(status);
    expect(answer.body.error_code).toBe(errorCode);
    expect(answer.body.message).toContain(message);
    expect(listed.body.principal_mappings).toEqual([]);
  });

  it('pages the audit log with max_results and page_token, bound to since', async () => {
    // Prepare
    const { call, ports } = await serve(engine);
    const since = Date.now();
    for (let i = 0; i < 5; i++) {
      await ports.audit.record({ at: since + i, requestId: `r${i}`, principal: 'anonymous', action: 'GET /api/2.0/mlflow/experiments/get', decision: 'unauthenticated' });
    }

    // Act
    const first = await call('GET', 'audit/list', { since, max_results: 2 });
    const second = await call('GET', 'audit/list', { since, max_results: 2, page_token: first.body.next_page_token });
    const third = await call('GET', 'audit/list', { since, max_results: 2, page_token: second.body.next_page_token });
    const otherSince = await call('GET', 'audit/list', { since: since + 1, max_results: 2, page_token: first.body.next_page_token });
    const tooMany = await call('GET', 'audit/list', { max_results: 1001 });

    // Assess
    const ids = (page: { body: { entries: { request_id: string }[] } }) => page.body.entries.map((e) => e.request_id);
    expect([ids(first), ids(second), ids(third)]).toEqual([['r4', 'r3'], ['r2', 'r1'], ['r0']]);
    expect(third.body).not.toHaveProperty('next_page_token');
    expect(otherSince.status).toBe(400);
    expect(otherSince.body.message).toContain('Invalid page token');
    expect(tooMany).toEqual({
      status: 400,
      body: { error_code: 'INVALID_PARAMETER_VALUE', message: 'Invalid value 1001 for max_results: expected an integer from 1 to 1000.' },
    });
  });
});
