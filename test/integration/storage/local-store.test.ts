/**
 * The local filesystem store behind its signed-URL handler, served over real HTTP by @hono/node-server (as
 * `npm start` mounts it): the shared artifact-store contract, the 50 MB multipart case, and what only the local
 * store does (HMAC-signed URLs, root confinement, the hidden uploads folder, atomic writes).
 */
import { createHash, randomBytes } from 'node:crypto';
import { access, mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { createAdaptorServer } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachmentDisposition } from '../../../shared/storage/store-conventions.js';
import { createLocalArtifactStore, handleLocalSignedRequest, type LocalArtifactStore } from '../../../shared/storage/local-artifact-store.js';
import { createUrlSigner } from '../../../shared/storage/url-signer.js';
import { artifactStoreContract, largeMultipartCase, putPart, readAll } from '../../support/artifact-store-contract.js';

const signer = createUrlSigner(randomBytes(32));
let base: string;
let origin: string;
let server: Server;
/** The store the server currently serves: each test gets a fresh store in its own folder. */
let current: LocalArtifactStore;

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'cairn-local-store-'));
  server = createAdaptorServer({
    fetch: async (request: Request) => (await handleLocalSignedRequest(current, signer, request)) ?? new Response('no route', { status: 404 }),
  }) as Server;
  await new Promise<void>((resolveListen) => server.listen(0, '127.0.0.1', resolveListen));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolveClose) => server?.close(resolveClose));
  if (base) await rm(base, { recursive: true, force: true });
});

async function freshStore(): Promise<LocalArtifactStore> {
  const root = await mkdtemp(join(base, 'store-'));
  current = createLocalArtifactStore({ root, baseUrl: () => origin, signer });
  return current;
}

const exists = (path: string): Promise<boolean> => access(path).then(() => true, () => false);
const bytesOf = (text: string): Uint8Array => new TextEncoder().encode(text);

/** The URL with its `sig` query parameter changed by `edit`. */
function withSig(url: string, edit: (sig: string) => string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('sig', edit(parsed.searchParams.get('sig') ?? ''));
  return parsed.toString();
}

describe('local artifact store, contract', () => {
  artifactStoreContract(freshStore);
  largeMultipartCase(freshStore);
});

describe('local artifact store, signed URLs over HTTP', () => {
  it('a signed GET URL answers the bytes with their length, octet-stream type and an attachment name', async () => {
    // Prepare
    const store = await freshStore();
    await store.put('1/run/artifacts/model 1.pkl', bytesOf('pickle bytes'));
    // Act
    const response = await fetch(await store.presignGet('1/run/artifacts/model 1.pkl', 60));
    // Assess
    expect(response.status).toBe(200);
    expect(response.headers.get('content-length')).toBe('12');
    expect(response.headers.get('content-type')).toBe('application/octet-stream');
    expect(response.headers.get('content-disposition')).toBe(attachmentDisposition('model 1.pkl'));
    expect(await response.text()).toBe('pickle bytes');
  });

  it('a signed GET URL with a filename answers that filename as the attachment name', async () => {
    // Prepare
    const store = await freshStore();
    await store.put('a/b.bin', bytesOf('b'));
    // Act
    const response = await fetch(await store.presignGet('a/b.bin', 60, { filename: 'naïve name.bin' }));
    // Assess
    expect(response.headers.get('content-disposition')).toBe(attachmentDisposition('naïve name.bin'));
  });

  it('a signed URL past its expiry is refused with 403 and a body saying it expired', async () => {
    // Prepare
    const store = await freshStore();
    await store.put('soon/gone.txt', bytesOf('x'));
    const url = await store.presignGet('soon/gone.txt', 1);
    await sleep(2_100);
    // Act
    const response = await fetch(url);
    // Assess
    expect(response.status).toBe(403);
    expect(await response.text()).toMatch(/expired/i);
  });

  it('a URL whose signature was altered is refused with 403', async () => {
    // Prepare
    const store = await freshStore();
    await store.put('k.txt', bytesOf('secret'));
    const url = withSig(await store.presignGet('k.txt', 60), (sig) => `${sig.slice(0, -1)}${sig.endsWith('0') ? '1' : '0'}`);
    // Act
    const response = await fetch(url);
    // Assess
    expect(response.status).toBe(403);
    expect(await response.text()).not.toContain('secret');
  });

  it('a URL signed for one key does not open another key', async () => {
    // Prepare
    const store = await freshStore();
    await store.put('public.txt', bytesOf('public'));
    await store.put('private.txt', bytesOf('private'));
    const url = (await store.presignGet('public.txt', 60)).replace('/objects/public.txt', '/objects/private.txt');
    // Act
    const response = await fetch(url);
    // Assess
    expect(response.status).toBe(403);
  });

  it('a URL signed for GET does not accept a PUT', async () => {
    // Prepare
    const store = await freshStore();
    await store.put('kept.txt', bytesOf('original'));
    // Act
    const response = await fetch(await store.presignGet('kept.txt', 60), { method: 'PUT', body: bytesOf('overwritten') });
    // Assess
    expect(response.status).toBe(403);
    expect((await readAll(store, 'kept.txt'))?.toString()).toBe('original');
  });

  it('a part PUT answers the quoted MD5 of its bytes as ETag', async () => {
    // Prepare
    const store = await freshStore();
    const uploadId = await store.createMultipartUpload('m/part.bin');
    const [url] = await store.presignUploadParts('m/part.bin', uploadId, 1, 60);
    const data = randomBytes(1000);
    // Act
    const etag = await putPart(url!, data);
    // Assess
    expect(etag).toBe(`"${createHash('md5').update(data).digest('hex')}"`);
  });

  it('a part PUT to an aborted upload answers 404', async () => {
    // Prepare
    const store = await freshStore();
    const uploadId = await store.createMultipartUpload('m/part.bin');
    const [url] = await store.presignUploadParts('m/part.bin', uploadId, 1, 60);
    await store.abortMultipartUpload('m/part.bin', uploadId);
    // Act
    const response = await fetch(url!, { method: 'PUT', body: bytesOf('late part') });
    // Assess
    expect(response.status).toBe(404);
    expect(await store.list('')).toEqual([]);
  });

  it('an unknown path under the prefix answers 404', async () => {
    // Prepare
    const store = await freshStore();
    // Act
    const response = await fetch(`${origin}${store.pathPrefix}/elsewhere/thing`);
    // Assess
    expect(response.status).toBe(404);
  });

  it('a path outside the prefix is left to the router', async () => {
    // Prepare
    const store = await freshStore();
    // Act
    const result = await handleLocalSignedRequest(store, signer, new Request(`${origin}/api/2.0/mlflow-artifacts/artifacts/x`));
    // Assess
    expect(result).toBeUndefined();
  });
});

describe('local artifact store, files on disk', () => {
  it('put refuses a key that would escape the root and writes nothing outside it', async () => {
    // Prepare
    const store = await freshStore();
    // Act
    const result = store.put('../escaped.txt', bytesOf('out'));
    // Assess
    await expect(result).rejects.toThrow(/Invalid path/);
    expect(await exists(join(store.root, '..', 'escaped.txt'))).toBe(false);
  });

  it('a key that names an existing folder, or lies under a file, is refused as a bad path and the stored bytes stay', async () => {
    // Prepare: S3 keeps `run/artifacts` and `run/artifacts/model.pkl` side by side; a file system cannot
    const store = await freshStore();
    await store.put('run/artifacts/model.pkl', bytesOf('model'));
    // Act
    const results = await Promise.allSettled([
      store.put('run/artifacts', bytesOf('{}')),
      store.put('run/artifacts/model.pkl/inner.txt', bytesOf('x')),
    ]);
    // Assess
    for (const result of results) {
      expect(result.status).toBe('rejected');
      expect((result as PromiseRejectedResult).reason).toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE' });
    }
    expect(await readAll(store, 'run/artifacts/model.pkl')).toEqual(Buffer.from(bytesOf('model')));
    // Deleting under a file deletes nothing and is no error, as for any missing key.
    await store.delete('run/artifacts/model.pkl/inner.txt');
    expect(await readAll(store, 'run/artifacts/model.pkl')).toEqual(Buffer.from(bytesOf('model')));
  });

  it('get, list, delete and presigning refuse keys that would escape the root', async () => {
    // Prepare
    const store = await freshStore();
    // Act
    const results = await Promise.allSettled([
      store.get('a/../../x'),
      store.list('..'),
      store.delete('../..'),
      store.presignGet('/etc/passwd', 60),
      store.createMultipartUpload('../x'),
    ]);
    // Assess
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected', 'rejected', 'rejected']);
    expect(await exists(base)).toBe(true);
  });

  it('the uploads folder is never listed and cannot be reached through a key', async () => {
    // Prepare
    const store = await freshStore();
    const uploadId = await store.createMultipartUpload('m/model.bin');
    await store.uploadPart(uploadId, 1, bytesOf('part'));
    // Act
    const [entries, reach] = [await store.list(''), await store.get(`.uploads/${uploadId}/1.part`).catch((e: unknown) => e)];
    // Assess
    expect(entries).toEqual([]);
    expect(reach).toBeInstanceOf(Error);
  });

  it('an object being written is neither readable nor listed until the write finishes', async () => {
    // Prepare
    const store = await freshStore();
    const body = new PassThrough();
    const writing = store.put('slow/file.bin', body);
    body.write(randomBytes(64 * 1024));
    await sleep(50);
    // Act
    const during = { object: await store.get('slow/file.bin'), entries: await store.list('slow') };
    body.end(randomBytes(1024));
    await writing;
    // Assess
    expect(during).toEqual({ object: undefined, entries: [] });
    expect(await store.list('slow')).toEqual([{ name: 'file.bin', isDir: false, size: 65 * 1024 }]);
  });

  it('a failed write leaves neither the object nor a temp file behind', async () => {
    // Prepare
    const store = await freshStore();
    const body = new PassThrough();
    const writing = store.put('broken/file.bin', body);
    body.write(randomBytes(1024));
    // Act
    body.destroy(new Error('client went away'));
    // Assess
    await expect(writing).rejects.toThrow('client went away');
    expect(await store.list('')).toEqual([]);
  });
});
