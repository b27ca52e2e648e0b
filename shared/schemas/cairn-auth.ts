import { z } from 'zod';
import { principalMappingNotFound } from '../domain/auth/principals.js';
import { userNotFound } from '../domain/auth/users.js';
import { Int32, Int64, PageToken, RequiredString, requiredKey } from './common.js';

/**
 * Request schemas of Cairn's authorization admin RPCs (functions/api/routes/cairn-auth.ts). The forms of a
 * principal id and an ARN are the domain's rules (shared/domain/auth/principals.ts); these check the shape.
 */

export const CreatePrincipalMappingRequest = z.object({
  principal_id: RequiredString,
  arn: RequiredString,
  username: requiredKey(userNotFound),
});

export const DeletePrincipalMappingRequest = z.object({ principal_id: requiredKey(principalMappingNotFound) });

export const ListPrincipalMappingsRequest = z.object({});

export const ListAuditRequest = z.object({
  /** Epoch milliseconds: entries at or after it. */
  since: Int64.optional(),
  max_results: Int32.optional(),
  page_token: PageToken,
});
