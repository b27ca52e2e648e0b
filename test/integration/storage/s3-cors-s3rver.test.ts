/**
 * The artifact bucket's CORS rules, applied to s3rver (the local engine that implements CORS), let a browser
 * page upload to a presigned URL and read the ETag, and refuse other origins.
 */
import { PutBucketCorsCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactBucketCorsRules } from '../../../shared/storage/bucket-cors.js';
import { createS3ArtifactStore } from '../../../shared/storage/s3-artifact-store.js';
import type { ArtifactStore } from '../../../shared/domain/artifacts/ports.js';
import { startS3rver, type RunningS3rver } from '../../support/s3rver.js';

const BUCKET = 'cairn-cors';
const ORIGIN = 'https://mlflow.example.com';
let s3rver: RunningS3rver;
let store: ArtifactStore;

beforeAll(async () => {
  s3rver = await startS3rver(BUCKET);
  await s3rver.clients.client.send(
    new PutBucketCorsCommand({ Bucket: BUCKET, CORSConfiguration: { CORSRules: artifactBucketCorsRules([ORIGIN]) } }),
  );
  store = createS3ArtifactStore({ ...s3rver.clients, bucket: BUCKET });
});

afterAll(async () => {
  await s3rver?.close();
});

describe('artifact bucket CORS on s3rver', () => {
  it('answers a preflight for a PUT to a presigned URL from the allowed origin', async () => {
    // Prepare
    const url = await store.presignPut('browser/upload.txt', 60);

    // Act
    const preflight = await fetch(url, {
      method: 'OPTIONS',
      headers: { Origin: ORIGIN, 'Access-Control-Request-Method': 'PUT', 'Access-Control-Request-Headers': 'content-type' },
    });

    // Assess
    // s3rver answers a matched preflight with `*`; S3 echoes the origin. Either lets the browser go on, and
    // the refusal of another origin below shows the rule, not a wildcard, decided.
    expect(preflight.status).toBe(200);
    expect([ORIGIN, '*']).toContain(preflight.headers.get('access-control-allow-origin'));
    expect(preflight.headers.get('access-control-allow-methods')).toContain('PUT');
  });

  it('exposes the ETag of a browser upload, which completing a multipart upload needs', async () => {
    // Prepare
    const url = await store.presignPut('browser/etag.txt', 60);

    // Act
    const upload = await fetch(url, { method: 'PUT', headers: { Origin: ORIGIN }, body: new TextEncoder().encode('hello') });

    // Assess
    expect(upload.status).toBe(200);
    expect(upload.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(upload.headers.get('access-control-expose-headers')).toMatch(/ETag/i);
  });

  it('refuses a preflight from another origin', async () => {
    // Prepare
    const url = await store.presignPut('browser/other.txt', 60);

    // Act
    const preflight = await fetch(url, {
      method: 'OPTIONS',
      headers: { Origin: 'https://evil.example.com', 'Access-Control-Request-Method': 'PUT' },
    });

    // Assess
    expect(preflight.status).toBe(403);
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
  });
});
