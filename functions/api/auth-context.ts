import type { Context } from 'hono';
import type { Access } from '../../shared/domain/auth/access.js';
import type { ResourceRef } from '../../shared/domain/auth/entities.js';
import type { Level } from '../../shared/domain/auth/permissions.js';

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

/** How a refusal decided in a handler reaches the audit log: the middleware leaves it with the request. */
type RefusalAudit = (resource: ResourceRef, needed: Level) => Promise<void>;
const refusalAuditByRequest = new WeakMap<Request, RefusalAudit>();

export const setRefusalAudit = (c: Context, audit: RefusalAudit): void => {
  refusalAuditByRequest.set(c.req.raw, audit);
};

/** Writes a handler's refusal to the audit log, as the middleware writes its own (nothing without authorization). */
export const auditRefusalInHandler = async (c: Context, resource: ResourceRef, needed: Level): Promise<void> => {
  await refusalAuditByRequest.get(c.req.raw)?.(resource, needed);
};
