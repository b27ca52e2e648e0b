import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import { loadAccess, UNRESTRICTED, type Access, type Caller } from '../../../shared/domain/auth/access.js';
import { permissionChangeEntry, refusedRequestEntry, resourceLabel, type AuditRequest } from '../../../shared/domain/auth/audit.js';
import type { ResourceRef } from '../../../shared/domain/auth/entities.js';
import type { Level } from '../../../shared/domain/auth/permissions.js';
import { decide, type Requirement } from '../../../shared/domain/auth/policy.js';
import type { AuthPorts } from '../../../shared/domain/auth/ports.js';
import { resolveTarget, type RequestValues, type ResourceLookup } from '../../../shared/domain/auth/resources.js';
import { BODY_LIMITS, queryFields, readRequestParams } from '../../../shared/http/request-params.js';
import { auditRefusalInHandler, setAccess, setRefusalAudit } from '../auth-context.js';
import { requestIdOf } from '../request-id.js';
import { pathAfter } from '../routes/artifacts.js';
import type { Authenticator } from './authenticators.js';
import { policyKey, ROUTE_POLICY } from './route-policy.js';

export interface AuthorizationConfig {
  readonly ports: AuthPorts;
  readonly authenticate: Authenticator;
}

/** MLflow's auth app answers these two as text/html, not JSON (auth.json, section 11 of its README). */
export const UNAUTHENTICATED_TEXT =
  'You are not authenticated. Please see https://www.mlflow.org/docs/latest/auth/index.html#authenticating-to-mlflow on how to authenticate.';
export const PERMISSION_DENIED_TEXT = 'Permission denied';
const HTML = 'text/html; charset=utf-8';

export const unauthenticated = (c: Context) =>
  c.body(UNAUTHENTICATED_TEXT, 401, { 'Content-Type': HTML, 'WWW-Authenticate': 'Basic realm="mlflow"' });
export const permissionDenied = (c: Context) => c.body(PERMISSION_DENIED_TEXT, 403, { 'Content-Type': HTML });

/**
 * The 403 of a handler that checks a resource the decision table cannot name (an experiment deep in a body or
 * in a header): audited as the middleware's refusals are, then answered the same way.
 */
export const refuseInHandler = async (c: Context, resource: ResourceRef, needed: Level) => {
  await auditRefusalInHandler(c, resource, needed);
  return permissionDenied(c);
};

/** The route that will answer: the first matched one that is not middleware (`(c, next)`). */
const answeringRoute = (c: Context) => matchedRoutes(c).find((route) => route.handler.length < 2);

/**
 * The path parameters of the answering route. Hono gives a middleware its own (none, for `*`), so they are read
 * at the answering route's index and the request is put back as it was.
 */
const paramsOf = (c: Context, route: ReturnType<typeof answeringRoute>): Record<string, string> => {
  const index = route ? matchedRoutes(c).indexOf(route) : -1;
  if (index < 0) return {};
  const own = c.req.routeIndex;
  try {
    c.req.routeIndex = index;
    return c.req.param() as Record<string, string>;
  } finally {
    c.req.routeIndex = own;
  }
};

const checksOf = (requirement: Requirement) => (requirement.kind === 'resources' || requirement.kind === 'creator' ? (requirement.checks ?? []) : []);

const needsFields = (requirement: Requirement) => requirement.kind === 'self-or-admin' || checksOf(requirement).length > 0;

/**
 * The request's fields exactly as its handler will read them: the query for the routes that take their fields
 * there beside a body (uploads, scoring), else what readRequestParams answers the handler's rpc (a GET's query,
 * otherwise the body whatever its Content-Type says), never a mix of both. A check on a field the handler does not
 * read guards nothing: with the query merged in, or the body skipped for a PATCH or DELETE sent as text/plain, a
 * caller could name her own resource to the check and another's to the handler. The body read here is kept for
 * the handler.
 */
const requestFields = async (c: Context, requirement: Requirement): Promise<Record<string, unknown>> => {
  if (requirement.kind === 'resources' && requirement.fieldsFrom === 'query') {
    const url = new URL(c.req.url);
    return url.search.length > 1 ? queryFields(url.searchParams) : {};
  }
  return readRequestParams(c, { maxBodyBytes: BODY_LIMITS.batch });
};

/**
 * The one decision point. With authorization on, every request but the public ones must carry credentials
 * that hold (else 401), and the route's row of the decision table must pass for the caller (else 403); a route
 * without a row is refused. The caller's access is kept for the handler (auth-context.ts), which filters
 * searches with it. Refusals are written to the audit log. With authorization off, everything passes.
 */
export const authorization = (config: AuthorizationConfig | undefined, lookup: ResourceLookup): MiddlewareHandler => {
  if (!config) {
    return async (c, next) => {
      setAccess(c, UNRESTRICTED);
      await next();
    };
  }
  const requestOf = (c: Context, caller: Caller | undefined): AuditRequest => ({ requestId: requestIdOf(c), at: config.ports.now(), caller });
  /** A 401 or 403, written to the audit log (refusedRequestEntry: the path, never the query). */
  const auditRefusal = (c: Context, caller: Caller | undefined, decision: 'unauthenticated' | 'denied', resource?: ResourceRef, why?: string) =>
    config.ports.audit.record(
      refusedRequestEntry(requestOf(c, caller), {
        method: c.req.method,
        path: c.req.path,
        decision,
        ...(resource ? { resource } : {}),
        ...(why ? { detail: why } : {}),
      }),
    );

  /** Runs the handler; a permission change it made (users, grants, groups) is written to the audit log. */
  const withChangeAudited = async (c: Context, method: string, path: string, requirement: Requirement, access: Access, next: () => Promise<void>) => {
    await next();
    if (!isPermissionChange(method, path) || c.res.status >= 400) return;
    const fields = await requestFields(c, requirement).catch(() => ({}));
    const resource = await changedResource(path, fields, lookup);
    const detail = changeDetail(fields);
    await config.ports.audit.record(
      permissionChangeEntry(requestOf(c, access.caller), {
        action: `${c.req.method} ${c.req.path}`,
        ...(resource === undefined ? {} : { resource }),
        ...(detail === undefined ? {} : { detail }),
      }),
    );
  };

  return async (c, next) => {
    const route = answeringRoute(c);
    const requirement = route ? ROUTE_POLICY[policyKey(route.method, route.path)] : undefined;
    if (requirement?.kind === 'public') return next();

    const caller = await config.authenticate(c);
    if (!caller) {
      await auditRefusal(c, undefined, 'unauthenticated');
      return unauthenticated(c);
    }
    const access = await loadAccess(config.ports, caller);
    setAccess(c, access);
    setRefusalAudit(c, (resource, needed) => auditRefusal(c, caller, 'denied', resource, `needs ${needed}`));
    // No route: the 404 that follows touches nothing.
    if (!route) return next();
    if (!requirement) {
      await auditRefusal(c, caller, 'denied', undefined, 'no row in the decision table');
      return permissionDenied(c);
    }
    if (access.isAdmin) return withChangeAudited(c, route.method, route.path, requirement, access, next);

    const fields = needsFields(requirement) ? await requestFields(c, requirement) : {};
    const values: RequestValues = { fields, params: paramsOf(c, route), pathAfter: (prefix) => pathAfter(c, prefix) };
    const checks = checksOf(requirement);
    const resolved = await Promise.all(checks.map(async (check) => ({ check, found: await resolveTarget(lookup, check.target, values) })));
    const decision = decide(access, requirement, resolved, fields);
    if (decision.allowed) return withChangeAudited(c, route.method, route.path, requirement, access, next);
    await auditRefusal(c, caller, 'denied', decision.resource, decision.why);
    return permissionDenied(c);
  };
};

/**
 * The routes that change who may do what: users, grants and groups. Principal mappings record their own
 * changes (shared/domain/auth/principals.ts).
 */
const PERMISSION_CHANGE = /\/(users\/(create|update-password|update-admin|delete)|(experiments|registered-models)\/permissions\/(create|update|delete)|roles\/(create|update|delete|assign|unassign|permissions\/(add|update|remove)))$/;
const isPermissionChange = (method: string, path: string) => method !== 'GET' && PERMISSION_CHANGE.test(path);

const text = (value: unknown) => (typeof value === 'string' || typeof value === 'number' ? String(value) : undefined);

/**
 * What a change was on, labelled as refusals label it: a group by its id (or, when just made, its name), a
 * grant's experiment, a grant's registered model by its id (its name when it is gone), else the user.
 */
const changedResource = async (path: string, fields: Record<string, unknown>, lookup: ResourceLookup): Promise<string | undefined> => {
  if (path.includes('/roles/')) {
    const role = text(fields.role_id) ?? text(fields.role_permission_id)?.split(':')[0] ?? text(fields.name);
    return role === undefined ? undefined : `role:${role}`;
  }
  const experimentId = text(fields.experiment_id);
  if (experimentId !== undefined) return resourceLabel({ kind: 'experiment', id: experimentId });
  const name = text(fields.name);
  if (name !== undefined) {
    const model = await lookup.registry.getModelByName(name).catch(() => undefined);
    return resourceLabel({ kind: 'registered_model', id: model?.modelId ?? name });
  }
  const username = text(fields.username);
  return username === undefined ? undefined : `user:${username}`;
};

/** The change itself, never a password: the user it names, the permission or admin flag it sets. */
const changeDetail = (fields: Record<string, unknown>): string | undefined => {
  const parts = [
    text(fields.username) !== undefined ? `username=${text(fields.username)}` : undefined,
    text(fields.permission) !== undefined ? `permission=${text(fields.permission)}` : undefined,
    typeof fields.is_admin === 'boolean' || typeof fields.is_admin === 'string' ? `is_admin=${String(fields.is_admin)}` : undefined,
    text(fields.resource_type) !== undefined ? `resource=${text(fields.resource_type)}:${text(fields.resource_pattern)}` : undefined,
  ].filter((part): part is string => part !== undefined);
  return parts.length > 0 ? parts.join(' ') : undefined;
};
