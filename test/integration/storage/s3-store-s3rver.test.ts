/**
 * Presigned URLs of the S3 adapter against s3rver, the only local engine that honours presign expiry and response
 * header overrides. s3rver stores the aws-chunked framing of stream bodies sent with SDK checksums as object
 * bytes, so the store is fed Uint8Array bodies here; it also only knows the access key S3RVER.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachmentDisposition, type ArtifactStore } from '../../../shared/storage/artifact-store.js';
import { createS3ArtifactStore, createS3Clients } from '../../../shared/storage/s3-artifact-store.js';
import { assertLoopbackEndpoint } from '../../support/loopback.js';

/** The part of s3rver's (untyped, CommonJS) API this file uses. */
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

const BUCKET = 'cairn-artifacts';
let directory: string;
let server: S3rverInstance;
let clients: { client: S3Client; presignClient: S3Client };
let store: ArtifactStore;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'cairn-s3rver-'));
  server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: BUCKET, configs: [] }] });
  const { port } = await server.run();
  const endpoint = assertLoopbackEndpoint(`http://127.0.0.1:${port}`, 's3rver endpoint');
  clients = createS3Clients({ endpoint, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
  store = createS3ArtifactStore({ ...clients, bucket: BUCKET, prefix: 'presign' });
});

afterAll(async () => {
  clients?.client.destroy();
  clients?.presignClient.destroy();
  await server?.close();
  if (directory) await rm(directory, { recursive: true, force: true });
});

describe('S3 presigned URLs on s3rver', () => {
  it('bytes PUT to a presigned URL with plain fetch come back from a presigned GET URL', async () => {
    // Prepare
    const data = randomBytes(64 * 1024);
    const putUrl = await store.presignPut('round/trip.bin', 60);
    // Act
    const put = await fetch(putUrl, { method: 'PUT', body: data });
    const got = await fetch(await store.presignGet('round/trip.bin', 60));
    // Assess
    expect(put.status).toBe(200);
    expect(got.status).toBe(200);
    expect(Buffer.from(await got.arrayBuffer()).equals(data)).toBe(true);
  });

  it('a presigned GET URL with a filename answers that filename as an attachment', async () => {
    // Prepare
    await store.put('dl/model.pkl', new TextEncoder().encode('pickle'));
    // Act
    const response = await fetch(await store.presignGet('dl/model.pkl', 60, { filename: 'my model ü.pkl' }));
    // Assess
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toBe(attachmentDisposition('my model ü.pkl'));
  });

  it('a presigned GET URL is refused once its expiry has passed', async () => {
    // Prepare
    await store.put('expiring/get.txt', new TextEncoder().encode('soon gone'));
    const url = await store.presignGet('expiring/get.txt', 1);
    await sleep(2_100);
    // Act
    const response = await fetch(url);
    // Assess
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('expired');
  });

  it('a presigned PUT URL is refused once its expiry has passed', async () => {
    // Prepare
    const url = await store.presignPut('expiring/put.txt', 1);
    await sleep(2_100);
    // Act
    const response = await fetch(url, { method: 'PUT', body: new TextEncoder().encode('too late') });
    // Assess
    expect(response.status).toBe(403);
    expect(await store.get('expiring/put.txt')).toBeUndefined();
  });
});
