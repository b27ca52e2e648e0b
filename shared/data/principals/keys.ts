/**
 * Principal mapping keys.
 *   PRINCIPAL#<principalId> / PRINCIPAL   one mapping (gsi1: PRINCIPALS / <principalId>, for the admin's listing)
 * A SigV4 request names its principal's unique id, so resolving it is one GetItem.
 */
export const principalKey = (principalId: string) => ({ pk: `PRINCIPAL#${principalId}`, sk: 'PRINCIPAL' }) as const;
export const PRINCIPAL_LISTING = 'PRINCIPALS';
export const principalListingKey = (principalId: string) => ({ gsi1pk: PRINCIPAL_LISTING, gsi1sk: principalId }) as const;
