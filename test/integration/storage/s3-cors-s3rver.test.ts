/**
 * The artifact bucket's CORS rules, applied to s3rver (the local engine that implements CORS), let a browser
 * page upload to a presigned URL and read the ETag, and refuse other origins.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutBucketCorsCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactBucketCorsRules } from '../../../shared/storage/bucket-cors.js';
import { createS3ArtifactStore, createS3Clients, type S3Clients } from '../../../shared/storage/s3-artifact-store.js';
import type { ArtifactStore } from '../../../shared/storage/artifact-store.js';
import { assertLoopbackEndpoint } from '../../support/loopback.js';

interface S3rverInstance {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
}
type S3rverConstructor = new (options: {
  address: string;
  port: number;
  silent: boolean;
  directory: string;
  configureBuckets: { name: string; configs: string[] }[];
}) => S3rverInstance;
const S3rver = createRequire(import.meta.url)('s3rver') as S3rverConstructor;

const BUCKET = 'cairn-cors';
const ORIGIN = 'https://mlflow.example.com';
let directory: string;
let server: S3rverInstance;
let clients: S3Clients;
let store: ArtifactStore;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'cairn-s3rver-cors-'));
  server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: BUCKET, configs: [] }] });
  const { port } = await server.run();
  const endpoint = assertLoopbackEndpoint(`http://127.0.0.1:${port}`, 's3rver endpoint');
  clients = createS3Clients({ endpoint, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
  await clients.client.send(
    new PutBucketCorsCommand({ Bucket: BUCKET, CORSConfiguration: { CORSRules: artifactBucketCorsRules([ORIGIN]) } }),
  );
  store = createS3ArtifactStore({ ...clients, bucket: BUCKET });
});

afterAll(async () => {
  clients?.client.destroy();
  clients?.presignClient.destroy();
  await server?.close();
  if (directory) await rm(directory, { recursive: true, force: true });
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
