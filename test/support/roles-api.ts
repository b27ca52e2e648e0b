import { Hono } from 'hono';
import { authRoleRoutes } from '../../functions/api/routes/auth-roles.js';
import { createDynamoClient } from '../../shared/data/dynamo-client.js';
import { createGrantRepository } from '../../shared/data/grants/repository.js';
import { createGroupRepository } from '../../shared/data/groups/repository.js';
import { createUserRepository } from '../../shared/data/users/repository.js';
import type { User } from '../../shared/domain/auth/entities.js';
import type { GroupDeps } from '../../shared/domain/auth/groups.js';
import type { GrantStore, GroupStore, UserStore } from '../../shared/domain/auth/ports.js';
import { hashSecret } from '../../shared/domain/auth/token-secrets.js';
import { MlflowError } from '../../shared/errors/index.js';
import { createTestApi, type EngineName, type TestApi } from './test-api.js';

export interface RolesTestApi {
  /** The tracking API on the same table: experiments and registered models to grant on. */
  readonly tracking: TestApi;
  readonly users: UserStore;
  readonly grants: GrantStore;
  readonly groups: GroupStore;
  /** Calls the roles API under /api/3.0/mlflow (or `prefix`): JSON body, or a query for GET. */
  call(method: string, path: string, body?: Record<string, unknown>, prefix?: string): Promise<{ status: number; body: any }>;
  /** A user stored directly (creating users is another API's business). */
  createUser(username: string): Promise<User>;
}

/**
 * The roles API on a fresh table of a local engine, with the real repositories, mounted as the lead mounts
 * it (both prefixes) and answering errors in MLflow's JSON form as createApi does.
 */
export const createRolesTestApi = async (engine: EngineName): Promise<RolesTestApi> => {
  const tracking = await createTestApi(engine);
  const db = { client: createDynamoClient({ endpoint: tracking.endpoint }), tableName: tracking.tableName };
  const users = createUserRepository(db);
  const grants = createGrantRepository(db);
  const groups = createGroupRepository(db);
  const deps: GroupDeps = {
    auth: { users, grants, groups, now: () => Date.now() },
    experiments: tracking.deps.experiments,
    registry: tracking.deps.registry,
  };
  const app = new Hono().route('/api/3.0/mlflow', authRoleRoutes(deps)).route('/ajax-api/3.0/mlflow', authRoleRoutes(deps));
  app.onError((error, c) =>
    error instanceof MlflowError ? c.json(error.toJSON(), error.httpStatus as 400) : c.json({ error_code: 'INTERNAL_ERROR', message: String(error) }, 500),
  );
  const passwordHash = await hashSecret('not-used-here');
  return {
    tracking,
    users,
    grants,
    groups,
    async call(method, path, body, prefix = '/api/3.0/mlflow') {
      const query = method === 'GET' && body ? `?${new URLSearchParams(Object.entries(body).map(([k, v]) => [k, String(v)] as [string, string]))}` : '';
      const response = await app.request(`${prefix}${path}${query}`, {
        method,
        headers: method === 'GET' ? {} : { 'content-type': 'application/json' },
        body: method === 'GET' ? undefined : JSON.stringify(body ?? {}),
      });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : undefined };
    },
    async createUser(username) {
      const user: User = { userId: await users.allocateId(), username, isAdmin: false, passwordHash, credentialVersion: 1, createdAt: Date.now(), grants: new Map(), groupIds: [] };
      await users.create(user);
      return user;
    },
  };
};
