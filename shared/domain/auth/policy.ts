import type { Access } from './access.js';
import type { ResourceRef } from './entities.js';
import type { Level } from './permissions.js';

/**
 * What a route needs of its caller: the rows of the decision table (functions/api/authorization/route-policy.ts).
 * Every route of the app has one row; a route without one is refused (fail-closed), and a test enumerates the
 * app's routes against the table.
 */

/** Where a request names what it touches; resolved through the data layer (resources.ts). */
export type Target =
  /** An experiment id field (`experiment_id`); `orDefault` where the handler falls back on one (runs/create: `0`). */
  | { readonly kind: 'experiment'; readonly field: string; readonly orDefault?: string }
  /** Every id of a repeated experiment id field; each must pass. */
  | { readonly kind: 'experiments'; readonly field: string }
  | { readonly kind: 'experiment-by-name'; readonly field: string }
  /** A run, by the first of its id fields that is given (`run_id`, then `run_uuid`, as the handlers read them). */
  | { readonly kind: 'run'; readonly fields: readonly string[] }
  /** Every id of a repeated run id field. */
  | { readonly kind: 'runs'; readonly field: string }
  /** A registered model by its name field; checked by its id. */
  | { readonly kind: 'registered-model'; readonly field: string }
  /** A logged model by a path parameter or a field. */
  | { readonly kind: 'logged-model'; readonly param?: string; readonly field?: string }
  /** An MLflow 3 trace by a path parameter or a field (`request_id`, `trace_id`); checked on its experiment. */
  | { readonly kind: 'trace'; readonly param?: string; readonly field?: string }
  /** A proxied artifact path: the path after `prefix` in the URL, or a field. */
  | { readonly kind: 'artifact-path'; readonly after?: string; readonly field?: string }
  /** The run or logged model of a presigned-URL request (`run_id` or `model_id`). */
  | { readonly kind: 'artifact-owner' }
  /** A model version's source (`runs:/`, `models:/`, or a location in Cairn's store), read by whoever registers it. */
  | { readonly kind: 'version-source'; readonly field: string }
  /** A deployment, checked on its registered model. */
  | { readonly kind: 'deployment'; readonly field: string }
  /** A `models:/<name>/<version>`, `models:/<name>@<alias>` or `models:/<logged model id>` URI. */
  | { readonly kind: 'model-uri'; readonly field: string }
  /** An artifact location a creation asks for: the experiments whose folders it lies in, when it is in Cairn's store. */
  | { readonly kind: 'store-location'; readonly field: string };

export interface Check {
  readonly target: Target;
  readonly level: Level;
}

export type Requirement =
  /** No credentials needed: health checks, and URLs whose signature is the authorization. */
  | { readonly kind: 'public'; readonly why: string }
  /** Any signed-in caller: creations (the creator gets MANAGE), and searches, which filter what they answer. */
  | { readonly kind: 'signed-in'; readonly why?: string }
  /**
   * Creating an experiment or a registered model: any user, who gets MANAGE on it. An unmapped IAM principal
   * has no user to hold that grant, so it may create only where its default lets it edit everything.
   */
  | { readonly kind: 'creator'; readonly checks?: readonly Check[] }
  | { readonly kind: 'admin' }
  /** The user named in a field, or an admin. */
  | { readonly kind: 'self-or-admin'; readonly field: string }
  /**
   * Every check must pass. `fieldsFrom: 'query'` for routes whose body is not their fields (an upload's bytes,
   * a scoring payload): the body is then left unread for the handler.
   */
  | { readonly kind: 'resources'; readonly checks: readonly Check[]; readonly fieldsFrom?: 'query' };

/** What a check found the request to touch: resources, or a field whose value cannot name one (refused). */
export type Resolved = { readonly ok: true; readonly resources: readonly ResourceRef[] } | { readonly ok: false; readonly field: string };

export type Decision = { readonly allowed: true } | { readonly allowed: false; readonly resource?: ResourceRef; readonly needed?: Level; readonly why: string };

/**
 * The decision for a signed-in caller once every check's target is resolved. Resources that do not exist
 * resolve to nothing and pass: the handler answers their 404 (as MLflow's does), and nothing is there to protect.
 */
export const decide = (access: Access, requirement: Requirement, resolved: readonly { check: Check; found: Resolved }[], fields: Record<string, unknown>): Decision => {
  if (access.isAdmin || requirement.kind === 'public' || requirement.kind === 'signed-in') return { allowed: true };
  if (requirement.kind === 'admin') return { allowed: false, why: 'admin only' };
  if (requirement.kind === 'creator' && access.userId === undefined && !access.can({ kind: 'experiment', id: '' }, 'EDIT')) {
    return { allowed: false, why: 'an unmapped principal may not create' };
  }
  if (requirement.kind === 'self-or-admin') {
    const named = fields[requirement.field];
    return typeof named === 'string' && named === access.username ? { allowed: true } : { allowed: false, why: 'another user' };
  }
  for (const { check, found } of resolved) {
    if (!found.ok) return { allowed: false, why: `unreadable ${found.field}` };
    for (const resource of found.resources) {
      if (!access.can(resource, check.level)) return { allowed: false, resource, needed: check.level, why: `needs ${check.level}` };
    }
  }
  return { allowed: true };
};
