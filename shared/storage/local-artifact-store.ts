import { createHash, randomBytes, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { mkdir, open, readFile, readdir, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join, posix, relative, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { ArtifactStoreError, type ArtifactEntry, type ArtifactStore } from '../domain/artifacts/ports.js';
import { parseRangeHeader, resolveByteRange } from '../domain/artifacts/byte-range.js';
import { attachmentDisposition, compareEntryNames, storedObjectResponse } from './store-conventions.js';
import { expiryFromNow, type UrlSigner } from './url-signer.js';
import { invalidParameter, MlflowError, type ErrorCode } from '../errors/index.js';
import { checkStoreKey, MAX_ARTIFACT_KEY_BYTES, RESERVED_ARTIFACT_ROOT, TEMP_ARTIFACT_PREFIX } from '../domain/artifacts/artifact-paths.js';

export interface LocalArtifactStoreOptions {
  /** Folder holding the artifacts. */
  root: string;
  /** Origin (and any path) of the local server, e.g. `http://127.0.0.1:5000`; a function when the port is known late. */
  baseUrl: string | (() => string);
  signer: UrlSigner;
  /** Where the local server mounts `handleLocalSignedRequest`. Default `/_cairn/artifact-store`. */
  pathPrefix?: string;
}

export interface LocalArtifactStore extends ArtifactStore {
  readonly root: string;
  readonly pathPrefix: string;
  /** The key a multipart upload in progress writes. @throws ArtifactStoreError NoSuchUpload */
  keyOfUpload(uploadId: string): Promise<string>;
  /** Stores part `partNumber` (1..10000) of an upload, replacing an earlier one; answers its ETag (quoted MD5 hex, as S3). */
  uploadPart(uploadId: string, partNumber: number, body: Readable | Uint8Array): Promise<string>;
}

export const DEFAULT_LOCAL_PATH_PREFIX = '/_cairn/artifact-store';
/** Multipart uploads in progress live in `<root>/.uploads/<uploadId>/`; keys may not start with this segment. */
const UPLOADS = RESERVED_ARTIFACT_ROOT;
/** Files being written; hidden from listings until renamed onto their key. */
const TEMP_PREFIX = TEMP_ARTIFACT_PREFIX;
/** Linux's PATH_MAX, counting the terminating NUL. */
const PATH_MAX = 4096;
/** A temp file's name (`.cairn-tmp-` and 16 hex digits), which may be longer than the key's last segment. */
const TEMP_NAME_BYTES = TEMP_PREFIX.length + 16;
const MIN_PART_SIZE = 5 * 1024 * 1024;
const MAX_PARTS = 10_000;
const UPLOAD_ID = /^[0-9a-f]{32}$/;

const errno = (error: unknown): string | undefined => (error as NodeJS.ErrnoException | undefined)?.code;
/** Rethrows a missing file inside an upload's folder as NoSuchUpload: the upload was completed or aborted meanwhile. */
const gone = (uploadId: string) => (error: unknown): never => {
  if (errno(error) === 'ENOENT') throw new ArtifactStoreError('NoSuchUpload', `upload ${uploadId} is gone`, { cause: error });
  throw error;
};
const bareEtag = (etag: string): string => etag.trim().replace(/^"|"$/g, '').toLowerCase();
const encodeKey = (key: string): string => key.split('/').map(encodeURIComponent).join('/');
const checkCount = (what: string, n: number): void => {
  if (!Number.isInteger(n) || n < 1 || n > MAX_PARTS) throw invalidParameter(`${what} must be an integer in 1..${MAX_PARTS}, got ${n}`);
};

/** Opens a fresh temp file in `dir`; retries when a concurrent delete prunes the (empty) folder in between. */
async function openTemp(dir: string, createDirs: boolean): Promise<{ path: string; handle: FileHandle }> {
  for (let attempt = 1; ; attempt++) {
    if (createDirs) await mkdir(dir, { recursive: true });
    const path = join(dir, `${TEMP_PREFIX}${randomBytes(8).toString('hex')}`);
    try {
      return { path, handle: await open(path, 'wx') };
    } catch (error) {
      if (errno(error) !== 'ENOENT' || !createDirs || attempt >= 3) throw error;
    }
  }
}

/**
 * A key whose file would sit where a folder is, or under a file (`a` and `a/b` both): S3 keeps both, a file
 * system cannot, so the caller's write is refused as a bad path instead of failing in the file system.
 */
const PATH_CLASH = new Set(['EISDIR', 'ENOTDIR', 'EEXIST', 'ENOTEMPTY']);
const refusePathClash = (key: string) => (error: unknown): never => {
  if (PATH_CLASH.has(errno(error) ?? '')) {
    throw invalidParameter(`Cannot write artifact '${key}': a file and a folder of the same name cannot both exist in this store.`);
  }
  throw error;
};

/** Writes `body` to a temp file next to `target`, then renames it onto `target`: readers see the old or the new bytes. */
async function writeAtomically(target: string, body: Readable | Uint8Array, options: { hash?: Hash; createDirs?: boolean } = {}): Promise<void> {
  // A request body can fail before the pipeline listens to it: without a listener that error would crash the process.
  if (body instanceof Readable) body.on('error', () => {});
  const { path, handle } = await openTemp(dirname(target), options.createDirs ?? true).catch((error: unknown) => {
    if (body instanceof Readable) body.destroy();
    throw error;
  });
  try {
    const source = body instanceof Uint8Array ? Readable.from([body]) : body;
    await pipeline(
      source,
      async function* (chunks: AsyncIterable<Uint8Array>) {
        for await (const chunk of chunks) {
          options.hash?.update(chunk);
          yield chunk;
        }
      },
      handle.createWriteStream(),
    );
    await rename(path, target);
  } catch (error) {
    await handle.close().catch(() => {});
    await rm(path, { force: true });
    throw error;
  }
}

export function createLocalArtifactStore(options: LocalArtifactStoreOptions): LocalArtifactStore {
  const root = resolve(options.root);
  const { signer } = options;
  const pathPrefix = `/${(options.pathPrefix ?? DEFAULT_LOCAL_PATH_PREFIX).replace(/^\/+|\/+$/g, '')}`;
  const baseUrl = (): string => (typeof options.baseUrl === 'function' ? options.baseUrl() : options.baseUrl).replace(/\/+$/, '');

  const maxKeyBytes = Math.min(MAX_ARTIFACT_KEY_BYTES, PATH_MAX - 1 - Buffer.byteLength(root) - 1 - TEMP_NAME_BYTES);

  /**
   * Absolute path of `key`, or INVALID_PARAMETER_VALUE for a key that breaks the store-key rule; the resolved path is
   * checked again, so no key can leave the root or enter the uploads folder whatever the rule lets through.
   */
  function pathOf(key: string): string {
    checkStoreKey(key, maxKeyBytes);
    const full = resolve(root, key);
    const first = relative(root, full).split(sep)[0];
    if (!full.startsWith(root + sep) || first === UPLOADS) throw invalidParameter(`Invalid path: ${key}`);
    return full;
  }

  function uploadDir(uploadId: string): string {
    if (!UPLOAD_ID.test(uploadId)) throw new ArtifactStoreError('NoSuchUpload', `unknown upload ${JSON.stringify(uploadId)}`);
    return join(root, UPLOADS, uploadId);
  }

  async function manifestKey(uploadId: string): Promise<string> {
    try {
      return (JSON.parse(await readFile(join(uploadDir(uploadId), 'manifest.json'), 'utf8')) as { key: string }).key;
    } catch (error) {
      if (errno(error) === 'ENOENT') throw new ArtifactStoreError('NoSuchUpload', `unknown upload ${uploadId}`, { cause: error });
      throw error;
    }
  }

  /** Removes the now empty folders above `full`, up to (not including) the root: S3 has no empty folders either. */
  async function pruneEmptyParents(full: string): Promise<void> {
    for (let dir = dirname(full); dir.startsWith(root + sep); dir = dirname(dir)) {
      try {
        await rmdir(dir);
      } catch {
        return;
      }
    }
  }

  function signedUrl(method: 'GET' | 'PUT', resource: string, urlPath: string, expiresIn: number, extra?: Record<string, string>): string {
    const expiresAt = expiryFromNow(expiresIn);
    const sig = signer.sign({ method, path: resource, expiresAt, ...(extra ? { extra } : {}) });
    const query = new URLSearchParams({ expires: String(expiresAt), sig, ...extra });
    return `${baseUrl()}${pathPrefix}/${urlPath}?${query.toString()}`;
  }

  return {
    root,
    pathPrefix,
    maxKeyBytes,

    async put(key, body) {
      const target = pathOf(key);
      await writeAtomically(target, body)
        .catch(async (error: unknown) => {
          await pruneEmptyParents(target);
          throw error;
        })
        .catch(refusePathClash(key));
    },

    async get(key, range) {
      const handle = await open(pathOf(key), 'r').catch((error: unknown) => {
        if (['ENOENT', 'ENOTDIR', 'EISDIR'].includes(errno(error) ?? '')) return undefined;
        throw error;
      });
      const info = await handle?.stat();
      if (!handle || !info?.isFile()) {
        await handle?.close();
        return undefined;
      }
      if (!range) return { body: handle.createReadStream(), size: info.size };
      const resolved = resolveByteRange(range, info.size);
      if (resolved === 'unsatisfiable') {
        await handle.close();
        return { body: Readable.from([]), size: info.size, range: resolved };
      }
      // Only the range is read from disk: the stream starts at `start` and stops after `end` (inclusive).
      return { body: handle.createReadStream({ start: resolved.start, end: resolved.end }), size: info.size, range: resolved };
    },

    async list(folder) {
      const dir = folder === '' ? root : pathOf(folder);
      const names = await readdir(dir).catch((error: unknown) => {
        if (errno(error) === 'ENOENT' || errno(error) === 'ENOTDIR') return [];
        throw error;
      });
      const visible = names.filter((name) => !name.startsWith(TEMP_PREFIX) && !(dir === root && name === UPLOADS));
      const entries = await Promise.all(
        visible.map(async (name): Promise<ArtifactEntry | undefined> => {
          const info = await stat(join(dir, name)).catch(() => undefined);
          if (info?.isDirectory()) return { name, isDir: true };
          return info?.isFile() ? { name, isDir: false, size: info.size } : undefined;
        }),
      );
      return entries.filter((entry) => entry !== undefined).sort(compareEntryNames);
    },

    async delete(key) {
      const full = pathOf(key);
      // Under a file (`a` stored, `a/b` deleted) there is nothing to delete: the same as a missing key.
      await rm(full, { recursive: true, force: true }).catch((error: unknown) => {
        if (errno(error) !== 'ENOTDIR') throw error;
      });
      await pruneEmptyParents(full);
    },

    async presignGet(key, expiresIn, getOptions = {}) {
      pathOf(key); // refuses unsafe keys
      const extra = getOptions.filename !== undefined ? { filename: getOptions.filename } : undefined;
      return signedUrl('GET', `objects/${key}`, `objects/${encodeKey(key)}`, expiresIn, extra);
    },

    async presignPut(key, expiresIn) {
      pathOf(key);
      return signedUrl('PUT', `objects/${key}`, `objects/${encodeKey(key)}`, expiresIn);
    },

    async createMultipartUpload(key) {
      pathOf(key);
      const uploadId = randomBytes(16).toString('hex');
      await mkdir(uploadDir(uploadId), { recursive: true });
      await writeFile(join(uploadDir(uploadId), 'manifest.json'), JSON.stringify({ key, createdAt: new Date().toISOString() }));
      return uploadId;
    },

    async presignUploadParts(key, uploadId, parts, expiresIn) {
      pathOf(key);
      uploadDir(uploadId);
      checkCount('parts', parts);
      return Array.from({ length: parts }, (_, i) => {
        const resource = `uploads/${uploadId}/${i + 1}`;
        return signedUrl('PUT', resource, resource, expiresIn);
      });
    },

    keyOfUpload: manifestKey,

    async uploadPart(uploadId, partNumber, body) {
      checkCount('part number', partNumber);
      await manifestKey(uploadId);
      const hash = createHash('md5');
      await writeAtomically(join(uploadDir(uploadId), `${partNumber}.part`), body, { hash, createDirs: false }).catch(gone(uploadId));
      return `"${hash.digest('hex')}"`;
    },

    async completeMultipartUpload(key, uploadId, parts) {
      const target = pathOf(key);
      if ((await manifestKey(uploadId)) !== key) throw new ArtifactStoreError('NoSuchUpload', `upload ${uploadId} is not for ${key}`);
      const sorted = [...parts].sort((a, b) => a.partNumber - b.partNumber);
      if (sorted.length === 0) throw new ArtifactStoreError('InvalidPart', 'a multipart upload needs at least one part');
      const files = await Promise.all(
        sorted.map(async ({ partNumber, etag }, index) => {
          checkCount('part number', partNumber);
          if (sorted[index - 1]?.partNumber === partNumber) throw new ArtifactStoreError('InvalidPart', `part ${partNumber} listed twice`);
          const path = join(uploadDir(uploadId), `${partNumber}.part`);
          const info = await stat(path).catch(() => undefined);
          if (!info?.isFile()) throw new ArtifactStoreError('InvalidPart', `part ${partNumber} of upload ${uploadId} was not uploaded`);
          if (index < sorted.length - 1 && info.size < MIN_PART_SIZE) {
            throw new ArtifactStoreError('EntityTooSmall', `part ${partNumber} has ${info.size} bytes; all parts but the last need 5 MiB`);
          }
          return { path, partNumber, etag: bareEtag(etag) };
        }),
      );
      const { path: temp, handle } = await openTemp(dirname(target), true).catch(refusePathClash(key));
      try {
        for (const part of files) {
          const hash = createHash('md5');
          for await (const chunk of createReadStream(part.path, { highWaterMark: 1024 * 1024 })) {
            hash.update(chunk as Buffer);
            await handle.write(chunk as Buffer);
          }
          if (hash.digest('hex') !== part.etag) {
            throw new ArtifactStoreError('InvalidPart', `ETag of part ${part.partNumber} does not match the uploaded bytes`);
          }
        }
        await handle.close();
        await rename(temp, target);
      } catch (error) {
        await handle.close().catch(() => {});
        await rm(temp, { force: true });
        if (PATH_CLASH.has(errno(error) ?? '')) refusePathClash(key)(error);
        gone(uploadId)(error);
      }
      await rm(uploadDir(uploadId), { recursive: true, force: true });
    },

    async abortMultipartUpload(key, uploadId) {
      const owner = await manifestKey(uploadId).catch(() => undefined);
      if (owner === key) await rm(uploadDir(uploadId), { recursive: true, force: true });
    },
  };
}

/** Every answer of the door is MLflow's error JSON: MLflow clients PUT and GET these URLs and read their errors. */
const failure = (status: number, errorCode: ErrorCode, message: string, headers: Record<string, string> = {}): Response =>
  Response.json({ error_code: errorCode, message }, { status, headers });

type Route = { kind: 'object'; key: string; resource: string } | { kind: 'part'; uploadId: string; partNumber: number; resource: string };

function parseRoute(rest: string): Route | undefined {
  const part = /^uploads\/([0-9a-f]{32})\/([1-9][0-9]{0,4})$/.exec(rest);
  if (part?.[1] && part[2]) return { kind: 'part', uploadId: part[1], partNumber: Number(part[2]), resource: rest };
  if (!rest.startsWith('objects/')) return undefined;
  try {
    const key = rest.slice('objects/'.length).split('/').map(decodeURIComponent).join('/');
    return key.split('/').some((s) => s === '' || s === '.' || s === '..') ? undefined : { kind: 'object', key, resource: `objects/${key}` };
  } catch {
    return undefined;
  }
}

/**
 * Refuses a write to `key` when the run or logged model that owns it may no longer take artifacts (deleted): a URL
 * signed before the delete must not add files after it. Throws the MlflowError to answer.
 */
export type WriteGuard = (key: string) => Promise<void>;

/**
 * Serves the URLs a local store hands out, fetch-style: GET/PUT `<pathPrefix>/objects/<key>` and PUT
 * `<pathPrefix>/uploads/<uploadId>/<partNumber>`. The signature and expiry are checked before anything else,
 * then `canWrite` for every PUT (of an object or of a part, by the key its upload writes).
 * Answers undefined for paths outside `store.pathPrefix`, so a router can fall through.
 */
export async function handleLocalSignedRequest(
  store: LocalArtifactStore,
  signer: UrlSigner,
  request: Request,
  canWrite: WriteGuard = async () => {},
): Promise<Response | undefined> {
  const url = new URL(request.url);
  if (!url.pathname.startsWith(`${store.pathPrefix}/`)) return undefined;
  const route = parseRoute(url.pathname.slice(store.pathPrefix.length + 1));
  if (!route) return failure(404, 'ENDPOINT_NOT_FOUND', `No artifact store resource at ${url.pathname}`);

  const expiresAt = Number(url.searchParams.get('expires'));
  const filename = route.kind === 'object' ? (url.searchParams.get('filename') ?? undefined) : undefined;
  const signature = url.searchParams.get('sig') ?? '';
  const extra = filename !== undefined ? { extra: { filename } } : {};
  const verdict = signer.verify({ method: request.method, path: route.resource, expiresAt, signature, ...extra });
  if (!verdict.ok) {
    return verdict.reason === 'Expired'
      ? failure(403, 'PERMISSION_DENIED', `Request has expired: this signed URL was valid until ${new Date(expiresAt * 1000).toISOString()}`)
      : failure(403, 'PERMISSION_DENIED', 'The request signature does not match: this URL was not issued by this server for this method and path');
  }

  const body = (): Readable | Uint8Array =>
    request.body ? Readable.fromWeb(request.body as unknown as NodeReadableStream<Uint8Array>) : new Uint8Array(0);
  try {
    if (route.kind === 'part') {
      if (request.method !== 'PUT') return failure(405, 'BAD_REQUEST', `Method ${request.method} not allowed here; use PUT`, { Allow: 'PUT' });
      await canWrite(await store.keyOfUpload(route.uploadId));
      const etag = await store.uploadPart(route.uploadId, route.partNumber, body());
      return new Response(null, { status: 200, headers: { ETag: etag } });
    }
    if (request.method === 'PUT') {
      await canWrite(route.key);
      await store.put(route.key, body());
      return new Response(null, { status: 200 });
    }
    if (request.method !== 'GET') {
      return failure(405, 'BAD_REQUEST', `Method ${request.method} not allowed here; use GET or PUT`, { Allow: 'GET, PUT' });
    }
    const object = await store.get(route.key, parseRangeHeader(request.headers.get('range')));
    if (!object) return failure(404, 'RESOURCE_DOES_NOT_EXIST', `No such file or directory: '${route.key}'`);
    return storedObjectResponse(object, {
      'Content-Type': 'application/octet-stream',
      'Content-Disposition': attachmentDisposition(filename ?? posix.basename(route.key)),
    });
  } catch (error) {
    if (error instanceof ArtifactStoreError && error.kind === 'NoSuchUpload') return failure(404, 'RESOURCE_DOES_NOT_EXIST', error.message);
    if (error instanceof MlflowError) return failure(error.httpStatus, error.errorCode, error.message);
    throw error;
  }
}
