import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * HMAC-SHA256 signatures for URLs that the local server hands out in place of presigned S3 URLs.
 * A signature covers exactly one method, one path, one expiry and any `extra` values (e.g. a filename), so a URL
 * signed to GET one key cannot PUT it, read another key, or live longer than it was given.
 */
export interface SignedUrlClaims {
  /** HTTP method, compared case-insensitively. */
  method: string;
  /** The resource the URL opens, in a canonical (decoded) form chosen by the caller. */
  path: string;
  /** Unix time in seconds after which the URL is refused. */
  expiresAt: number;
  /** More values the URL must carry unchanged. */
  extra?: Readonly<Record<string, string>>;
}

export type UrlVerdict = { ok: true } | { ok: false; reason: 'InvalidSignature' | 'Expired' };

export interface UrlSigner {
  /** Lower-case hex HMAC-SHA256 of the claims. */
  sign(claims: SignedUrlClaims): string;
  /**
   * Checks the signature first (so a tampered expiry is an invalid signature, not an expired URL), then the expiry
   * against `nowMs` (default `Date.now()`): the URL is valid while now < expiresAt.
   */
  verify(claims: SignedUrlClaims & { signature: string }, nowMs?: number): UrlVerdict;
}

const SIGNATURE_PATTERN = /^[0-9a-f]{64}$/;
const VERSION = 'cairn-signed-url-v1';

/** The signed message: JSON of an array is unambiguous whatever characters the path or extra values hold. */
function canonical({ method, path, expiresAt, extra }: SignedUrlClaims): string {
  const extras = Object.entries(extra ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([VERSION, method.toUpperCase(), path, expiresAt, extras]);
}

export function createUrlSigner(secret: Uint8Array | string): UrlSigner {
  const key = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : Buffer.from(secret);
  if (key.length < 16) throw new Error('URL signer secret must be at least 16 bytes');

  const mac = (claims: SignedUrlClaims): Buffer => createHmac('sha256', key).update(canonical(claims)).digest();

  return {
    sign: (claims) => mac(claims).toString('hex'),
    verify({ signature, ...claims }, nowMs = Date.now()) {
      if (!Number.isSafeInteger(claims.expiresAt) || !SIGNATURE_PATTERN.test(signature)) {
        return { ok: false, reason: 'InvalidSignature' };
      }
      if (!timingSafeEqual(mac(claims), Buffer.from(signature, 'hex'))) return { ok: false, reason: 'InvalidSignature' };
      if (nowMs >= claims.expiresAt * 1000) return { ok: false, reason: 'Expired' };
      return { ok: true };
    },
  };
}

/** Expiry for a URL valid for at least `expiresInSeconds` from `nowMs` (whole seconds, rounded up). */
export function expiryFromNow(expiresInSeconds: number, nowMs = Date.now()): number {
  if (!Number.isFinite(expiresInSeconds) || expiresInSeconds <= 0) {
    throw new RangeError(`expiresInSeconds must be a positive number, got ${expiresInSeconds}`);
  }
  return Math.ceil((nowMs + expiresInSeconds * 1000) / 1000);
}
