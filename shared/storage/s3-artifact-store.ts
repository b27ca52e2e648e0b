import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
  type ListObjectsV2CommandOutput,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { ByteRangeSpec } from '../domain/artifacts/byte-range.js';
import { ArtifactStoreError, type ArtifactEntry, type ArtifactStore } from '../domain/artifacts/ports.js';
import { attachmentDisposition, compareEntryNames } from './store-conventions.js';
import { checkStoreKey, MAX_ARTIFACT_KEY_BYTES } from '../domain/artifacts/artifact-paths.js';

export interface S3ClientsOptions {
  /** A local engine (fauxqs, s3rver...). Omitted: AWS, with credentials and region from the environment. */
  endpoint?: string;
  region?: string;
  /** Defaults to true for local endpoints (bucket in the path), to the SDK default for AWS. */
  forcePathStyle?: boolean;
  /** Static credentials; local endpoints default to dummy ones, AWS to the default provider chain. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

export interface S3Clients {
  /** Sends requests; SDK default checksums (CRC32) protect uploads made by the server itself. */
  client: S3Client;
  /**
   * Only presigns. Built with `requestChecksumCalculation: 'WHEN_REQUIRED'`: with the default ('WHEN_SUPPORTED')
   * presigned PutObject/UploadPart URLs carry `x-amz-checksum-crc32=AAAAAA==` (the CRC of an empty body) and
   * `x-amz-sdk-checksum-algorithm`, and real S3 rejects every non-empty upload to them. No emulator notices.
   */
  presignClient: S3Client;
}

const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;
const LOCAL_REGION = 'us-east-1';
const MAX_SOCKETS = 64;
/** Bytes buffered from a stream of unknown length before switching to a multipart upload (S3 minimum is 5 MiB). */
const STREAM_PART_SIZE = 8 * 1024 * 1024;
const DELETE_BATCH = 1000;

function isLocalEndpoint(endpoint: string): boolean {
  const hostname = new URL(endpoint).hostname.toLowerCase();
  return !/(^|\.)(amazonaws\.com|amazonaws\.com\.cn|api\.aws)$/.test(hostname);
}

export function createS3Clients(options: S3ClientsOptions = {}): S3Clients {
  const { endpoint, region, forcePathStyle } = options;
  const local = endpoint !== undefined && isLocalEndpoint(endpoint);
  const credentials = options.credentials ?? (local ? LOCAL_CREDENTIALS : undefined);
  const common = {
    ...(endpoint !== undefined ? { endpoint } : {}),
    ...(credentials !== undefined ? { credentials } : {}),
    ...(local ? { region: region ?? LOCAL_REGION } : region !== undefined ? { region } : {}),
    ...(forcePathStyle !== undefined || local ? { forcePathStyle: forcePathStyle ?? true } : {}),
  };
  const client = new S3Client({
    ...common,
    requestHandler: new NodeHttpHandler({
      httpAgent: new HttpAgent({ keepAlive: true, maxSockets: MAX_SOCKETS }),
      httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets: MAX_SOCKETS }),
      connectionTimeout: 5_000,
    }),
  });
  const presignClient = new S3Client({
    ...common,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  return { client, presignClient };
}

export interface S3ArtifactStoreOptions {
  client: S3Client;
  /** Client used for presigning; defaults to `client` (which must then be built with WHEN_REQUIRED checksums). */
  presignClient?: S3Client;
  bucket: string;
  /** Key prefix inside the bucket, without leading or trailing slashes (they are stripped). */
  prefix?: string;
}

const MAPPED_ERRORS: Record<string, ArtifactStoreError['kind']> = {
  NoSuchUpload: 'NoSuchUpload',
  InvalidPart: 'InvalidPart',
  InvalidPartOrder: 'InvalidPart',
  EntityTooSmall: 'EntityTooSmall',
};

function errorName(error: unknown): string | undefined {
  return error instanceof Error ? ((error as { Code?: string }).Code ?? error.name) : undefined;
}

/** Rethrows S3 errors a caller can act on as ArtifactStoreError; everything else unchanged. */
function mapError(error: unknown): never {
  const kind = MAPPED_ERRORS[errorName(error) ?? ''];
  if (kind !== undefined) throw new ArtifactStoreError(kind, (error as Error).message, { cause: error });
  throw error;
}

/** The one range as S3 takes it (the same header the client sent, normalized). */
const rangeHeader = (range: ByteRangeSpec) =>
  range.kind === 'suffix' ? `bytes=-${range.length}` : `bytes=${range.start}-${range.end ?? ''}`;

/** The range S3 answered (`Content-Range: bytes a-b/size`); undefined when it sent the whole object. */
const partialOf = (contentRange: string | undefined) => {
  const match = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(contentRange ?? '');
  return match ? { size: Number(match[3]), range: { start: Number(match[1]), end: Number(match[2]) } } : undefined;
};

function isNoSuchKey(error: unknown): boolean {
  const name = errorName(error);
  const status = (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
  return name === 'NoSuchKey' || (status === 404 && name !== 'NoSuchBucket');
}

/** Reads up to `size` bytes (fewer only at the end of the stream) from an async iterator of chunks. */
async function readChunk(chunks: AsyncIterator<Buffer | Uint8Array>, carry: Buffer[], size: number): Promise<Buffer> {
  let length = carry.reduce((n, c) => n + c.length, 0);
  while (length < size) {
    const next = await chunks.next();
    if (next.done) break;
    carry.push(Buffer.from(next.value));
    length += next.value.length;
  }
  const all = Buffer.concat(carry.splice(0));
  if (all.length > size) carry.push(all.subarray(size));
  return all.subarray(0, size);
}

export function createS3ArtifactStore(options: S3ArtifactStoreOptions): ArtifactStore {
  const { client, bucket } = options;
  const presignClient = options.presignClient ?? client;
  const prefix = (options.prefix ?? '').replace(/^\/+|\/+$/g, '');
  // S3 counts the store's own prefix in its 1024-byte key limit.
  const maxKeyBytes = MAX_ARTIFACT_KEY_BYTES - (prefix ? Buffer.byteLength(prefix) + 1 : 0);
  /** The object key of a store key; INVALID_PARAMETER_VALUE for a key that breaks the store-key rule. */
  const objectKey = (key: string): string => {
    checkStoreKey(key, maxKeyBytes);
    return prefix ? `${prefix}/${key}` : key;
  };
  const folderPrefix = (key: string): string => (key === '' ? (prefix ? `${prefix}/` : '') : `${objectKey(key)}/`);

  async function* pages(input: { Prefix: string; Delimiter?: string }): AsyncGenerator<ListObjectsV2CommandOutput> {
    let ContinuationToken: string | undefined;
    do {
      const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, ...input, ContinuationToken }));
      yield page;
      ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (ContinuationToken);
  }

  async function putUnknownLength(key: string, body: Readable, contentType: string | undefined): Promise<void> {
    const chunks = body[Symbol.asyncIterator]() as AsyncIterator<Buffer | Uint8Array>;
    const carry: Buffer[] = [];
    const first = await readChunk(chunks, carry, STREAM_PART_SIZE);
    if (first.length < STREAM_PART_SIZE) {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: objectKey(key), Body: first, ContentType: contentType }));
      return;
    }
    const { UploadId } = await client.send(
      new CreateMultipartUploadCommand({ Bucket: bucket, Key: objectKey(key), ContentType: contentType }),
    );
    const parts: { PartNumber: number; ETag: string | undefined }[] = [];
    try {
      for (let part = first; part.length > 0; part = await readChunk(chunks, carry, STREAM_PART_SIZE)) {
        const PartNumber = parts.length + 1;
        const { ETag } = await client.send(
          new UploadPartCommand({ Bucket: bucket, Key: objectKey(key), UploadId, PartNumber, Body: part }),
        );
        parts.push({ PartNumber, ETag });
      }
      await client.send(
        new CompleteMultipartUploadCommand({ Bucket: bucket, Key: objectKey(key), UploadId, MultipartUpload: { Parts: parts } }),
      );
    } catch (error) {
      await client.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: objectKey(key), UploadId })).catch(() => {});
      throw error;
    }
  }

  return {
    maxKeyBytes,

    async put(key, body, putOptions = {}) {
      const { contentType, contentLength } = putOptions;
      // A request body can fail before the SDK listens to it: without a listener that error would crash the process.
      if (body instanceof Readable) body.on('error', () => {});
      if (body instanceof Readable && contentLength === undefined) return putUnknownLength(key, body, contentType);
      await client.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: objectKey(key),
          Body: body,
          ContentType: contentType,
          ContentLength: contentLength ?? (body as Uint8Array).byteLength,
        }),
      );
    },

    async get(key, range) {
      try {
        const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: objectKey(key), Range: range && rangeHeader(range) }));
        const body = response.Body instanceof Readable ? response.Body : Readable.from([]);
        const partial = range ? partialOf(response.ContentRange) : undefined;
        return partial ? { body, ...partial } : { body, size: response.ContentLength ?? 0 };
      } catch (error) {
        if (isNoSuchKey(error)) return undefined;
        if (range && errorName(error) === 'InvalidRange') {
          // S3 says only that the range is unsatisfiable; the 416 answer needs the size too.
          const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: objectKey(key) }));
          return { body: Readable.from([]), size: head.ContentLength ?? 0, range: 'unsatisfiable' as const };
        }
        throw error;
      }
    },

    async list(folder) {
      const listPrefix = folderPrefix(folder);
      const entries: ArtifactEntry[] = [];
      for await (const page of pages({ Prefix: listPrefix, Delimiter: '/' })) {
        for (const object of page.Contents ?? []) {
          const name = (object.Key ?? '').slice(listPrefix.length);
          if (name !== '') entries.push({ name, isDir: false, size: object.Size ?? 0 });
        }
        for (const common of page.CommonPrefixes ?? []) {
          const name = (common.Prefix ?? '').slice(listPrefix.length, -1);
          if (name !== '') entries.push({ name, isDir: true });
        }
      }
      return entries.sort(compareEntryNames);
    },

    async delete(key) {
      // objectKey refuses '' (the whole store) before anything is deleted.
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: objectKey(key) }));
      for await (const page of pages({ Prefix: folderPrefix(key) })) {
        const keys = (page.Contents ?? []).flatMap((object) => (object.Key ? [{ Key: object.Key }] : []));
        for (let start = 0; start < keys.length; start += DELETE_BATCH) {
          const { Errors } = await client.send(
            new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys.slice(start, start + DELETE_BATCH), Quiet: true } }),
          );
          const first = Errors?.[0];
          if (first) throw new Error(`S3 DeleteObjects failed for ${Errors.length} key(s), first ${first.Key}: ${first.Code} ${first.Message}`);
        }
      }
    },

    async presignGet(key, expiresIn, getOptions = {}) {
      const { filename, contentType } = getOptions;
      const command = new GetObjectCommand({
        Bucket: bucket,
        Key: objectKey(key),
        ...(filename !== undefined ? { ResponseContentDisposition: attachmentDisposition(filename) } : {}),
        // Objects are stored as uploaded; the download answers with the type MLflow would give it.
        ...(contentType !== undefined ? { ResponseContentType: contentType } : {}),
      });
      return getSignedUrl(presignClient, command, { expiresIn });
    },

    async presignPut(key, expiresIn) {
      return getSignedUrl(presignClient, new PutObjectCommand({ Bucket: bucket, Key: objectKey(key) }), { expiresIn });
    },

    async createMultipartUpload(key) {
      const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: objectKey(key) }));
      if (!UploadId) throw new Error('S3 CreateMultipartUpload returned no UploadId');
      return UploadId;
    },

    async presignUploadParts(key, uploadId, parts, expiresIn) {
      const numbers = Array.from({ length: parts }, (_, i) => i + 1);
      return Promise.all(
        numbers.map((PartNumber) =>
          getSignedUrl(presignClient, new UploadPartCommand({ Bucket: bucket, Key: objectKey(key), UploadId: uploadId, PartNumber }), {
            expiresIn,
          }),
        ),
      );
    },

    async completeMultipartUpload(key, uploadId, parts) {
      const sorted = [...parts].sort((a, b) => a.partNumber - b.partNumber);
      const Parts = sorted.map(({ partNumber, etag }) => ({ PartNumber: partNumber, ETag: etag }));
      await client
        .send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: objectKey(key), UploadId: uploadId, MultipartUpload: { Parts } }))
        .catch(mapError);
    },

    async abortMultipartUpload(key, uploadId) {
      try {
        await client.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: objectKey(key), UploadId: uploadId }));
      } catch (error) {
        if (errorName(error) !== 'NoSuchUpload') throw error;
      }
    },
  };
}
