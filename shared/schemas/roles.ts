import { z } from 'zod';
import { GROUP_RESOURCE_TYPES, rolePermissionNotFound } from '../domain/auth/groups.js';
import type { ResourceRef } from '../domain/auth/entities.js';
import { Int64, limitedText, repeated, requiredKey, RequiredString } from './common.js';

/**
 * Requests of MLflow's roles API (mlflow/server/auth/__init__.py, 3.12's RBAC handlers). Ids are integers
 * there: `role_id` is taken as a number or a numeric string, as `_get_int_request_param` does. A role
 * permission's id is Cairn's own text (`<role id>:<resource type>:<resource id>`): grants are keyed by
 * (group, resource), so the id names both and stays the same across a model's renames.
 */

/** Cairn has no workspaces; every role lives in MLflow's default one. */
export const ONLY_WORKSPACE = 'default';

export const RoleId = Int64.transform(String);

/** MLflow's roles table holds names of up to 255 and descriptions of up to 1024 characters. */
const Name = limitedText('Role name', 255);
const Description = limitedText('Role description', 1024);

const Workspace = z
  .string()
  .refine((value) => value === ONLY_WORKSPACE, { message: `Cairn has no workspaces: every role lives in the '${ONLY_WORKSPACE}' workspace.` });

export const CreateRoleRequest = z.object({
  name: Name.pipe(RequiredString),
  workspace: Workspace.optional(),
  description: Description.nullish().transform((value) => value ?? undefined),
});

export const RoleIdRequest = z.object({ role_id: RoleId });

/** `workspace` repeated scopes the listing, as in MLflow; a blank one is refused with MLflow's message. */
export const ListRolesRequest = z.object({
  workspace: repeated(
    z.string().refine((value) => value.trim() !== '', { message: "Parameter 'workspace' must be a non-empty string when provided." }),
  ).optional(),
});

export const UpdateRoleRequest = RoleIdRequest.extend({
  name: Name.nullish().transform((value) => value ?? undefined),
  description: Description.nullish().transform((value) => value ?? undefined),
});

export const AddRolePermissionRequest = RoleIdRequest.extend({
  resource_type: limitedText('Resource type', 100).pipe(RequiredString),
  resource_pattern: requiredKey(),
  permission: limitedText('Permission', 100).pipe(RequiredString),
});

const isResourceKind = (value: string): value is ResourceRef['kind'] => (GROUP_RESOURCE_TYPES as readonly string[]).includes(value);

/** A role permission's id, read back into its group and resource; any other text names no permission. */
export const RolePermissionId = z
  .preprocess((value) => (typeof value === 'number' ? String(value) : value), requiredKey())
  .transform((id, ctx) => {
    const [groupId, kind, ...rest] = id.split(':');
    const resourceId = rest.join(':');
    if (groupId && /^\d+$/.test(groupId) && kind && isResourceKind(kind) && resourceId) {
      return { id, groupId, resource: { kind, id: resourceId } as ResourceRef };
    }
    ctx.addIssue({ code: 'custom', message: 'unknown', params: { error: rolePermissionNotFound(id) }, input: id });
    return z.NEVER;
  });

export const RolePermissionRequest = z.object({ role_permission_id: RolePermissionId });

export const UpdateRolePermissionRequest = RolePermissionRequest.extend({
  permission: limitedText('Permission', 100).pipe(RequiredString),
});

export const RoleAssignmentRequest = RoleIdRequest.extend({ username: requiredKey() });

export const UsernameRequest = z.object({ username: requiredKey() });
