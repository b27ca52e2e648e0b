/**
 * API token keys.
 *   TOKEN#<tokenId> / TOKEN      one token (gsi1: TOKENS / <created ms, 15 digits>#<tokenId>, revoked ones stay listed)
 * A token's plaintext names its id, so verifying it is one GetItem; gsi1 serves the CLI's listing only.
 */
const pad15 = (ms: number) => String(ms).padStart(15, '0');

export const tokenKey = (tokenId: string) => ({ pk: `TOKEN#${tokenId}`, sk: 'TOKEN' }) as const;
export const TOKEN_LISTING = 'TOKENS';
export const tokenListingKey = (createdMs: number, tokenId: string) =>
  ({ gsi1pk: TOKEN_LISTING, gsi1sk: `${pad15(createdMs)}#${tokenId}` }) as const;
