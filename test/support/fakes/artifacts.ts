import { Readable } from 'node:stream';
import { ArtifactStoreError, type ArtifactEntry, type ArtifactStore } from '../../../shared/domain/artifacts/ports.js';
import { checkStoreKey, MAX_ARTIFACT_KEY_BYTES } from '../../../shared/domain/artifacts/artifact-paths.js';

/**
 * An ArtifactStore in memory, with the adapters' rules: every key passes checkStoreKey, listings show direct
 * children sorted by name (folders holding only folders too), a multipart upload completes only with its own
 * id and its parts' ETags. URLs are `memory://` strings that name the key and expiry, so a test can read them.
 */
export const memoryArtifactStore = (maxKeyBytes = MAX_ARTIFACT_KEY_BYTES) => {
  const objects = new Map<string, Uint8Array>();
  const uploads = new Map<string, { key: string; parts: Map<number, Uint8Array> }>();
  let uploadCount = 0;
  const checked = (key: string, allowRoot = false) => checkStoreKey(key, maxKeyBytes, allowRoot);
  const bytesOf = async (body: Readable | Uint8Array) => {
    if (body instanceof Uint8Array) return body;
    const chunks: Buffer[] = [];
    for await (const chunk of body) chunks.push(Buffer.from(chunk as Uint8Array));
    return new Uint8Array(Buffer.concat(chunks));
  };
  const requireUpload = (key: string, uploadId: string) => {
    const upload = uploads.get(uploadId);
    if (!upload || upload.key !== key) throw new ArtifactStoreError('NoSuchUpload', uploadId);
    return upload;
  };

  const store: ArtifactStore = {
    maxKeyBytes,
    async put(key, body) {
      objects.set(checked(key), await bytesOf(body));
    },
    async get(key) {
      const bytes = objects.get(checked(key));
      return bytes && { body: Readable.from([Buffer.from(bytes)]), size: bytes.byteLength };
    },
    async list(prefix) {
      const folder = checked(prefix, true);
      const start = folder === '' ? '' : `${folder}/`;
      const children = new Map<string, ArtifactEntry>();
      for (const [key, bytes] of objects) {
        if (!key.startsWith(start)) continue;
        const [name = '', ...rest] = key.slice(start.length).split('/');
        children.set(name, rest.length > 0 ? { name, isDir: true } : { name, isDir: false, size: bytes.byteLength });
      }
      return [...children.values()].sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)));
    },
    async delete(key) {
      const target = checked(key);
      for (const stored of [...objects.keys()]) if (stored === target || stored.startsWith(`${target}/`)) objects.delete(stored);
    },
    async presignGet(key, expiresInSeconds) {
      return `memory://get/${checked(key)}?expires=${expiresInSeconds}`;
    },
    async presignPut(key, expiresInSeconds) {
      return `memory://put/${checked(key)}?expires=${expiresInSeconds}`;
    },
    async createMultipartUpload(key) {
      const uploadId = `upload-${++uploadCount}`;
      uploads.set(uploadId, { key: checked(key), parts: new Map() });
      return uploadId;
    },
    async presignUploadParts(key, uploadId, parts, expiresInSeconds) {
      requireUpload(checked(key), uploadId);
      return Array.from({ length: parts }, (_, i) => `memory://part/${uploadId}/${i + 1}?expires=${expiresInSeconds}`);
    },
    async completeMultipartUpload(key, uploadId, parts) {
      const upload = requireUpload(checked(key), uploadId);
      const bytes = parts.map(({ partNumber, etag }) => {
        const part = upload.parts.get(partNumber);
        if (!part || etag !== `etag-${partNumber}`) throw new ArtifactStoreError('InvalidPart', `part ${partNumber} does not match`);
        return part;
      });
      objects.set(upload.key, new Uint8Array(Buffer.concat(bytes)));
      uploads.delete(uploadId);
    },
    async abortMultipartUpload(key, uploadId) {
      requireUpload(checked(key), uploadId);
      uploads.delete(uploadId);
    },
  };

  /** What a client does with a part URL: stores the part and answers its ETag. */
  const uploadPart = (uploadId: string, partNumber: number, bytes: Uint8Array) => {
    const upload = uploads.get(uploadId);
    if (!upload) throw new Error(`no upload ${uploadId}`);
    upload.parts.set(partNumber, bytes);
    return `etag-${partNumber}`;
  };

  return { store, objects, uploadPart };
};
