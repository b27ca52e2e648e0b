import { alreadyExists, experimentNotFound, invalidParameter, notFound } from '../../errors/index.js';
import type { RegistryStore } from '../registry/ports.js';
import { registeredModelNotFound } from '../registry/validation.js';
import type { ExperimentStore } from '../tracking/ports.js';
import type { Grant, Group, ResourceRef, User } from './entities.js';
import { parsePermission, type Permission } from './permissions.js';
import { GrantExists, GrantHolderMissing, GrantMissing, GroupNameTaken, type AuthPorts } from './ports.js';

/**
 * Groups of users with grants of their own: MLflow's roles (mlflow/server/auth, 3.12's RBAC). A member's
 * permission on a resource is the highest any of its groups grants, unless the user holds a grant of its own
 * (access.ts). Cairn has no workspaces: every group lives in MLflow's `default` one.
 */
export interface GroupDeps {
  readonly auth: Pick<AuthPorts, 'users' | 'grants' | 'groups' | 'now'>;
  readonly experiments: Pick<ExperimentStore, 'get'>;
  readonly registry: Pick<RegistryStore, 'getModel' | 'getModelByName'>;
}

export const GROUP_RESOURCE_TYPES = ['experiment', 'registered_model'] as const;

/** A group's grant as the roles API shows it: an experiment by its id, a registered model by its current name. */
export interface GroupGrant {
  readonly groupId: string;
  readonly resource: ResourceRef;
  readonly pattern: string;
  readonly permission: Permission;
}

export interface GroupView {
  readonly group: Group;
  readonly grants: readonly GroupGrant[];
}

export const roleNotFound = (groupId: string) => notFound(`Role with id=${groupId} not found`);
export const rolePermissionNotFound = (id: string) => notFound(`Role permission with id=${id} not found`);
const userNotFound = (username: string) => notFound(`User with username=${username} not found`);

const subjectOf = (groupId: string) => ({ kind: 'group', id: groupId }) as const;

const requireGroup = async (deps: GroupDeps, groupId: string): Promise<Group> => {
  const group = await deps.auth.groups.get(groupId);
  if (!group) throw roleNotFound(groupId);
  return group;
};

const requireUser = async (deps: GroupDeps, username: string): Promise<User> => {
  const user = await deps.auth.users.get(username);
  if (!user) throw userNotFound(username);
  return user;
};

const requireName = (name: string) => {
  if (name.trim() === '') throw invalidParameter('Role name cannot be empty.');
  return name;
};

/**
 * The resource a grant names: an experiment by id, a registered model by name (to its id, so a rename keeps
 * the grant). It must exist: ids count up, so a grant on an id not yet used would reach someone's future
 * experiment.
 */
export const resolveResource = async (deps: GroupDeps, resourceType: string, pattern: string): Promise<ResourceRef> => {
  if (!(GROUP_RESOURCE_TYPES as readonly string[]).includes(resourceType)) {
    throw invalidParameter(
      `Invalid resource type '${resourceType}'. Valid resource types are: (${GROUP_RESOURCE_TYPES.map((t) => `'${t}'`).join(', ')})`,
    );
  }
  if (pattern === '*') {
    throw invalidParameter(`Cairn grants a role permissions on one ${resourceType} at a time: resource_pattern '*' is not supported.`);
  }
  if (resourceType === 'experiment') {
    if (!(await deps.experiments.get(pattern))) throw experimentNotFound(pattern);
    return { kind: 'experiment', id: pattern };
  }
  const model = await deps.registry.getModelByName(pattern);
  if (!model) throw registeredModelNotFound(pattern);
  return { kind: 'registered_model', id: model.modelId };
};

/** Grants as shown: a model's current name looked up once per model; a grant on a model since deleted is left out. */
const describeGrants = async (deps: GroupDeps, grants: readonly Grant[]): Promise<GroupGrant[]> => {
  const modelIds = [...new Set(grants.filter((g) => g.resource.kind === 'registered_model').map((g) => g.resource.id))];
  const names = new Map(
    await Promise.all(modelIds.map(async (id) => [id, (await deps.registry.getModel(id))?.name] as const)),
  );
  return grants.flatMap((grant) => {
    const pattern = grant.resource.kind === 'experiment' ? grant.resource.id : names.get(grant.resource.id);
    if (pattern === undefined || grant.subject.kind !== 'group') return [];
    return [{ groupId: grant.subject.id, resource: grant.resource, pattern, permission: grant.permission }];
  });
};

const viewOf = async (deps: GroupDeps, group: Group): Promise<GroupView> => ({
  group,
  grants: await describeGrants(deps, await deps.auth.grants.ofGroup(group.groupId)),
});

export const createGroup = async (deps: GroupDeps, input: { name: string; description?: string | undefined }): Promise<GroupView> => {
  const name = requireName(input.name);
  const group: Group = {
    groupId: await deps.auth.groups.allocateId(),
    name,
    description: input.description ?? '',
    createdAt: deps.auth.now(),
  };
  try {
    await deps.auth.groups.create(group);
  } catch (error) {
    if (error instanceof GroupNameTaken) throw alreadyExists(`Role (name=${name}, workspace=default) already exists.`);
    throw error;
  }
  return { group, grants: [] };
};

export const getGroup = async (deps: GroupDeps, groupId: string): Promise<GroupView> => viewOf(deps, await requireGroup(deps, groupId));

/** Every group, by name, with its grants. */
export const listGroups = async (deps: GroupDeps): Promise<GroupView[]> =>
  Promise.all((await deps.auth.groups.list()).map((group) => viewOf(deps, group)));

export const updateGroup = async (
  deps: GroupDeps,
  groupId: string,
  fields: { name?: string | undefined; description?: string | undefined },
): Promise<GroupView> => {
  if (fields.name === undefined && fields.description === undefined) {
    throw invalidParameter("At least one of 'name' or 'description' must be provided to update a role.");
  }
  const changes = {
    ...(fields.name === undefined ? {} : { name: requireName(fields.name) }),
    ...(fields.description === undefined ? {} : { description: fields.description }),
  };
  try {
    if (!(await deps.auth.groups.update(groupId, changes))) throw roleNotFound(groupId);
  } catch (error) {
    if (error instanceof GroupNameTaken) throw alreadyExists(`Role with name=${error.groupName} already exists in workspace=default`);
    throw error;
  }
  return getGroup(deps, groupId);
};

/**
 * Deletes the group, its memberships on both sides and its grants. Each step runs even when the group is
 * already gone, so a delete cut off half-way is finished by the next one; a group's id is never reused, so
 * nothing left in between can reach a later group.
 */
export const deleteGroup = async (deps: GroupDeps, groupId: string): Promise<void> => {
  const removed = await deps.auth.groups.delete(groupId);
  await deps.auth.grants.deleteAllOf(subjectOf(groupId));
  if (!removed) throw roleNotFound(groupId);
};

export interface Membership {
  readonly groupId: string;
  readonly userId: number;
}

export const assignUser = async (deps: GroupDeps, groupId: string, username: string): Promise<Membership> => {
  const user = await requireUser(deps, username);
  if (!(await deps.auth.groups.addMember(groupId, user.userId))) {
    // Nothing was written: the group is missing, or the user is in it already.
    await requireGroup(deps, groupId);
    throw alreadyExists(`User role assignment (user_id=${user.userId}, role_id=${groupId}) already exists`);
  }
  return { groupId, userId: user.userId };
};

export const unassignUser = async (deps: GroupDeps, groupId: string, username: string): Promise<void> => {
  const user = await requireUser(deps, username);
  if (!(await deps.auth.groups.removeMember(groupId, user.userId))) {
    throw notFound(`User role assignment (user_id=${user.userId}, role_id=${groupId}) not found`);
  }
};

export const groupMembers = async (deps: GroupDeps, groupId: string): Promise<Membership[]> => {
  await requireGroup(deps, groupId);
  return (await deps.auth.groups.members(groupId)).map((userId) => ({ groupId, userId }));
};

/** The groups a user belongs to, read from the user's own partition (what a permission decision reads). */
export const groupsOfUser = async (deps: GroupDeps, username: string): Promise<GroupView[]> => {
  const user = await requireUser(deps, username);
  const { groupIds } = await deps.auth.grants.ofUser(user.userId);
  const groups = await Promise.all(groupIds.map((id) => deps.auth.groups.get(id)));
  return Promise.all(groups.filter((group): group is Group => group !== undefined).map((group) => viewOf(deps, group)));
};

export const addGroupGrant = async (
  deps: GroupDeps,
  groupId: string,
  input: { resourceType: string; pattern: string; permission: string },
): Promise<GroupGrant> => {
  const permission = parsePermission(input.permission);
  await requireGroup(deps, groupId);
  const resource = await resolveResource(deps, input.resourceType, input.pattern);
  try {
    await deps.auth.grants.put({ subject: subjectOf(groupId), resource, permission }, 'create');
  } catch (error) {
    // The group was deleted since it was checked.
    if (error instanceof GrantHolderMissing) throw roleNotFound(groupId);
    if (error instanceof GrantExists) {
      throw alreadyExists(
        `Role permission (role_id=${groupId}, resource_type=${input.resourceType}, resource_pattern=${input.pattern}) already exists.`,
      );
    }
    throw error;
  }
  return { groupId, resource, pattern: input.pattern, permission };
};

/** A group's grant on one resource; `id` is how the caller named it, for the message when it is missing. */
const requireGroupGrant = async (deps: GroupDeps, groupId: string, resource: ResourceRef, id: string): Promise<GroupGrant> => {
  const grant = await deps.auth.grants.get(subjectOf(groupId), resource);
  const [described] = grant ? await describeGrants(deps, [grant]) : [];
  if (!described) throw rolePermissionNotFound(id);
  return described;
};

export const updateGroupGrant = async (
  deps: GroupDeps,
  target: { groupId: string; resource: ResourceRef; id: string },
  permissionName: string,
): Promise<GroupGrant> => {
  const permission = parsePermission(permissionName);
  const current = await requireGroupGrant(deps, target.groupId, target.resource, target.id);
  try {
    await deps.auth.grants.put({ subject: subjectOf(target.groupId), resource: target.resource, permission }, 'update');
  } catch (error) {
    if (error instanceof GrantMissing || error instanceof GrantHolderMissing) throw rolePermissionNotFound(target.id);
    throw error;
  }
  return { ...current, permission };
};

export const removeGroupGrant = async (deps: GroupDeps, target: { groupId: string; resource: ResourceRef; id: string }) => {
  if (!(await deps.auth.grants.delete(subjectOf(target.groupId), target.resource))) throw rolePermissionNotFound(target.id);
};

export const listGroupGrants = async (deps: GroupDeps, groupId: string): Promise<readonly GroupGrant[]> =>
  (await getGroup(deps, groupId)).grants;
