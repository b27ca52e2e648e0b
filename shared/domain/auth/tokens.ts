import { invalidParameter, notFound } from '../../errors/index.js';
import {
  formatToken,
  hashSecret,
  isTokenId,
  newTokenId,
  newTokenSecret,
  parseToken,
  createVerifiedSecrets,
  type SecretHash,
} from './token-secrets.js';

/**
 * API tokens for the gateway's Lambda authorizer. A token belongs to a name (a person or a job); the same
 * name may hold several tokens, so one can be rotated in before the old one is revoked. The MLflow client
 * sends a token either way:
 *   MLFLOW_TRACKING_TOKEN=<token>                                  → `Authorization: Bearer <token>`
 *   MLFLOW_TRACKING_USERNAME=<name> MLFLOW_TRACKING_PASSWORD=<token> → `Authorization: Basic …`
 * The Basic form also makes the client tag runs with `mlflow.user = <name>`.
 */
export interface ApiToken {
  readonly tokenId: string;
  readonly name: string;
  readonly createdAt: number;
  readonly lastUsedAt?: number;
  readonly revokedAt?: number;
}

/** A token as stored: a revoked one has no hash left. */
export interface StoredToken extends ApiToken {
  readonly secretHash?: SecretHash;
}

export interface TokenStore {
  /** Adds a new token; throws if the id is taken. */
  create(token: StoredToken & { secretHash: SecretHash }): Promise<void>;
  /** Strongly consistent, so a revocation is seen at once (API Gateway's cache aside). */
  get(tokenId: string): Promise<StoredToken | undefined>;
  /** Every token, revoked ones included, newest first. */
  list(): Promise<ApiToken[]>;
  /** Marks the token revoked (keeping the first revocation time) and drops its hash; undefined if unknown. */
  revoke(tokenId: string, at: number): Promise<ApiToken | undefined>;
  /** Records a use of a live token. */
  touch(tokenId: string, at: number): Promise<void>;
}

export type RefusalReason = 'malformed' | 'unknown' | 'revoked' | 'wrong-secret' | 'wrong-username';

export type Verification =
  | { readonly ok: true; readonly tokenId: string; readonly name: string; readonly createdAt: number }
  | { readonly ok: false; readonly reason: RefusalReason; readonly tokenId?: string };

export interface TokenService {
  /** The plaintext is in the answer and nowhere else: it cannot be shown again. */
  createToken(name: string): Promise<{ token: string; info: ApiToken }>;
  listTokens(): Promise<ApiToken[]>;
  revokeToken(tokenId: string): Promise<ApiToken>;
  verifyBearer(token: string): Promise<Verification>;
  /** Basic credentials: the username is the token's name, the password the whole token. */
  verifyBasic(username: string, password: string): Promise<Verification>;
}

export interface TokenServiceOptions {
  readonly now?: () => number;
  /** `lastUsedAt` is written at most this often per token (default 60 s): one write per use would be waste. */
  readonly lastUsedIntervalMs?: number;
  /** How long a secret that held is remembered, so a token is not hashed on every request (default 60 s). */
  readonly verifiedMemoMs?: number;
  /** A failed `lastUsedAt` write never refuses a request; it is reported here. */
  readonly logError?: (error: unknown) => void;
}

/** A name is the Basic username, so it cannot hold ':' (RFC 7617) or spaces; emails and job names fit. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._@+-]{0,63}$/;

export const validateTokenName = (name: string): string => {
  if (!NAME.test(name)) {
    throw invalidParameter(
      `Invalid token name '${name}': use 1 to 64 letters, digits, '.', '_', '@', '+' or '-', starting with a letter or digit.`,
    );
  }
  return name;
};

export const createTokenService = (store: TokenStore, options: TokenServiceOptions = {}): TokenService => {
  const now = options.now ?? Date.now;
  const interval = options.lastUsedIntervalMs ?? 60_000;
  const logError = options.logError ?? ((error: unknown) => console.error('cairn: token lastUsedAt not recorded', error));

  // The token item is read on every call (a revocation drops its hash at once); only the scrypt check of a
  // secret that held is remembered briefly, as for passwords.
  const secrets = createVerifiedSecrets({ ...(options.verifiedMemoMs !== undefined ? { memoMs: options.verifiedMemoMs } : {}), now });

  const verify = async (token: string, username?: string): Promise<Verification> => {
    const parsed = parseToken(token);
    if (!parsed) return { ok: false, reason: 'malformed' };
    const { tokenId, secret } = parsed;
    const stored = await store.get(tokenId);
    if (!stored) return { ok: false, reason: 'unknown', tokenId };
    if (stored.revokedAt !== undefined || !stored.secretHash) return { ok: false, reason: 'revoked', tokenId };
    if (!(await secrets.holds(secret, stored.secretHash))) return { ok: false, reason: 'wrong-secret', tokenId };
    // Checked after the secret, so only the token's holder can learn which name goes with it.
    if (username !== undefined && username !== stored.name) return { ok: false, reason: 'wrong-username', tokenId };
    const at = now();
    if (stored.lastUsedAt === undefined || at - stored.lastUsedAt >= interval) {
      await store.touch(tokenId, at).catch(logError);
    }
    return { ok: true, tokenId, name: stored.name, createdAt: stored.createdAt };
  };

  return {
    async createToken(name) {
      validateTokenName(name);
      const tokenId = newTokenId();
      const secret = newTokenSecret();
      const info: ApiToken = { tokenId, name, createdAt: now() };
      await store.create({ ...info, secretHash: await hashSecret(secret) });
      return { token: formatToken(tokenId, secret), info };
    },

    listTokens: () => store.list(),

    async revokeToken(tokenId) {
      const revoked = isTokenId(tokenId) ? await store.revoke(tokenId, now()) : undefined;
      if (!revoked) throw notFound(`Token with ID '${tokenId}' not found.`);
      return revoked;
    },

    verifyBearer: (token) => verify(token),
    verifyBasic: (username, password) => verify(password, username),
  };
};
