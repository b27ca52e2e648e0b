/**
 * The credentials an `Authorization` header carries, as the MLflow client sends them: `Bearer <token>`
 * (MLFLOW_TRACKING_TOKEN) or `Basic base64(<user>:<password or token>)` (MLFLOW_TRACKING_USERNAME/PASSWORD).
 */

export type Credentials =
  | { readonly scheme: 'bearer'; readonly token: string }
  | { readonly scheme: 'basic'; readonly username: string; readonly password: string };

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** The credentials of an Authorization header value; undefined when it is neither usable form. */
export const readCredentials = (header: string | undefined): Credentials | undefined => {
  const match = /^\s*(\S+)\s+(\S+)\s*$/.exec(header ?? '');
  if (!match?.[1] || !match[2]) return undefined;
  const scheme = match[1].toLowerCase();
  if (scheme === 'bearer') return { scheme, token: match[2] };
  if (scheme !== 'basic' || !BASE64.test(match[2])) return undefined;
  const decoded = Buffer.from(match[2], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { scheme, username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
};
