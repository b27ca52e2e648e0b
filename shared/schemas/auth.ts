import { z } from 'zod';
import { registeredModelNotFound } from '../domain/registry/validation.js';
import { userNotFound } from '../domain/auth/users.js';
import { invalidParameter } from '../errors/index.js';
import { Bool, ExperimentId, lookupKey } from './common.js';

/**
 * Requests of MLflow's auth API (mlflow/server/auth/__init__.py): GET takes the query, POST, PATCH and DELETE
 * a JSON body. A field that is absent is MLflow's "Missing value for required parameter"; an empty one
 * reaches the use case, which answers as MLflow's store does.
 */

/** Far above any real password; scrypt must not be handed megabytes. The message never repeats the value. */
export const PASSWORD_MAX_LENGTH = 1000;
const Password = z.string().superRefine((value, ctx) => {
  if (value.length <= PASSWORD_MAX_LENGTH) return;
  ctx.addIssue({
    code: 'custom',
    message: 'too long',
    params: { error: invalidParameter(`Password is too long: at most ${PASSWORD_MAX_LENGTH} characters.`) },
    input: '',
  });
});

/** A user to look up: a name too long for a key names no user. */
const Username = lookupKey(userNotFound);

export const CreateUserRequest = z.object({ username: z.string(), password: Password });
export const UsernameRequest = z.object({ username: Username });
export const UpdatePasswordRequest = z.object({ username: Username, password: Password });
export const UpdateAdminRequest = z.object({ username: Username, is_admin: Bool });
export const NoFields = z.object({});

const PermissionName = z.string();

export const ExperimentPermissionRequest = z.object({ experiment_id: ExperimentId.pipe(lookupKey()), username: Username });
export const ExperimentPermissionChange = ExperimentPermissionRequest.extend({ permission: PermissionName });

export const RegisteredModelPermissionRequest = z.object({ name: lookupKey(registeredModelNotFound), username: Username });
export const RegisteredModelPermissionChange = RegisteredModelPermissionRequest.extend({ permission: PermissionName });
