import type { Access } from '../../shared/domain/auth/access.js';
import type { Visibility } from '../../shared/domain/kernel/visibility.js';

/**
 * What a search may show the request's caller, from its Access (auth-context.ts): undefined when the caller
 * sees everything (authorization off, or an admin), so those searches run, and page their tokens, as before.
 */

/**
 * Who is looking, for binding page tokens: the user's number (never reused, unlike a name), or the SigV4
 * principal an unmapped caller came with.
 */
const viewerOf = (access: Access): string => {
  const caller = access.caller;
  if (!caller) return 'anonymous';
  return caller.kind === 'user' ? `user:${caller.user.userId}` : `principal:${caller.principal}`;
};

export const experimentsVisibleTo = (access: Access): Visibility | undefined =>
  access.isAdmin ? undefined : { viewer: viewerOf(access), sees: (id) => access.canRead({ kind: 'experiment', id }) };

/** Registered models by their id: a rename keeps what its readers see. */
export const modelsVisibleTo = (access: Access): Visibility | undefined =>
  access.isAdmin ? undefined : { viewer: viewerOf(access), sees: (id) => access.canRead({ kind: 'registered_model', id }) };

