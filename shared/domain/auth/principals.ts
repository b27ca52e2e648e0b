import { echoText, invalidParameter, notFound } from '../../errors/index.js';
import type { Caller } from './access.js';
import { permissionChangeEntry, type AuditRequest } from './audit.js';
import type { PrincipalMapping } from './entities.js';
import type { AuthPorts } from './ports.js';
import { userNotFound } from './users.js';

/**
 * SigV4 callers (training jobs, pipelines) mapped to Cairn users. API Gateway checks the signature of a request
 * to an IAM-authorized method and puts who signed it in `requestContext.identity`; nothing there comes from
 * the client. A mapping is keyed by the principal's unique id (AROA… for a role, AIDA… for an IAM user), never
 * by its name: a role deleted and made again under the same name gets a new id and inherits no mapping.
 */

/** The fields of API Gateway REST (v1) `requestContext.identity` read here (null on a method without IAM auth). */
export interface IamIdentity {
  /** `AROA…:<session>` for an assumed role, `AIDA…` for an IAM user, `<acct>` for root, `<acct>:<name>` for a federated user. */
  readonly user?: string | null;
  readonly userArn?: string | null;
  readonly accountId?: string | null;
}

/** A signer Cairn can map: an IAM role (its sessions folded together) or an IAM user. */
export interface IamPrincipal {
  readonly principalId: string;
  /** `arn:<partition>:iam::<acct>:role/<name>` or the IAM user's ARN. */
  readonly arn: string;
}

export type ParsedIdentity =
  /** Not signed with SigV4: a password or token caller, or an anonymous one. */
  | { readonly kind: 'none' }
  /** Signed, but not by a principal Cairn maps (root, a federated user) or not in a shape Cairn knows: refuse it. */
  | { readonly kind: 'unsupported'; readonly arn: string }
  | ({ readonly kind: 'principal' } & IamPrincipal);

const PARTITION = 'aws(?:-[a-z]+)*';
const ACCOUNT = '\\d{12}';
/** IAM role and user names (IAM's own character set; never '/' or ':'). */
const NAME = '[\\w+=,.@-]{1,64}';
/** IAM paths: `/` or `/a/b/`, at most 512 characters. */
const PATH = '/(?:[\\x21-\\x7e]{0,510}/)?';

const ROLE_ID = /^AROA[A-Z0-9]{12,124}$/;
const USER_ID = /^AIDA[A-Z0-9]{12,124}$/;

/**
 * `arn:…:sts::<acct>:assumed-role/<role>/<session>`. The role is the first segment after `assumed-role/`: a role
 * name has no '/', so whatever a caller puts in its session name (which it chooses freely, and which proves
 * nothing) cannot move the boundary or pass for another role.
 */
const ASSUMED_ROLE_ARN = new RegExp(`^arn:(${PARTITION}):sts::(${ACCOUNT}):assumed-role/(${NAME})/(.+)$`);
const USER_ARN = new RegExp(`^arn:(${PARTITION}):iam::(${ACCOUNT}):user${PATH}${NAME}$`);
const ROLE_ARN = new RegExp(`^arn:(${PARTITION}):iam::(${ACCOUNT}):role${PATH}${NAME}$`);

const present = (value: string | null | undefined): value is string => typeof value === 'string' && value !== '';

/**
 * Who signed a request, read from its IAM identity. An assumed role's ARN is folded to its role's ARN,
 * `arn:<partition>:iam::<acct>:role/<role>`: STS ARNs carry no role path, so a role under `/service-role/` folds
 * to the ARN without its path (the id, not the ARN, is what matches a mapping). Both fields must agree (an
 * AROA id with an assumed-role ARN of the same session, an AIDA id alone with a user ARN, the same account),
 * or the identity is refused rather than guessed at.
 */
export const parseIamIdentity = (identity: IamIdentity | null | undefined): ParsedIdentity => {
  const user = identity?.user;
  const arn = identity?.userArn;
  if (!present(user) && !present(arn)) return { kind: 'none' };
  const unsupported = { kind: 'unsupported', arn: present(arn) ? arn : '' } as const;
  if (!present(user) || !present(arn)) return unsupported;
  const accountMatches = (account: string | undefined) => !present(identity?.accountId) || identity.accountId === account;

  const assumed = ASSUMED_ROLE_ARN.exec(arn);
  if (assumed) {
    const [, partition, account, role, session] = assumed;
    // The unique id ends at the first ':'; the rest is the session name, which may itself hold ':'.
    const colon = user.indexOf(':');
    const principalId = colon < 0 ? '' : user.slice(0, colon);
    if (!ROLE_ID.test(principalId) || user.slice(colon + 1) !== session || !accountMatches(account)) return unsupported;
    return { kind: 'principal', principalId, arn: `arn:${partition}:iam::${account}:role/${role}` };
  }
  const iamUser = USER_ARN.exec(arn);
  if (iamUser) {
    if (!USER_ID.test(user) || !accountMatches(iamUser[2])) return unsupported;
    return { kind: 'principal', principalId: user, arn };
  }
  return unsupported;
};

/** The principal a request was signed by; undefined when it was not signed, or not by a role or IAM user. */
export const principalOf = (identity: IamIdentity | null | undefined): IamPrincipal | undefined => {
  const parsed = parseIamIdentity(identity);
  return parsed.kind === 'principal' ? { principalId: parsed.principalId, arn: parsed.arn } : undefined;
};

/** How audit entries and Access name a SigV4 caller. */
export const iamPrincipalLabel = (principalId: string) => `iam:${principalId}`;

/**
 * What a SigV4 caller is in Cairn: the user its principal is mapped to, or `unmapped-principal` (the
 * unmapped-principal default applies). Two strongly consistent reads (the mapping, then the user by name); a
 * mapping whose user was deleted, or whose name now belongs to a new user with another number, counts as no
 * mapping. The answer is a Caller, so loadAccess takes it as it is.
 */
export const resolvePrincipal = async (
  ports: Pick<AuthPorts, 'principals' | 'users'>,
  principal: IamPrincipal,
): Promise<Caller> => {
  const label = iamPrincipalLabel(principal.principalId);
  const unmapped = { kind: 'unmapped-principal', principal: label, arn: principal.arn } as const;
  const mapping = await ports.principals.get(principal.principalId);
  if (!mapping) return unmapped;
  const user = await ports.users.get(mapping.username);
  return user && user.userId === mapping.userId ? { kind: 'user', user, principal: label } : unmapped;
};

// ---- Use cases of the admin API (functions/api/routes/cairn-auth.ts) ----

const validatePrincipalId = (principalId: string): 'role' | 'user' => {
  if (ROLE_ID.test(principalId)) return 'role';
  if (USER_ID.test(principalId)) return 'user';
  throw invalidParameter(
    `Invalid principal_id '${echoText(principalId)}': expected the unique id of an IAM role (AROA…, as ` +
      "'aws iam get-role --query Role.RoleId' prints it) or of an IAM user (AIDA…, 'aws iam get-user --query User.UserId').",
  );
};

const validateArn = (arn: string, kind: 'role' | 'user'): string => {
  const expected = kind === 'role' ? ROLE_ARN : USER_ARN;
  if (expected.test(arn)) return arn;
  const form = kind === 'role' ? 'arn:aws:iam::<account>:role/<name>' : 'arn:aws:iam::<account>:user/<name>';
  throw invalidParameter(
    `Invalid arn '${echoText(arn)}': a principal_id of an IAM ${kind} maps the ${kind}'s own ARN (${form}), ` +
      'not a session or another kind of principal.',
  );
};

export const principalMappingNotFound = (principalId: string) => notFound(`Principal mapping with principal_id=${principalId} not found`);

type MappingPorts = Pick<AuthPorts, 'principals' | 'users' | 'audit' | 'now'>;

/** Maps a principal to a user; an existing mapping of the same principal is replaced (re-pointed to another user). */
export const createPrincipalMapping = async (
  ports: MappingPorts,
  input: { principalId: string; arn: string; username: string },
  request: Omit<AuditRequest, 'at'>,
): Promise<PrincipalMapping> => {
  const arn = validateArn(input.arn, validatePrincipalId(input.principalId));
  const user = await ports.users.get(input.username);
  if (!user) throw userNotFound(input.username);
  const at = ports.now();
  const mapping: PrincipalMapping = { principalId: input.principalId, arn, userId: user.userId, username: user.username, createdAt: at };
  await ports.principals.put(mapping);
  await ports.audit.record(
    permissionChangeEntry({ ...request, at }, { action: 'principals/create', resource: `principal:${mapping.principalId}`, detail: `arn=${arn} user=${user.username}` }),
  );
  return mapping;
};

/** Every mapping, by principal id, each with whether its user still exists as mapped (a stale one maps nobody). */
export const listPrincipalMappings = async (
  ports: Pick<AuthPorts, 'principals' | 'users'>,
): Promise<{ mapping: PrincipalMapping; userExists: boolean }[]> => {
  const [mappings, users] = await Promise.all([ports.principals.list(), ports.users.list()]);
  const live = new Map(users.map((u) => [u.userId, u.username]));
  return mappings.map((mapping) => ({ mapping, userExists: live.get(mapping.userId) === mapping.username }));
};

export const deletePrincipalMapping = async (ports: MappingPorts, principalId: string, request: Omit<AuditRequest, 'at'>): Promise<void> => {
  const mapping = await ports.principals.get(principalId);
  if (!mapping || !(await ports.principals.delete(principalId))) throw principalMappingNotFound(principalId);
  await ports.audit.record(
    permissionChangeEntry(
      { ...request, at: ports.now() },
      { action: 'principals/delete', resource: `principal:${principalId}`, detail: `arn=${mapping.arn} user=${mapping.username}` },
    ),
  );
};
