import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * The shape of a Cairn API token and how its secret is kept. A token reads `cairn_<tokenId>_<secret>`: the id
 * says which item to read (one GetItem, never a scan) and the secret is checked against a salted scrypt hash,
 * the only form in which it is stored. The `cairn_` prefix makes leaked tokens easy to recognise (secret
 * scanners, logs).
 */
export const TOKEN_PREFIX = 'cairn_';

/** 64 random bits in hex: unique enough for a conditional put, and free of the `_` that separates the parts. */
const TOKEN_ID = /^[0-9a-f]{16}$/;
/** 256 random bits, base64url (43 characters, may contain `_` and `-`). */
const TOKEN = /^cairn_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

export const isTokenId = (value: string): boolean => TOKEN_ID.test(value);
export const newTokenId = (): string => randomBytes(8).toString('hex');
export const newTokenSecret = (): string => randomBytes(32).toString('base64url');
export const formatToken = (tokenId: string, secret: string): string => `${TOKEN_PREFIX}${tokenId}_${secret}`;

/** The id and secret of a well-formed token; undefined for anything else (so a bad token costs no I/O). */
export const parseToken = (token: string): { tokenId: string; secret: string } | undefined => {
  const match = TOKEN.exec(token.trim());
  return match?.[1] && match[2] ? { tokenId: match[1], secret: match[2] } : undefined;
};

/** What is stored instead of the secret. The parameters travel with the hash so they can be raised later. */
export interface SecretHash {
  readonly kdf: 'scrypt';
  readonly N: number;
  readonly r: number;
  readonly p: number;
  /** base64, 16 random bytes per token. */
  readonly salt: string;
  /** base64, 32 bytes. */
  readonly hash: string;
}

/**
 * Node's scrypt defaults (N=2^14, r=8, p=1: 16 MiB and a few tens of ms). The secrets are random 256-bit
 * values, so the hash is not what resists guessing; it keeps a copy of the table from being a list of valid
 * tokens. API Gateway caches the authorizer's answer, so the cost is paid about once per token per TTL.
 */
const DEFAULT_PARAMS = { N: 16384, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;

const derive = (secret: string, salt: Buffer, params: { N: number; r: number; p: number }): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    // maxmem above 128·N·r, so raised parameters on old items still verify.
    const maxmem = 256 * params.N * params.r;
    scrypt(secret, salt, KEY_LENGTH, { ...params, maxmem }, (error, key) => (error ? reject(error) : resolve(key)));
  });

export const hashSecret = async (secret: string): Promise<SecretHash> => {
  const salt = randomBytes(16);
  const key = await derive(secret, salt, DEFAULT_PARAMS);
  return { kdf: 'scrypt', ...DEFAULT_PARAMS, salt: salt.toString('base64'), hash: key.toString('base64') };
};

/** Constant-time comparison of the derived key with the stored one. */
export const verifySecret = async (secret: string, stored: SecretHash): Promise<boolean> => {
  const expected = Buffer.from(stored.hash, 'base64');
  const actual = await derive(secret, Buffer.from(stored.salt, 'base64'), stored);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
};

export interface VerifiedSecrets {
  /** Whether `secret` matches `stored`: from the memo when it held lately, else by scrypt (remembered if it holds). */
  holds(secret: string, stored: SecretHash): Promise<boolean>;
  /** How many scrypt checks were run (for tests and the bench). */
  readonly hashChecks: () => number;
}

/**
 * Secrets (a user's password, a token's secret) that held lately, so a caller is not hashed on every request
 * (MLflow's #9684). Keyed by a digest of the stored salt and hash and the secret sent: a changed password or a
 * revoked token stores a new hash or none, so what was remembered under the old one stops matching. Failures
 * are never remembered; the oldest entries go first past `size`.
 */
export const createVerifiedSecrets = (options: { memoMs?: number; size?: number; now?: () => number } = {}): VerifiedSecrets => {
  const memoMs = options.memoMs ?? 60_000;
  const size = options.size ?? 10_000;
  const now = options.now ?? Date.now;
  const memo = new Map<string, number>();
  let checks = 0;
  return {
    hashChecks: () => checks,
    async holds(secret, stored) {
      const key = createHash('sha256').update(`${stored.salt}\0${stored.hash}\0${secret}`).digest('base64');
      const until = memo.get(key);
      if (until !== undefined && until > now()) return true;
      checks += 1;
      if (!(await verifySecret(secret, stored))) return false;
      memo.delete(key);
      memo.set(key, now() + memoMs);
      if (memo.size > size) memo.delete(memo.keys().next().value as string);
      return true;
    },
  };
};
