import { describe, expect, it } from 'vitest';
import type { AuthApiDeps } from '../../../shared/domain/auth/api-deps.js';
import {
  createExperimentPermission,
  deleteExperimentPermission,
  getExperimentPermission,
  updateRegisteredModelPermission,
} from '../../../shared/domain/auth/grants.js';
import { createUser, deleteUser, updateAdmin, updatePassword, userToJson } from '../../../shared/domain/auth/users.js';
import { createRegisteredModel } from '../../../shared/domain/registry/registered-models.js';
import { createExperiment } from '../../../shared/domain/tracking/experiments.js';
import { MlflowError } from '../../../shared/errors/index.js';
import { memoryGrantStore, memoryUserStore } from '../../support/fakes/auth.js';
import { createRegistryPorts } from '../../support/fakes/registry.js';
import { createTrackingPorts } from '../../support/fakes/tracking.js';

/** The MLflow error a use case rejected with, as code and message. */
const failure = async (promise: Promise<unknown>) => {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  if (!(error instanceof MlflowError)) throw new Error(`expected an MlflowError, got ${String(error)}`);
  return { code: error.errorCode, message: error.message };
};

const setup = () => {
  const tracking = createTrackingPorts();
  const { ports: registry, memory } = createRegistryPorts();
  const users = memoryUserStore();
  const grants = memoryGrantStore(users);
  const deps: AuthApiDeps = { auth: { users, grants, now: () => 1_000 }, registry: registry.registry, experiments: tracking.ports.experiments };
  return { deps, tracking, registry, memory, users, grants };
};

describe('users (over the in-memory stores)', () => {
  it('validates as MLflow does: an empty field, a short password, a taken name', async () => {
    // Prepare
    const { deps } = setup();
    await createUser(deps, { username: 'ann', password: 'ann-password-1' });

    // Act
    const outcomes = await Promise.all([
      failure(createUser(deps, { username: '', password: 'long-enough-password' })),
      failure(createUser(deps, { username: 'bo', password: 'elevenchars' })),
      failure(createUser(deps, { username: 'ann', password: 'another-password' })),
      failure(updateAdmin(deps, 'nobody', true)),
    ]);

    // Assess
    expect(outcomes).toEqual([
      { code: 'INVALID_PARAMETER_VALUE', message: 'Username and password cannot be empty.' },
      { code: 'INVALID_PARAMETER_VALUE', message: 'Password must be a string longer than 12 characters.' },
      { code: 'RESOURCE_ALREADY_EXISTS', message: 'User (username=ann) already exists.' },
      { code: 'RESOURCE_DOES_NOT_EXIST', message: 'User with username=nobody not found' },
    ]);
  });

  it('counts a password in code points, as Python does: 11 emoji (22 UTF-16 units) are too short, 12 enough', async () => {
    const { deps } = setup();
    const short = await failure(createUser(deps, { username: 'emoji', password: '😀'.repeat(11) }));
    const user = await createUser(deps, { username: 'emoji', password: '😀'.repeat(12) });
    expect(short.code).toBe('INVALID_PARAMETER_VALUE');
    expect(user.username).toBe('emoji');
  });

  it('raises the credential version with each password change; deleting a user removes its grants', async () => {
    // Prepare
    const { deps, tracking, users, grants } = setup();
    const ann = await createUser(deps, { username: 'ann', password: 'ann-password-1' });
    const experimentId = await createExperiment(tracking.ports, { name: 'e', tags: [] });
    await createExperimentPermission(deps, { experimentId, username: 'ann', permission: 'EDIT' });

    // Act
    await updatePassword(deps, 'ann', 'x');
    const changed = users.users.get('ann');
    await deleteUser(deps, 'ann');

    // Assess
    expect(changed?.credentialVersion).toBe(ann.credentialVersion + 1);
    expect(users.users.has('ann')).toBe(false);
    expect(grants.grants.size).toBe(0);
  });
});

describe('permissions (over the in-memory stores)', () => {
  it('names a bad permission before the user, and a missing grant with MLflow\'s message', async () => {
    // Prepare
    const { deps, tracking } = setup();
    await createUser(deps, { username: 'ann', password: 'ann-password-1' });
    const experimentId = await createExperiment(tracking.ports, { name: 'e', tags: [] });

    // Act
    const outcomes = await Promise.all([
      failure(createExperimentPermission(deps, { experimentId, username: 'nobody', permission: 'SUPERUSER' })),
      failure(getExperimentPermission(deps, { experimentId, username: 'ann' })),
      failure(deleteExperimentPermission(deps, { experimentId, username: 'ann' })),
      failure(updateRegisteredModelPermission(deps, { name: 'm', username: 'ann', permission: 'READ' })),
    ]);

    // Assess
    expect(outcomes).toEqual([
      {
        code: 'INVALID_PARAMETER_VALUE',
        message: "Invalid permission 'SUPERUSER'. Valid permissions are: ('READ', 'EDIT', 'MANAGE', 'NO_PERMISSIONS')",
      },
      { code: 'RESOURCE_DOES_NOT_EXIST', message: `Experiment permission with experiment_id=${experimentId} and username=ann not found` },
      { code: 'RESOURCE_DOES_NOT_EXIST', message: `Experiment permission with experiment_id=${experimentId} and username=ann not found` },
      { code: 'RESOURCE_DOES_NOT_EXIST', message: 'Registered model permission with name=m and username=ann not found' },
    ]);
  });

  it("gives the creator MANAGE through the stores' creation calls, and shows a model under its current name", async () => {
    // Prepare
    const { deps, tracking, registry, memory, grants } = setup();
    const ann = await createUser(deps, { username: 'ann', password: 'ann-password-1' });

    // Act
    const experimentId = await createExperiment(tracking.ports, { name: 'e', tags: [], creatorUserId: ann.userId });
    const model = await createRegisteredModel(registry, { name: 'm', tags: [], creatorUserId: ann.userId });
    for (const grant of [...tracking.experiments.creatorGrants, ...memory.grants]) await grants.put(grant, 'create');
    const json = await userToJson(deps, ann);

    // Assess
    expect(tracking.experiments.creatorGrants).toEqual([
      { subject: { kind: 'user', id: ann.userId }, resource: { kind: 'experiment', id: experimentId }, permission: 'MANAGE' },
    ]);
    expect(memory.grants).toEqual([
      { subject: { kind: 'user', id: ann.userId }, resource: { kind: 'registered_model', id: model.modelId }, permission: 'MANAGE' },
    ]);
    expect(json).toEqual({
      id: ann.userId,
      username: 'ann',
      is_admin: false,
      experiment_permissions: [{ experiment_id: experimentId, user_id: ann.userId, permission: 'MANAGE' }],
      registered_model_permissions: [{ name: 'm', user_id: ann.userId, permission: 'MANAGE' }],
      scorer_permissions: [],
    });
  });
});
