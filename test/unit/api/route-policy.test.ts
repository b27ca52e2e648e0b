/**
 * The decision table (functions/api/authorization/route-policy.ts) against the routes the app really serves:
 * the app built with every optional part and authorization, as `npm start -- --auth` builds it, must have a
 * row for each of its routes and no row for a route it does not serve. A route that slips past the table is
 * refused (fail-closed), which the second part shows on an app with one route added behind the table's back.
 */
import type { Context } from 'hono';
import { describe, expect, it } from 'vitest';
import { createApi } from '../../../functions/api/create-api.js';
import { policyKey, ROUTE_POLICY } from '../../../functions/api/authorization/route-policy.js';
import type { Caller } from '../../../shared/domain/auth/access.js';
import type { Permission } from '../../../shared/domain/auth/permissions.js';
import type { AuthPorts } from '../../../shared/domain/auth/ports.js';
import type { TrackingDeps } from '../../../shared/domain/dependencies.js';
import { ensureDefaultExperiment } from '../../../shared/domain/tracking/experiments.js';
import { buildFuzzApp } from '../../fuzz/app.js';
import { memoryAuditLog, memoryGrantStore, memoryGroupStore, memoryPrincipalStore, memoryUserStore } from '../../support/fakes/auth.js';
import { createMemoryRegistry } from '../../support/fakes/registry.js';
import { createTrackingPorts } from '../../support/fakes/tracking.js';
import { addUser } from '../../support/fakes/users.js';

/** Hono lists middleware (`app.use`) as ALL routes whose handler takes `(c, next)`: not routes of their own. */
const servedRoutes = (routes: readonly { method: string; path: string; handler: { length: number } }[]) =>
  routes.filter((route) => !(route.method === 'ALL' && route.handler.length >= 2));

describe('the decision table covers exactly the routes the app serves', () => {
  it('has a row for every route of the app with every option and authorization, and no stale row', async () => {
    // Prepare: nothing is sent, so the endpoint need not answer
    const { app, client } = await buildFuzzApp({ endpoint: 'http://127.0.0.1:9', tableName: 'unused', auth: { defaultPermission: 'NO_PERMISSIONS' } });
    client.destroy();

    // Act
    const keys = new Set(servedRoutes(app.routes).map((route) => policyKey(route.method, route.path)));
    const missing = [...keys].filter((key) => !(key in ROUTE_POLICY));
    const stale = Object.keys(ROUTE_POLICY).filter((key) => !keys.has(key));

    // Assess
    expect(missing, 'routes without a row in ROUTE_POLICY (they are refused to everyone)').toEqual([]);
    expect(stale, 'rows of ROUTE_POLICY for routes the app does not serve').toEqual([]);
    expect(keys.size).toBe(Object.keys(ROUTE_POLICY).length);
  });

  it('reads the /ajax-api twins of every MLflow route from the same rows', async () => {
    // Prepare
    const { app, client } = await buildFuzzApp({ endpoint: 'http://127.0.0.1:9', tableName: 'unused' });
    client.destroy();

    // Act
    const ajax = servedRoutes(app.routes).filter((route) => route.path.startsWith('/ajax-api/'));
    const apiTwins = ajax.filter((route) => app.routes.some((r) => r.method === route.method && r.path === route.path.replace('/ajax-api/', '/api/')));

    // Assess: every /ajax-api route has its /api twin, both under the same key
    expect(ajax.length).toBeGreaterThan(50);
    expect(apiTwins.length).toBe(ajax.length);
    for (const route of ajax) expect(policyKey(route.method, route.path)).toBe(policyKey(route.method, route.path.replace('/ajax-api/', '/api/')));
  });
});

/** Who sends a request here: the user named in this header (credentials are another test's matter). */
const USER_HEADER = 'x-test-user';

/** An app on in-memory ports with authorization, a user of each kind, and one route added that the table lacks. */
const appWithUnlistedRoutes = async (defaultPermission: Permission) => {
  const tracking = createTrackingPorts();
  await ensureDefaultExperiment(tracking.ports);
  const memory = createMemoryRegistry({ now: tracking.ports.now });
  const deps: TrackingDeps = { ...tracking.ports, registry: memory.registry, registryEvents: memory.registryEvents };
  const users = memoryUserStore();
  const grants = memoryGrantStore(users);
  const audit = memoryAuditLog();
  const ports: AuthPorts = {
    users,
    grants,
    groups: memoryGroupStore(grants),
    principals: memoryPrincipalStore(),
    audit,
    settings: { defaultPermission, unmappedPrincipalPermission: 'MANAGE', auditRetentionDays: 90 },
    now: tracking.ports.now,
  };
  const authenticate = async (c: Context): Promise<Caller | undefined> => {
    const name = c.req.header(USER_HEADER) ?? '';
    if (name === 'unmapped-role') return { kind: 'unmapped-principal', principal: 'iam:AROAEXAMPLEEXAMPLE', arn: 'arn:aws:iam::123456789012:role/r' };
    const user = await users.get(name);
    return user && { kind: 'user', user, principal: `basic:${user.username}` };
  };
  const app = createApi(deps, { auth: { ports, authenticate } });
  const handled: string[] = [];
  // Added after createApi, as a later change could add one: the authorization middleware still runs first.
  for (const prefix of ['/api', '/ajax-api']) app.get(`${prefix}/2.0/mlflow/experiments/unlisted`, (c) => (handled.push(c.req.path), c.json({})));
  app.post('/api/2.0/cairn/unlisted/:id', (c) => (handled.push(c.req.path), c.json({})));
  const manager = await addUser(users, 'manager', 'manager-password');
  await addUser(users, 'admin', 'admin-password', { isAdmin: true });
  await addUser(users, 'nobody', 'nobody-password');
  for (const id of ['0']) await grants.put({ subject: { kind: 'user', id: manager.userId }, resource: { kind: 'experiment', id }, permission: 'MANAGE' }, 'create');
  const send = (as: string | undefined, method: string, path: string) =>
    app.request(path, { method, headers: { ...(as ? { [USER_HEADER]: as } : {}), ...(method === 'GET' ? {} : { 'content-type': 'application/json' }) }, ...(method === 'GET' ? {} : { body: '{"experiment_id":"0"}' }) });
  return { send, handled, audit };
};

describe('a route without a row is refused (fail-closed)', () => {
  it.each(['NO_PERMISSIONS', 'MANAGE'] as const)(
    'answers 403 Permission denied to every signed-in non-admin, even with %s as the default, and never runs the handler',
    async (defaultPermission) => {
      // Prepare
      const api = await appWithUnlistedRoutes(defaultPermission);

      // Act
      const answers = [];
      for (const as of ['nobody', 'manager', 'unmapped-role']) {
        for (const [method, path] of [
          ['GET', '/api/2.0/mlflow/experiments/unlisted?experiment_id=0'],
          ['GET', '/ajax-api/2.0/mlflow/experiments/unlisted?experiment_id=0'],
          ['POST', '/api/2.0/cairn/unlisted/0'],
        ] as const) {
          const response = await api.send(as, method, path);
          answers.push({ as, path, status: response.status, type: response.headers.get('content-type'), body: await response.text() });
        }
      }
      const anonymous = await api.send(undefined, 'GET', '/api/2.0/mlflow/experiments/unlisted');

      // Assess
      for (const answer of answers) expect(answer, `${answer.as} ${answer.path}`).toMatchObject({ status: 403, type: 'text/html; charset=utf-8', body: 'Permission denied' });
      expect(anonymous.status).toBe(401);
      expect(api.handled).toEqual([]);
      expect(api.audit.entries.filter((entry) => entry.detail === 'no row in the decision table')).toHaveLength(answers.length);
    },
  );

  it('refuses it to admins too: a route nobody has classified is nobody\'s to call', async () => {
    // Prepare
    const api = await appWithUnlistedRoutes('NO_PERMISSIONS');

    // Act
    const response = await api.send('admin', 'GET', '/api/2.0/mlflow/experiments/unlisted');

    // Assess
    expect(response.status).toBe(403);
    expect(api.handled).toEqual([]);
  });

  it('still answers 404 for a path no route serves, after the caller is known', async () => {
    // Prepare
    const api = await appWithUnlistedRoutes('NO_PERMISSIONS');

    // Act
    const signedIn = await api.send('nobody', 'GET', '/api/2.0/mlflow/no-such-route');
    const anonymous = await api.send(undefined, 'GET', '/api/2.0/mlflow/no-such-route');

    // Assess
    expect(signedIn.status).toBe(404);
    expect(((await signedIn.json()) as { error_code: string }).error_code).toBe('ENDPOINT_NOT_FOUND');
    expect(anonymous.status).toBe(401);
  });
});
