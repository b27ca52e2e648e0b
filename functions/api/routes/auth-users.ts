import { Hono } from 'hono';
import type { AuthApiDeps } from '../../../shared/domain/auth/api-deps.js';
import * as users from '../../../shared/domain/auth/users.js';
import * as S from '../../../shared/schemas/auth.js';
import { accessOf } from '../auth-context.js';
import { rpc } from '../rpc.js';

/**
 * MLflow's user RPCs (mlflow/server/auth/routes.py), plus `users/list` and `users/current` that later MLflow
 * added. Mounted under `/api/2.0/mlflow` and `/ajax-api/2.0/mlflow`. Who may call which is decided before the
 * handler runs (the authorization policy: admin, or the user herself); these only do the operation.
 */
export const authUserRoutes = (deps: AuthApiDeps) =>
  new Hono()
    .post(
      '/users/create',
      rpc(S.CreateUserRequest, async (input) => ({ user: users.newUserToJson(await users.createUser(deps, input)) })),
    )
    .get(
      '/users/get',
      rpc(S.UsernameRequest, async (input) => ({ user: await users.userToJson(deps, await users.getUser(deps, input.username)) })),
    )
    .patch(
      '/users/update-password',
      rpc(S.UpdatePasswordRequest, async (input) => (await users.updatePassword(deps, input.username, input.password), {})),
    )
    .patch(
      '/users/update-admin',
      rpc(S.UpdateAdminRequest, async (input) => (await users.updateAdmin(deps, input.username, input.is_admin), {})),
    )
    .delete(
      '/users/delete',
      rpc(S.UsernameRequest, async (input) => (await users.deleteUser(deps, input.username), {})),
    )
    .get(
      '/users/list',
      rpc(S.NoFields, async () => {
        const names: users.ModelNames = new Map();
        const all = await users.listUsers(deps);
        return { users: await Promise.all(all.map((user) => users.userToJson(deps, user, names))) };
      }),
    )
    .get(
      '/users/current',
      rpc(S.NoFields, async (_, c) => {
        // Authorization off, or a SigV4 principal no admin mapped: nobody to name.
        const username = accessOf(c).username;
        return username === undefined ? {} : { user: await users.userToJson(deps, await users.getUser(deps, username)) };
      }),
    );
