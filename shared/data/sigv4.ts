import { createHash, createHmac } from 'node:crypto';

/**
 * AWS Signature Version 4 for a JSON POST to an AWS service (DynamoDB's protocol: path `/`, no query), as
 * `@smithy/signature-v4` computes it, in a tenth of its CPU: it signs the headers it is given, all of them
 * (they must have lowercase names and be signable: no `user-agent`, `connection`, `expect`...), keeps the
 * derived signing key of the day, and builds the canonical request as one string.
 * test/unit/data/sigv4.test.ts checks it against the SDK's signer.
 */

export interface SigningCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string | undefined;
}

export interface SigningScope {
  region: string;
  service: string;
}

const ALGORITHM = 'AWS4-HMAC-SHA256';

const sha256Hex = (data: string) => createHash('sha256').update(data, 'utf8').digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();

/** `20261203T174523Z` (the request's time) and `20261203` (its day, the key's scope). */
const amzDates = (date: Date): { long: string; short: string } => {
  const long = date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  return { long, short: long.slice(0, 8) };
};

/** One key a day per scope and credentials; kept for the last few (a process signs with one or two). */
const signingKeys = new Map<string, Buffer>();
const MAX_KEYS = 8;

const signingKey = (credentials: SigningCredentials, day: string, scope: SigningScope): Buffer => {
  const id = `${day}\n${scope.region}\n${scope.service}\n${credentials.accessKeyId}\n${credentials.secretAccessKey}`;
  let key = signingKeys.get(id);
  if (!key) {
    key = hmac(hmac(hmac(hmac(`AWS4${credentials.secretAccessKey}`, day), scope.region), scope.service), 'aws4_request');
    if (signingKeys.size >= MAX_KEYS) signingKeys.delete(signingKeys.keys().next().value as string);
    signingKeys.set(id, key);
  }
  return key;
};

/**
 * Adds `x-amz-date`, `x-amz-content-sha256`, `x-amz-security-token` (temporary credentials) and `authorization`
 * to `headers` (lowercase names, `host` included) for a POST of `body` to `path` (already canonical, e.g. `/`).
 */
export const signJsonPost = (
  headers: Record<string, string>,
  path: string,
  body: string,
  credentials: SigningCredentials,
  scope: SigningScope,
  date: Date,
): Record<string, string> => {
  const { long, short } = amzDates(date);
  const payloadHash = sha256Hex(body);
  headers['x-amz-date'] = long;
  // As the SDK's signer does by default (applyChecksum): the payload's hash travels, signed, with it.
  headers['x-amz-content-sha256'] = payloadHash;
  if (credentials.sessionToken) headers['x-amz-security-token'] = credentials.sessionToken;
  const names = Object.keys(headers).sort();
  let canonicalHeaders = '';
  for (const name of names) canonicalHeaders += `${name}:${String(headers[name]).trim().replace(/\s+/g, ' ')}\n`;
  const signedHeaders = names.join(';');
  const canonicalRequest = `POST\n${path}\n\n${canonicalHeaders}\n${signedHeaders}\n${payloadHash}`;
  const credentialScope = `${short}/${scope.region}/${scope.service}/aws4_request`;
  const stringToSign = `${ALGORITHM}\n${long}\n${credentialScope}\n${sha256Hex(canonicalRequest)}`;
  const signature = createHmac('sha256', signingKey(credentials, short, scope)).update(stringToSign, 'utf8').digest('hex');
  headers.authorization = `${ALGORITHM} Credential=${credentials.accessKeyId}/${credentialScope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return headers;
};
