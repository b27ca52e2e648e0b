import type { Context } from 'hono';
import type { Access } from '../../shared/domain/auth/access.js';

/**
 * The access of the request being served, as the authorization middleware (functions/api/authorization.ts)
 * worked it out. Handlers read it to filter searches and to name the authenticated user; a request the
 * middleware did not see has none, and asking for it then is an error (fail-closed), never "everything".
 */
const accessByRequest = new WeakMap<Request, Access>();

export const setAccess = (c: Context, access: Access): void => {
  accessByRequest.set(c.req.raw, access);
};

export const accessOf = (c: Context): Access => {
  const access = accessByRequest.get(c.req.raw);
  if (!access) throw new Error(`no access decided for ${c.req.method} ${c.req.path}: the authorization middleware did not run`);
  return access;
};
