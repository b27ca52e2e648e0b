/**
 * The S3 adapter against fauxqs (in-process, memory only): the shared artifact-store contract, with and without a
 * key prefix, plus the 50 MB multipart case. fauxqs has the best multipart and listing semantics of the local
 * engines, but it verifies no signature and ignores presign expiry (see s3-store-s3rver.test.ts for expiry).
 */
import { randomUUID } from 'node:crypto';
import { CreateBucketCommand, GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { buildApp } from 'fauxqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3ArtifactStore, createS3Clients } from '../../../shared/storage/s3-artifact-store.js';
import { artifactStoreContract, largeMultipartCase } from '../../support/artifact-store-contract.js';
import { assertLoopbackEndpoint } from '../../support/loopback.js';

let app: ReturnType<typeof buildApp>;
let client: S3Client;
let presignClient: S3Client;
const BUCKET = 'cairn-artifacts';

beforeAll(async () => {
  // startFauxqs() always listens on 0.0.0.0; buildApp() lets the test bind to loopback only.
  app = buildApp({ logger: false });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  ({ client, presignClient } = createS3Clients({ endpoint: assertLoopbackEndpoint(address, 'fauxqs endpoint') }));
  await client.send(new CreateBucketCommand({ Bucket: BUCKET }));
});

afterAll(async () => {
  client?.destroy();
  presignClient?.destroy();
  await app?.close();
});

async function bucketPerTest(): Promise<string> {
  const bucket = `cairn-${randomUUID()}`;
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  return bucket;
}

describe('S3 artifact store on fauxqs, keys under a prefix', () => {
  artifactStoreContract(async () => createS3ArtifactStore({ client, presignClient, bucket: BUCKET, prefix: `tests/${randomUUID()}` }));
});

describe('S3 artifact store on fauxqs, keys at the bucket root', () => {
  artifactStoreContract(async () => createS3ArtifactStore({ client, presignClient, bucket: await bucketPerTest() }));
});

describe('S3 artifact store on fauxqs, large files', () => {
  largeMultipartCase(async () => createS3ArtifactStore({ client, presignClient, bucket: await bucketPerTest() }));
});

describe('S3 artifact store on fauxqs, object keys', () => {
  it('stores each key at <prefix>/<key>, with slashes around the prefix ignored', async () => {
    // Prepare
    const bucket = await bucketPerTest();
    const store = createS3ArtifactStore({ client, presignClient, bucket, prefix: '/mlartifacts/' });
    // Act
    await store.put('1/run-id/artifacts/model.pkl', new TextEncoder().encode('pickle'));
    // Assess
    const raw = await client.send(new GetObjectCommand({ Bucket: bucket, Key: 'mlartifacts/1/run-id/artifacts/model.pkl' }));
    expect(await raw.Body?.transformToString()).toBe('pickle');
  });
});
