import type { Context } from 'hono';
import { Hono } from 'hono';
import type { AuditRequest } from '../../../shared/domain/auth/audit.js';
import { listAuditEntries } from '../../../shared/domain/auth/audit.js';
import type { PrincipalMapping } from '../../../shared/domain/auth/entities.js';
import type { AuthPorts } from '../../../shared/domain/auth/ports.js';
import { createPrincipalMapping, deletePrincipalMapping, listPrincipalMappings } from '../../../shared/domain/auth/principals.js';
import * as S from '../../../shared/schemas/cairn-auth.js';
import { accessOf } from '../auth-context.js';
import { requestIdOf } from '../request-id.js';
import { rpc } from '../rpc.js';

/**
 * Cairn's authorization admin RPCs, mounted under /api/2.0/cairn: principal mappings (SigV4 callers → users)
 * and the audit log. Who may call them is the authorization middleware's decision (its policy table: admins);
 * changes are recorded in the audit log under the caller the middleware named.
 */
export const cairnAuthRoutes = (ports: Pick<AuthPorts, 'principals' | 'users' | 'audit' | 'now'>) => {
  const changeBy = (c: Context): Omit<AuditRequest, 'at'> => ({ requestId: requestIdOf(c), caller: accessOf(c).caller });
  return new Hono()
    .post(
      '/principals/create',
      rpc(S.CreatePrincipalMappingRequest, async (input, c) => {
        const mapping = await createPrincipalMapping(
          ports,
          { principalId: input.principal_id, arn: input.arn, username: input.username },
          changeBy(c),
        );
        return { principal_mapping: mappingToJson(mapping) };
      }),
    )
    .get(
      '/principals/list',
      rpc(S.ListPrincipalMappingsRequest, async () => ({
        principal_mappings: (await listPrincipalMappings(ports)).map(({ mapping, userExists }) => ({
          ...mappingToJson(mapping),
          user_exists: userExists,
        })),
      })),
    )
    .delete(
      '/principals/delete',
      rpc(S.DeletePrincipalMappingRequest, async (input, c) => {
        await deletePrincipalMapping(ports, input.principal_id, changeBy(c));
        return {};
      }),
    )
    .get(
      '/audit/list',
      rpc(S.ListAuditRequest, (input) =>
        listAuditEntries(ports.audit, { since: input.since, maxResults: input.max_results, pageToken: input.page_token }),
      ),
    );
};

const mappingToJson = (mapping: PrincipalMapping) => ({
  principal_id: mapping.principalId,
  arn: mapping.arn,
  user_id: mapping.userId,
  username: mapping.username,
  creation_timestamp: mapping.createdAt,
});
