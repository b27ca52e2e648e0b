import type { Readable } from 'node:stream';

/**
 * Where artifact bytes live. Keys are store-relative, '/'-separated, already validated and normalized
 * (shared/storage/artifact-paths.ts): never empty segments, '..', a leading '/', backslashes or NUL.
 * Two adapters: S3 (AWS) and the local filesystem (`npm start`). Both hand out URLs that let a client move
 * bytes without the API in the path: presigned S3 URLs, or HMAC-signed URLs to the local server itself.
 */
export interface ArtifactStore {
  /**
   * The longest key (UTF-8 bytes) this store takes: S3's 1024 less its own prefix, or what the local filesystem's
   * PATH_MAX leaves under the store root. Every method refuses other keys with INVALID_PARAMETER_VALUE (checkStoreKey).
   */
  readonly maxKeyBytes: number;
  /** Stores a whole object; overwrites silently, as MLflow does. */
  put(key: string, body: Readable | Uint8Array, options?: { contentType?: string; contentLength?: number }): Promise<void>;
  /** The object's bytes and size, or undefined when there is no object at `key`. */
  get(key: string): Promise<{ body: Readable; size: number } | undefined>;
  /**
   * Immediate children of the folder `prefix` ('' for the root): files with their size, and folders,
   * including folders that hold only folders. Sorted by name. A missing folder, or a key that is a file,
   * lists nothing.
   */
  list(prefix: string): Promise<ArtifactEntry[]>;
  /** Deletes the object at `key` and everything under `key/`. */
  delete(key: string): Promise<void>;

  /** A URL that reads `key` with a plain GET, valid for `expiresInSeconds`. */
  presignGet(key: string, expiresInSeconds: number, options?: { filename?: string; contentType?: string }): Promise<string>;
  /** A URL that writes `key` with a plain PUT of the whole body, valid for `expiresInSeconds`. */
  presignPut(key: string, expiresInSeconds: number): Promise<string>;

  createMultipartUpload(key: string): Promise<string>;
  /** One URL per part, part numbers 1..parts, each a plain PUT of that part's bytes answering an ETag. */
  presignUploadParts(key: string, uploadId: string, parts: number, expiresInSeconds: number): Promise<string[]>;
  completeMultipartUpload(key: string, uploadId: string, parts: { partNumber: number; etag: string }[]): Promise<void>;
  abortMultipartUpload(key: string, uploadId: string): Promise<void>;
}

export interface ArtifactEntry {
  /** The child's name, relative to the listed folder. */
  name: string;
  isDir: boolean;
  /** Bytes, for files. */
  size?: number;
}

/** A store error a caller can act on (a missing upload, a part that does not match); anything else is a bug or an outage. */
export class ArtifactStoreError extends Error {
  override readonly name = 'ArtifactStoreError';
  constructor(
    readonly kind: 'NoSuchUpload' | 'InvalidPart' | 'EntityTooSmall' | 'InvalidSignature' | 'Expired',
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/**
 * `Content-Disposition` for a download named `filename`: `attachment; filename="<ASCII fallback>"` plus an RFC 5987
 * `filename*` for the exact UTF-8 name, so spaces, quotes and non-ASCII names survive as one valid header value.
 */
export function attachmentDisposition(filename: string): string {
  const fallback = filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
  const exact = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${exact}`;
}

/** Listing order of both adapters: by the UTF-8 bytes of the name, as S3 orders keys. */
export function compareEntryNames(a: ArtifactEntry, b: ArtifactEntry): number {
  return Buffer.compare(Buffer.from(a.name, 'utf8'), Buffer.from(b.name, 'utf8'));
}
