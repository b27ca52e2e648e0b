/**
 * Presigned URLs of the S3 adapter against s3rver, the only local engine that honours presign expiry and response
 * header overrides. s3rver stores the aws-chunked framing of stream bodies sent with SDK checksums as object
 * bytes, so the store is fed Uint8Array bodies here; it also only knows the access key S3RVER.
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArtifactStore } from '../../../shared/domain/artifacts/ports.js';
import { attachmentDisposition } from '../../../shared/storage/store-conventions.js';
import { createS3ArtifactStore } from '../../../shared/storage/s3-artifact-store.js';
import { startS3rver, type RunningS3rver } from '../../support/s3rver.js';

const BUCKET = 'cairn-artifacts';
let s3rver: RunningS3rver;
let store: ArtifactStore;

beforeAll(async () => {
  s3rver = await startS3rver(BUCKET);
  store = createS3ArtifactStore({ ...s3rver.clients, bucket: BUCKET, prefix: 'presign' });
});

afterAll(async () => {
  await s3rver?.close();
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
