/**
 * URLs that move artifact bytes without the API: presigned S3 URLs (no request is sent; presigning is local) and the
 * local server's HMAC-signed URLs.
 */
import { S3Client, PutObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { describe, expect, it } from 'vitest';
import { attachmentDisposition } from '../../../shared/storage/store-conventions.js';
import { createS3ArtifactStore, createS3Clients } from '../../../shared/storage/s3-artifact-store.js';
import { createUrlSigner, expiryFromNow, type SignedUrlClaims } from '../../../shared/storage/url-signer.js';
import { errorOf } from '../../support/error-of.js';

/** Query parameters that make real S3 reject a non-empty upload (the checksum of an empty body, fixed at signing). */
const checksumParams = (url: string): string[] =>
  [...new URL(url).searchParams.keys()].filter((name) => /^x-amz-(checksum-|sdk-checksum-algorithm$)/i.test(name));

const storeOnAws = () => {
  const { client, presignClient } = createS3Clients({ region: 'eu-west-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' } });
  return createS3ArtifactStore({ client, presignClient, bucket: 'cairn-artifacts', prefix: 'mlartifacts' });
};

describe('presigned S3 upload URLs', () => {
  it('a presigned PutObject URL carries no checksum parameters', async () => {
    // Act
    const url = await storeOnAws().presignPut('1/run/artifacts/model.pkl', 900);
    // Assess
    expect(checksumParams(url)).toEqual([]);
  });

  it('presigned UploadPart URLs carry no checksum parameters', async () => {
    // Act
    const urls = await storeOnAws().presignUploadParts('1/run/artifacts/model.pkl', 'upload-id', 3, 900);
    // Assess
    expect(urls).toHaveLength(3);
    expect(urls.flatMap(checksumParams)).toEqual([]);
  });

  it('presigned UploadPart URLs are numbered 1..n for the given upload', async () => {
    // Act
    const urls = await storeOnAws().presignUploadParts('k', 'upload-id', 3, 900);
    // Assess
    expect(urls.map((url) => new URL(url).searchParams.get('partNumber'))).toEqual(['1', '2', '3']);
    expect(urls.map((url) => new URL(url).searchParams.get('uploadId'))).toEqual(['upload-id', 'upload-id', 'upload-id']);
  });

  it('X-Amz-Expires of presigned URLs equals the requested expiry', async () => {
    // Prepare
    const store = storeOnAws();
    // Act
    const urls = [await store.presignPut('k', 900), await store.presignGet('k', 600), ...(await store.presignUploadParts('k', 'u', 1, 300))];
    // Assess
    expect(urls.map((url) => new URL(url).searchParams.get('X-Amz-Expires'))).toEqual(['900', '600', '300']);
  });

  it('a presigning client with SDK default settings would add the checksum parameters the presignClient avoids', async () => {
    // Prepare
    const defaults = new S3Client({ region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    // Act
    const url = await getSignedUrl(defaults, new PutObjectCommand({ Bucket: 'b', Key: 'k' }), { expiresIn: 60 });
    // Assess
    expect(checksumParams(url)).not.toEqual([]);
  });

  it('local endpoints get path-style URLs on that endpoint', async () => {
    // Prepare
    const { client, presignClient } = createS3Clients({ endpoint: 'http://127.0.0.1:4566' });
    const store = createS3ArtifactStore({ client, presignClient, bucket: 'bucket' });
    // Act
    const url = new URL(await store.presignGet('a b/c.txt', 60));
    // Assess
    expect(`${url.origin}${url.pathname}`).toBe('http://127.0.0.1:4566/bucket/a%20b/c.txt');
  });
});

describe('download file names', () => {
  it('a non-ASCII name with quotes keeps an ASCII fallback and the exact UTF-8 name', () => {
    // Act
    const header = attachmentDisposition('my "model" ü.pkl');
    // Assess
    expect(header).toBe(`attachment; filename="my _model_ _.pkl"; filename*=UTF-8''my%20%22model%22%20%C3%BC.pkl`);
  });
});

describe('local URL signer', () => {
  const signer = createUrlSigner('a test secret of enough bytes');
  const now = Date.UTC(2026, 0, 1);
  const claims: SignedUrlClaims = { method: 'GET', path: 'objects/1/run/model.pkl', expiresAt: now / 1000 + 60 };
  const signature = signer.sign(claims);

  it('accepts the claims it signed before they expire', () => {
    // Act
    const verdict = signer.verify({ ...claims, signature }, now);
    // Assess
    expect(verdict).toEqual({ ok: true });
  });

  it('rejects the signature for another path', () => {
    // Act
    const verdict = signer.verify({ ...claims, path: 'objects/1/run/other.pkl', signature }, now);
    // Assess
    expect(verdict).toEqual({ ok: false, reason: 'InvalidSignature' });
  });

  it('rejects the signature for another method', () => {
    // Act
    const verdict = signer.verify({ ...claims, method: 'PUT', signature }, now);
    // Assess
    expect(verdict).toEqual({ ok: false, reason: 'InvalidSignature' });
  });

  it('rejects an extended expiry as an invalid signature, not as valid', () => {
    // Act
    const verdict = signer.verify({ ...claims, expiresAt: claims.expiresAt + 3600, signature }, now);
    // Assess
    expect(verdict).toEqual({ ok: false, reason: 'InvalidSignature' });
  });

  it('rejects extra values that were not signed', () => {
    // Act
    const verdict = signer.verify({ ...claims, extra: { filename: 'evil.html' }, signature }, now);
    // Assess
    expect(verdict).toEqual({ ok: false, reason: 'InvalidSignature' });
  });

  it('rejects a signature made with another secret', () => {
    // Prepare
    const other = createUrlSigner('another secret of enough bytes').sign(claims);
    // Act
    const verdict = signer.verify({ ...claims, signature: other }, now);
    // Assess
    expect(verdict).toEqual({ ok: false, reason: 'InvalidSignature' });
  });

  it('rejects a malformed signature without throwing', () => {
    // Act
    const verdicts = ['', 'zz', signature.slice(2), signature.toUpperCase()].map((bad) => signer.verify({ ...claims, signature: bad }, now));
    // Assess
    expect(verdicts.every((v) => !v.ok && v.reason === 'InvalidSignature')).toBe(true);
  });

  it('rejects a correctly signed URL once its expiry has passed', () => {
    // Act
    const verdict = signer.verify({ ...claims, signature }, claims.expiresAt * 1000);
    // Assess
    expect(verdict).toEqual({ ok: false, reason: 'Expired' });
  });

  it('refuses a secret shorter than 16 bytes', () => {
    // Act
    const error = errorOf(() => createUrlSigner('short'));
    // Assess
    expect(error).toBeInstanceOf(Error);
  });

  it('gives an expiry at least the requested seconds away, in whole seconds', () => {
    // Act
    const expiresAt = expiryFromNow(60, now + 1);
    // Assess
    expect(expiresAt).toBe(now / 1000 + 61);
  });
});
