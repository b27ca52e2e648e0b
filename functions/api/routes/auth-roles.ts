import { Hono } from 'hono';
import * as roles from '../../../shared/domain/auth/groups.js';
import type { GroupDeps, GroupGrant, GroupView, Membership } from '../../../shared/domain/auth/groups.js';
import * as S from '../../../shared/schemas/roles.js';
import { rpc } from '../rpc.js';

/**
 * MLflow's roles API (3.12's RBAC, mlflow/server/auth/__init__.py), on Cairn's groups. Paths are relative:
 * mount it under `/api/3.0/mlflow` and `/ajax-api/3.0/mlflow`, as MLflow serves it. Who may call is the
 * authorization policy's business (admins only), not these handlers'.
 */
export const authRoleRoutes = (deps: GroupDeps) =>
  new Hono()
    .post(
      '/roles/create',
      rpc(S.CreateRoleRequest, async (input) => ({
        role: roleJson(await roles.createGroup(deps, { name: input.name, description: input.description })),
      })),
    )
    .get('/roles/get', rpc(S.RoleIdRequest, async (input) => ({ role: roleJson(await roles.getGroup(deps, input.role_id)) })))
    .get(
      '/roles/list',
      rpc(S.ListRolesRequest, async (input) => {
        // Every role is in the default workspace: a listing scoped to others finds none.
        const scoped = input.workspace !== undefined && !input.workspace.includes(S.ONLY_WORKSPACE);
        return { roles: scoped ? [] : (await roles.listGroups(deps)).map(roleJson) };
      }),
    )
    .patch(
      '/roles/update',
      rpc(S.UpdateRoleRequest, async (input) => ({
        role: roleJson(await roles.updateGroup(deps, input.role_id, { name: input.name, description: input.description })),
      })),
    )
    .delete('/roles/delete', rpc(S.RoleIdRequest, async (input) => (await roles.deleteGroup(deps, input.role_id), {})))
    .post(
      '/roles/permissions/add',
      rpc(S.AddRolePermissionRequest, async (input) => ({
        role_permission: rolePermissionJson(
          await roles.addGroupGrant(deps, input.role_id, {
            resourceType: input.resource_type,
            pattern: input.resource_pattern,
            permission: input.permission,
          }),
        ),
      })),
    )
    .get(
      '/roles/permissions/list',
      rpc(S.RoleIdRequest, async (input) => ({
        role_permissions: (await roles.listGroupGrants(deps, input.role_id)).map(rolePermissionJson),
      })),
    )
    .patch(
      '/roles/permissions/update',
      rpc(S.UpdateRolePermissionRequest, async (input) => ({
        role_permission: rolePermissionJson(await roles.updateGroupGrant(deps, input.role_permission_id, input.permission)),
      })),
    )
    .delete(
      '/roles/permissions/remove',
      rpc(S.RolePermissionRequest, async (input) => (await roles.removeGroupGrant(deps, input.role_permission_id), {})),
    )
    .post(
      '/roles/assign',
      rpc(S.RoleAssignmentRequest, async (input) => ({
        assignment: assignmentJson(await roles.assignUser(deps, input.role_id, input.username)),
      })),
    )
    .delete(
      '/roles/unassign',
      rpc(S.RoleAssignmentRequest, async (input) => (await roles.unassignUser(deps, input.role_id, input.username), {})),
    )
    .get(
      '/roles/users/list',
      rpc(S.RoleIdRequest, async (input) => ({ assignments: (await roles.groupMembers(deps, input.role_id)).map(assignmentJson) })),
    )
    .get(
      '/users/roles/list',
      rpc(S.UsernameRequest, async (input) => ({ roles: (await roles.groupsOfUser(deps, input.username)).map(roleJson) })),
    );

/** A role permission's id: its role and resource (schemas/roles.ts reads it back). */
const rolePermissionId = (grant: GroupGrant) => `${grant.groupId}:${grant.resource.kind}:${grant.resource.id}`;

/** MLflow's RolePermission.to_json. */
const rolePermissionJson = (grant: GroupGrant) => ({
  id: rolePermissionId(grant),
  role_id: Number(grant.groupId),
  resource_type: grant.resource.kind,
  resource_pattern: grant.pattern,
  permission: grant.permission,
});

/** MLflow's Role.to_json: a role without a description has `null`, as MLflow stores None. */
const roleJson = ({ group, grants }: GroupView) => ({
  id: Number(group.groupId),
  name: group.name,
  workspace: S.ONLY_WORKSPACE,
  description: group.description === '' ? null : group.description,
  permissions: grants.map(rolePermissionJson),
});

/** MLflow's UserRoleAssignment.to_json; the pair is the assignment, so its id names both. */
const assignmentJson = (membership: Membership) => ({
  id: `${membership.groupId}:${membership.userId}`,
  user_id: membership.userId,
  role_id: Number(membership.groupId),
});
