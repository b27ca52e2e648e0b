import type { Readable } from 'node:stream';
import type { ByteRange, ByteRangeSpec } from './byte-range.js';

export interface StoredObject {
  body: Readable;
  /** Bytes of the whole object. */
  size: number;
  /** The part of the object `body` holds, when a range was asked and read. */
  range?: ByteRange | 'unsatisfiable';
}

/**
 * Where artifact bytes live. Keys are store-relative, '/'-separated, already validated and normalized
 * (artifact-paths.ts): never empty segments, '..', a leading '/', backslashes or NUL.
 * Two adapters in shared/storage: S3 (AWS) and the local filesystem (`npm start`). Both hand out URLs that let
 * a client move bytes without the API in the path: presigned S3 URLs, or HMAC-signed URLs to the local server.
 */
export interface ArtifactStore {
  /**
   * The longest key (UTF-8 bytes) this store takes: S3's 1024 less its own prefix, or what the local filesystem's
   * PATH_MAX leaves under the store root. Every method refuses other keys with INVALID_PARAMETER_VALUE (checkStoreKey).
   */
  readonly maxKeyBytes: number;
  /** Stores a whole object; overwrites silently, as MLflow does. */
  put(key: string, body: Readable | Uint8Array, options?: { contentType?: string; contentLength?: number }): Promise<void>;
  /**
   * The object's bytes and size, or undefined when there is no object at `key`. With `range`, a store that
   * reads ranges answers `range` resolved against the size, and `body` holds only those bytes (none when
   * unsatisfiable); a store that answers no `range` sent the whole object.
   */
  get(key: string, range?: ByteRangeSpec): Promise<StoredObject | undefined>;
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
