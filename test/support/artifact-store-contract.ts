/**
 * The behaviour every ArtifactStore adapter must share, written once and run against each adapter
 * (S3 on fauxqs, the local filesystem store behind its signed-URL handler). Each test gets a fresh, empty store
 * from `factory`, and moves bytes through presigned URLs with plain `fetch`, as MLflow clients do.
 */
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { beforeEach, describe, expect, it } from 'vitest';
import { ArtifactStoreError, type ArtifactStore } from '../../shared/domain/artifacts/ports.js';

export type StoreFactory = () => Promise<ArtifactStore>;

export const MiB = 1024 * 1024;
const EXPIRES = 300;

export const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
const bytesOf = (text: string): Uint8Array => new TextEncoder().encode(text);

/** The object's bytes, or undefined when there is none. */
export async function readAll(store: ArtifactStore, key: string): Promise<Buffer | undefined> {
  const object = await store.get(key);
  return object === undefined ? undefined : buffer(object.body);
}

/** PUTs `bytes` to a presigned part URL with plain fetch and answers the ETag header (quotes included). */
export async function putPart(url: string, bytes: Uint8Array): Promise<string> {
  const response = await fetch(url, { method: 'PUT', body: bytes });
  expect(response.status, await response.clone().text()).toBe(200);
  const etag = response.headers.get('etag');
  expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
  return etag as string;
}

/** Uploads the parts in parallel through presigned URLs, as the MLflow client does; answers the parts to complete with. */
export async function uploadParts(store: ArtifactStore, key: string, uploadId: string, parts: Uint8Array[]) {
  const urls = await store.presignUploadParts(key, uploadId, parts.length, EXPIRES);
  const etags = await Promise.all(parts.map((part, i) => putPart(urls[i] as string, part)));
  return etags.map((etag, i) => ({ partNumber: i + 1, etag }));
}

function split(data: Uint8Array, partSize: number): Uint8Array[] {
  const parts: Uint8Array[] = [];
  for (let start = 0; start < data.length; start += partSize) parts.push(data.subarray(start, start + partSize));
  return parts;
}

/** One test: a 50 MB file in 5 parts of 10 MiB (the MLflow client's default chunk), compared by SHA-256. */
export function largeMultipartCase(factory: StoreFactory): void {
  it('a 50 MB file uploaded as 5 parts of 10 MiB reads back with the same SHA-256', async () => {
    // Prepare
    const store = await factory();
    const data = randomBytes(50 * 1000 * 1000);
    const uploadId = await store.createMultipartUpload('big/model.bin');
    // Act
    const parts = await uploadParts(store, 'big/model.bin', uploadId, split(data, 10 * MiB));
    await store.completeMultipartUpload('big/model.bin', uploadId, parts);
    // Assess
    const stored = await store.get('big/model.bin');
    expect(parts).toHaveLength(5);
    expect(stored?.size).toBe(data.length);
    expect(sha256(await buffer(stored!.body))).toBe(sha256(data));
  });
}

export function artifactStoreContract(factory: StoreFactory): void {
  let store: ArtifactStore;
  beforeEach(async () => {
    store = await factory();
  });

  describe('put and get', () => {
    it('get returns the bytes and size that put stored', async () => {
      // Prepare
      await store.put('run/artifacts/notes.txt', bytesOf('hello artifacts'), { contentType: 'text/plain' });
      // Act
      const object = await store.get('run/artifacts/notes.txt');
      // Assess
      expect(object?.size).toBe(15);
      expect((await buffer(object!.body)).toString()).toBe('hello artifacts');
    });

    it('get of a missing key returns undefined', async () => {
      // Act
      const object = await store.get('run/missing.txt');
      // Assess
      expect(object).toBeUndefined();
    });

    it('put overwrites an existing object', async () => {
      // Prepare
      await store.put('a.txt', bytesOf('first version'));
      // Act
      await store.put('a.txt', bytesOf('second'));
      // Assess
      expect((await readAll(store, 'a.txt'))?.toString()).toBe('second');
    });

    it('a small Readable of unknown length is stored whole', async () => {
      // Prepare
      const chunks = [bytesOf('one,'), bytesOf('two,'), bytesOf('three')];
      // Act
      await store.put('stream/small.csv', Readable.from(chunks));
      // Assess
      expect((await readAll(store, 'stream/small.csv'))?.toString()).toBe('one,two,three');
    });

    it('a 9 MiB Readable of unknown length is stored whole', async () => {
      // Prepare
      const data = randomBytes(9 * MiB);
      // Act
      await store.put('stream/large.bin', Readable.from(split(data, 256 * 1024)));
      // Assess
      expect(sha256((await readAll(store, 'stream/large.bin'))!)).toBe(sha256(data));
    });

    it('a zero-byte object is stored, read and listed with size 0', async () => {
      // Act
      await store.put('empty/zero.bin', new Uint8Array(0));
      // Assess
      expect((await readAll(store, 'empty/zero.bin'))?.length).toBe(0);
      expect(await store.list('empty')).toEqual([{ name: 'zero.bin', isDir: false, size: 0 }]);
    });

    it('all 256 byte values round-trip unchanged', async () => {
      // Prepare
      const data = Uint8Array.from({ length: 1024 }, (_, i) => i % 256);
      // Act
      await store.put('binary.bin', data);
      // Assess
      expect(new Uint8Array((await readAll(store, 'binary.bin'))!)).toEqual(data);
    });

    it('a key with spaces and unicode is stored, read and listed under its name', async () => {
      // Prepare
      const key = 'résumé dir/naïve model 模型 ✓.txt';
      // Act
      await store.put(key, bytesOf('unicode'));
      // Assess
      expect((await readAll(store, key))?.toString()).toBe('unicode');
      expect(await store.list('')).toEqual([{ name: 'résumé dir', isDir: true }]);
      expect(await store.list('résumé dir')).toEqual([{ name: 'naïve model 模型 ✓.txt', isDir: false, size: 7 }]);
    });
  });

  describe('list', () => {
    it('lists the immediate files with sizes and the folders, sorted by name', async () => {
      // Prepare
      await store.put('root/b.txt', bytesOf('bb'));
      await store.put('root/a.txt', bytesOf('a'));
      await store.put('root/model/MLmodel', bytesOf('flavors'));
      await store.put('root/data/deep/x.csv', bytesOf('x'));
      // Act
      const entries = await store.list('root');
      // Assess
      expect(entries).toEqual([
        { name: 'a.txt', isDir: false, size: 1 },
        { name: 'b.txt', isDir: false, size: 2 },
        { name: 'data', isDir: true },
        { name: 'model', isDir: true },
      ]);
    });

    it('a folder holding only folders is listed as a folder', async () => {
      // Prepare
      await store.put('outer/middle/inner/file.txt', bytesOf('deep'));
      // Act
      const [rootEntries, outerEntries] = [await store.list(''), await store.list('outer')];
      // Assess
      expect(rootEntries).toEqual([{ name: 'outer', isDir: true }]);
      expect(outerEntries).toEqual([{ name: 'middle', isDir: true }]);
    });

    it('listing a file key or a missing folder returns nothing', async () => {
      // Prepare
      await store.put('folder/file.txt', bytesOf('f'));
      // Act
      const [ofFile, ofMissing] = [await store.list('folder/file.txt'), await store.list('nowhere/at/all')];
      // Assess
      expect(ofFile).toEqual([]);
      expect(ofMissing).toEqual([]);
    });
  });

  describe('delete', () => {
    it('deleting a folder key removes everything under it and keeps siblings sharing its name prefix', async () => {
      // Prepare
      for (const key of ['t/run/a.txt', 't/run/sub/b.txt', 't/run/sub/deeper/c.txt', 't/runner.txt', 't/run2/d.txt']) {
        await store.put(key, bytesOf(key));
      }
      // Act
      await store.delete('t/run');
      // Assess
      expect(await store.list('t')).toEqual([
        { name: 'run2', isDir: true },
        { name: 'runner.txt', isDir: false, size: 12 },
      ]);
      expect(await store.get('t/run/sub/deeper/c.txt')).toBeUndefined();
    });

    it('deleting the only file of a folder removes the folder from listings', async () => {
      // Prepare
      await store.put('keep.txt', bytesOf('k'));
      await store.put('gone/only.txt', bytesOf('o'));
      // Act
      await store.delete('gone/only.txt');
      // Assess
      expect(await store.get('gone/only.txt')).toBeUndefined();
      expect(await store.list('')).toEqual([{ name: 'keep.txt', isDir: false, size: 1 }]);
    });

    it('deleting the empty key is refused and leaves the store intact', async () => {
      // Prepare
      await store.put('survivor.txt', bytesOf('s'));
      // Act
      const result = store.delete('');
      // Assess
      await expect(result).rejects.toThrow();
      expect(await store.list('')).toEqual([{ name: 'survivor.txt', isDir: false, size: 1 }]);
    });

    it('deleting a missing key resolves', async () => {
      // Act
      const result = store.delete('never/existed');
      // Assess
      await expect(result).resolves.toBeUndefined();
    });
  });

  describe('presigned URLs', () => {
    it('a presigned GET URL returns the object bytes to a plain fetch', async () => {
      // Prepare
      const data = randomBytes(4096);
      await store.put('dl/weights.bin', data);
      // Act
      const response = await fetch(await store.presignGet('dl/weights.bin', EXPIRES));
      // Assess
      expect(response.status).toBe(200);
      expect(Buffer.from(await response.arrayBuffer()).equals(data)).toBe(true);
    });

    it('a presigned PUT URL stores the body of a plain fetch', async () => {
      // Prepare
      const url = await store.presignPut('ul/file name ü.bin', EXPIRES);
      const data = randomBytes(2048);
      // Act
      const response = await fetch(url, { method: 'PUT', body: data });
      // Assess
      expect(response.status).toBe(200);
      expect((await readAll(store, 'ul/file name ü.bin'))?.equals(data)).toBe(true);
    });
  });

  describe('multipart upload', () => {
    const threeParts = (): Uint8Array[] => [randomBytes(5 * MiB), randomBytes(5 * MiB), randomBytes(1234)];

    it('three parts uploaded with plain PUTs complete into one object with the same SHA-256', async () => {
      // Prepare
      const parts = threeParts();
      const uploadId = await store.createMultipartUpload('mpu/model.bin');
      const completed = await uploadParts(store, 'mpu/model.bin', uploadId, parts);
      // Act
      await store.completeMultipartUpload('mpu/model.bin', uploadId, completed);
      // Assess
      expect(sha256((await readAll(store, 'mpu/model.bin'))!)).toBe(sha256(Buffer.concat(parts)));
      expect(await store.list('mpu')).toEqual([{ name: 'model.bin', isDir: false, size: 10 * MiB + 1234 }]);
    });

    it('an uploaded but uncompleted object is neither readable nor listed', async () => {
      // Prepare
      const uploadId = await store.createMultipartUpload('pending/model.bin');
      // Act
      await uploadParts(store, 'pending/model.bin', uploadId, [randomBytes(1024)]);
      // Assess
      expect(await store.get('pending/model.bin')).toBeUndefined();
      expect(await store.list('pending')).toEqual([]);
    });

    it('completing with an ETag that does not match the part fails with InvalidPart', async () => {
      // Prepare
      const uploadId = await store.createMultipartUpload('bad/model.bin');
      const [part] = await uploadParts(store, 'bad/model.bin', uploadId, [randomBytes(1024)]);
      // Act
      const result = store.completeMultipartUpload('bad/model.bin', uploadId, [{ ...part!, etag: `"${'0'.repeat(32)}"` }]);
      // Assess
      await expect(result).rejects.toSatisfy((e) => e instanceof ArtifactStoreError && e.kind === 'InvalidPart');
      expect(await store.get('bad/model.bin')).toBeUndefined();
    });

    it('completing an unknown upload id fails with NoSuchUpload', async () => {
      // Act
      const result = store.completeMultipartUpload('x/model.bin', 'f'.repeat(32), [{ partNumber: 1, etag: `"${'0'.repeat(32)}"` }]);
      // Assess
      await expect(result).rejects.toSatisfy((e) => e instanceof ArtifactStoreError && e.kind === 'NoSuchUpload');
    });

    it('completing with a part under 5 MiB that is not the last fails with EntityTooSmall', async () => {
      // Prepare
      const uploadId = await store.createMultipartUpload('small/model.bin');
      const parts = await uploadParts(store, 'small/model.bin', uploadId, [randomBytes(1024), randomBytes(1024)]);
      // Act
      const result = store.completeMultipartUpload('small/model.bin', uploadId, parts);
      // Assess
      await expect(result).rejects.toSatisfy((e) => e instanceof ArtifactStoreError && e.kind === 'EntityTooSmall');
    });

    it('an aborted upload can no longer be completed', async () => {
      // Prepare
      const uploadId = await store.createMultipartUpload('aborted/model.bin');
      const parts = await uploadParts(store, 'aborted/model.bin', uploadId, [randomBytes(1024)]);
      // Act
      await store.abortMultipartUpload('aborted/model.bin', uploadId);
      // Assess
      const result = store.completeMultipartUpload('aborted/model.bin', uploadId, parts);
      await expect(result).rejects.toSatisfy((e) => e instanceof ArtifactStoreError && e.kind === 'NoSuchUpload');
      expect(await store.list('')).toEqual([]);
    });
  });
}
