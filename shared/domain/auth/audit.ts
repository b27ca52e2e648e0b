import { invalidParameter } from '../../errors/index.js';
import { decodePageToken, encodePageToken } from '../kernel/page-token.js';
import { pageSizeOf, type PageSizeRule } from '../kernel/pagination.js';
import type { Caller } from './access.js';
import type { AuditDecision, AuditEntry, ResourceRef } from './entities.js';
import type { Level } from './permissions.js';
import type { AuditLog } from './ports.js';

/**
 * The audit log's entries: every permission change, and every refused request (issue 13, point 6). Entries
 * name who (the user and how it proved itself), what (the request or the change), on what, the decision and
 * the request id, so a refusal a user reports can be found by the id in its answer's logs.
 */

/** The request an entry comes from. */
export interface AuditRequest {
  readonly requestId: string;
  readonly at: number;
  /** Undefined for a caller whose credentials did not hold, or with authorization off. */
  readonly caller: Caller | undefined;
}

export const resourceLabel = (resource: ResourceRef): string => `${resource.kind}:${resource.id}`;

const who = (caller: Caller | undefined): Pick<AuditEntry, 'username' | 'principal'> => {
  if (caller === undefined) return { principal: 'anonymous' };
  return caller.kind === 'user' ? { username: caller.user.username, principal: caller.principal } : { principal: caller.principal };
};

const joined = (parts: (string | undefined)[]): string | undefined => {
  const text = parts.filter((part): part is string => part !== undefined && part !== '').join('; ');
  return text === '' ? undefined : text;
};

export interface Refusal {
  readonly method: string;
  /** The request's path, never its query (which may hold a page token or a search's values). */
  readonly path: string;
  readonly decision: Exclude<AuditDecision, 'allowed'>;
  readonly resource?: ResourceRef;
  /** The level the request needed on `resource`. */
  readonly needed?: Level;
  readonly detail?: string;
}

/** A request refused with 401 (`unauthenticated`) or 403 (`denied`). */
export const refusedRequestEntry = (request: AuditRequest, refusal: Refusal): AuditEntry => {
  const detail = joined([refusal.needed && `needs ${refusal.needed}`, refusal.detail]);
  return {
    at: request.at,
    requestId: request.requestId,
    ...who(request.caller),
    action: `${refusal.method.toUpperCase()} ${refusal.path}`,
    ...(refusal.resource ? { resource: resourceLabel(refusal.resource) } : {}),
    decision: refusal.decision,
    ...(detail === undefined ? {} : { detail }),
  };
};

export interface PermissionChange {
  /** The RPC that made it: `users/create`, `experiments/permissions/update`, `principals/delete`, … */
  readonly action: string;
  /** `experiment:<id>`, `registered_model:<id>`, `user:<name>`, `group:<id>`, `principal:<id>` (resourceLabel). */
  readonly resource?: string;
  /** What changed: `user=bob permission=EDIT`, `is_admin=true`, … */
  readonly detail?: string;
}

/** A change of who may do what, made by `request.caller`. */
export const permissionChangeEntry = (request: AuditRequest, change: PermissionChange): AuditEntry => ({
  at: request.at,
  requestId: request.requestId,
  ...who(request.caller),
  action: change.action,
  ...(change.resource === undefined ? {} : { resource: change.resource }),
  decision: 'allowed',
  ...(change.detail === undefined || change.detail === '' ? {} : { detail: change.detail }),
});

/** Somewhere else an entry goes (Powertools' logger in AWS: functions/api/audit-logger.ts). */
export interface AuditSink {
  record(entry: AuditEntry): void | Promise<void>;
}

/**
 * The table's audit log, with every entry also handed to each sink; listing reads the table. Like the log,
 * recording never throws: a sink that fails is reported (`logError`) and the others still get the entry.
 */
export const auditSinks = (
  store: AuditLog,
  sinks: readonly AuditSink[],
  logError: (error: unknown) => void = (error) => console.error('cairn: audit sink failed', error),
): AuditLog => ({
  async record(entry) {
    const toSink = async (sink: AuditSink) => {
      try {
        await sink.record(entry);
      } catch (error) {
        logError(error);
      }
    };
    await Promise.all([store.record(entry), ...sinks.map(toSink)]);
  },
  list: (options) => store.list(options),
});

// ---- Reading the log (functions/api/routes/cairn-auth.ts: GET /api/2.0/cairn/audit/list) ----

export const AUDIT_PAGE_SIZE = {
  default: 100,
  max: 1000,
  overMax: 'refuse',
  message: (requested: number) => `Invalid value ${requested} for max_results: expected an integer from 1 to 1000.`,
} as const satisfies PageSizeRule;

/** The log's cursor travels inside a page token bound to `since`; the log checks the cursor itself. */
const auditScope = (since: number | undefined) => ({ kind: 'cairn/audit/list', request: [since ?? null] });
const readAuditPosition = (position: unknown): string | undefined => {
  const after = (position as { after?: unknown } | null)?.after;
  return typeof after === 'string' && after.length > 0 && after.length <= 512 ? after : undefined;
};

export const auditEntryToJson = (entry: AuditEntry) => ({
  timestamp: entry.at,
  request_id: entry.requestId,
  ...(entry.username === undefined ? {} : { username: entry.username }),
  principal: entry.principal,
  action: entry.action,
  ...(entry.resource === undefined ? {} : { resource: entry.resource }),
  decision: entry.decision,
  ...(entry.detail === undefined ? {} : { detail: entry.detail }),
});

/** Entries newest first, from `since` (epoch ms) on when given, within the retention either way. */
export const listAuditEntries = async (
  audit: Pick<AuditLog, 'list'>,
  request: { since?: number | undefined; maxResults?: number | undefined; pageToken?: string | undefined },
) => {
  if (request.since !== undefined && request.since < 0) {
    throw invalidParameter(`Invalid value ${request.since} for since: expected milliseconds since the epoch.`);
  }
  const limit = pageSizeOf(request.maxResults, AUDIT_PAGE_SIZE);
  const scope = auditScope(request.since);
  const cursor = decodePageToken(request.pageToken, scope, readAuditPosition);
  const page = await audit.list({
    ...(request.since === undefined ? {} : { since: request.since }),
    limit,
    ...(cursor === undefined ? {} : { cursor }),
  });
  return {
    entries: page.entries.map(auditEntryToJson),
    ...(page.cursor === undefined ? {} : { next_page_token: encodePageToken(scope, { after: page.cursor }) }),
  };
};
