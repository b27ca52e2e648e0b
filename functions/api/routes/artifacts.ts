import { Readable } from 'node:stream';
import { Hono, type Context } from 'hono';
import * as artifacts from '../../../shared/domain/artifacts/artifacts.js';
import { parseRangeHeader } from '../../../shared/domain/artifacts/byte-range.js';
import { attachmentDisposition, storedObjectResponse } from '../../../shared/storage/store-conventions.js';
import { requireOwnerId } from '../../../shared/domain/artifacts/artifact-locations.js';
import { unquotePath } from '../../../shared/domain/artifacts/artifact-paths.js';
import type { TrackingDeps } from '../../../shared/domain/dependencies.js';
import { fileInfoToJson } from '../../../shared/http/serializers.js';
import * as S from '../../../shared/schemas/artifacts.js';
import { GetModelVersionArtifactRequest } from '../../../shared/schemas/registry.js';
import { parseRequest } from '../../../shared/http/validate.js';
import { rpc, runIdOf } from '../rpc.js';

const PROXY = '/api/2.0/mlflow-artifacts';

/**
 * The part of the request path after `prefix`, percent-decoded exactly once, as Werkzeug hands MLflow's handlers
 * their `<path:...>` (a name with a literal `%25` or `%41` in it stays so; the use cases check it, never decode it).
 */
export const pathAfter = (c: Context, prefix: string) => {
  const pathname = new URL(c.req.url).pathname;
  // The /ajax-api twin of a route (the same handlers) has its own prefix: whichever comes first in the path.
  const found = [prefix, prefix.replace(/^\/api\//, '/ajax-api/')]
    .map((candidate) => ({ at: pathname.indexOf(candidate), length: candidate.length }))
    .filter(({ at }) => at >= 0)
    .sort((a, b) => a.at - b.at)[0];
  return found ? unquotePath(pathname.slice(found.at + found.length)) : '';
};

/**
 * The answer to a download: a redirect to a presigned URL (AWS; the browser sends its `Range` again to S3,
 * which answers it), or the bytes (local): the whole file, or the one range asked for (206, or 416).
 */
export const sendDownload = (c: Context, download: artifacts.Download) => {
  if (download.kind === 'redirect') return c.redirect(download.url, 302);
  return storedObjectResponse(download, {
    'Content-Type': download.contentType,
    'Content-Disposition': attachmentDisposition(download.fileName),
    'X-Content-Type-Options': 'nosniff',
  });
};

/** The one byte range the request asks for, if Cairn serves it (byte-range.ts). */
export const rangeOf = (c: Context) => parseRangeHeader(c.req.header('range'));

/** The request body as a stream, so a large upload goes to the store without being held in memory. */
const requestBody = async (c: Context): Promise<Readable | Uint8Array> => {
  const body = c.req.raw.body;
  return body ? Readable.fromWeb(body as import('node:stream/web').ReadableStream) : new Uint8Array();
};

/**
 * MLflow's proxied artifact service (`/api/2.0/mlflow-artifacts/...`), mounted at the app root under both
 * `/api` and `/ajax-api`.
 */
export const artifactProxyRoutes = (tracking: TrackingDeps, deps: artifacts.ArtifactDeps) =>
  new Hono()
    .get(
      '/2.0/mlflow-artifacts/artifacts',
      rpc(S.ListArtifactsRequest, async (input) => {
        const entries = await artifacts.listArtifacts(deps, input.path);
        return { files: entries.length > 0 ? entries.map((e) => fileInfoToJson(e.name, e)) : undefined };
      }),
    )
    .get('/2.0/mlflow-artifacts/artifacts/*', async (c) =>
      sendDownload(c, await artifacts.downloadArtifact(deps, pathAfter(c, `${PROXY}/artifacts/`), rangeOf(c))),
    )
    .put('/2.0/mlflow-artifacts/artifacts/*', async (c) => {
      const length = c.req.header('content-length');
      const contentLength = length === undefined ? undefined : Number(length);
      await artifacts.uploadArtifact(tracking, deps, pathAfter(c, `${PROXY}/artifacts/`), contentLength, () => requestBody(c));
      return c.json({});
    })
    .delete('/2.0/mlflow-artifacts/artifacts/*', async (c) => {
      await artifacts.deleteArtifact(tracking, deps, pathAfter(c, `${PROXY}/artifacts/`));
      return c.json({});
    })
    .post(
      '/2.0/mlflow-artifacts/mpu/create/*',
      rpc(S.CreateMultipartUploadRequest, async (input, c) => {
        const upload = await artifacts.createMultipartUpload(tracking, deps, pathAfter(c, `${PROXY}/mpu/create/`), input.path, input.num_parts);
        return {
          upload_id: upload.uploadId,
          credentials: upload.credentials.map((credential) => ({ url: credential.url, part_number: credential.partNumber, headers: {} })),
        };
      }),
    )
    .post(
      '/2.0/mlflow-artifacts/mpu/complete/*',
      rpc(S.CompleteMultipartUploadRequest, async (input, c) => {
        const parts = input.parts.map((p) => ({ partNumber: p.part_number, etag: p.etag }));
        await artifacts.completeMultipartUpload(tracking, deps, pathAfter(c, `${PROXY}/mpu/complete/`), input.path, input.upload_id, parts);
        return {};
      }),
    )
    .post(
      '/2.0/mlflow-artifacts/mpu/abort/*',
      rpc(S.AbortMultipartUploadRequest, async (input, c) => {
        await artifacts.abortMultipartUpload(deps, pathAfter(c, `${PROXY}/mpu/abort/`), input.path, input.upload_id);
        return {};
      }),
    );

/** Run-scoped artifact RPCs of the tracking service, mounted with the other `/mlflow` routes. */
export const runArtifactRoutes = (tracking: TrackingDeps, deps: artifacts.ArtifactDeps) =>
  new Hono()
    .get(
      '/artifacts/list',
      rpc(S.ListRunArtifactsRequest, async (input) => {
        const listing = await artifacts.listRunArtifacts(tracking, deps, runIdOf(input), input.path);
        return {
          root_uri: listing.rootUri,
          files: listing.files.length > 0 ? listing.files.map((f) => fileInfoToJson(f.path, f)) : undefined,
        };
      }),
    )
    .post(
      '/artifacts/presigned-upload-url',
      rpc(S.PresignedUrlRequest, async (input) => {
        const owner = requireOwnerId(input.run_id, input.model_id);
        const { url } = await artifacts.presignedUploadUrl(tracking, deps, owner, input.path, input.expiration);
        return { presigned_url: url };
      }),
    )
    .post(
      '/artifacts/presigned-download-url',
      rpc(S.PresignedUrlRequest, async (input) => {
        const owner = requireOwnerId(input.run_id, input.model_id);
        const { url, size } = await artifacts.presignedDownloadUrl(tracking, deps, owner, input.path, input.expiration);
        return { presigned_url: url, file_size: size };
      }),
    );

/** `GET /get-artifact?run_id=&path=` and `GET /model-versions/get-artifact?name=&version=&path=` (no /api prefix in MLflow). */
export const getArtifactRoute = (tracking: TrackingDeps, deps: artifacts.ArtifactDeps) =>
  new Hono()
    .get('/get-artifact', async (c) => {
      const input = parseRequest(S.GetRunArtifactRequest, c.req.query());
      return sendDownload(c, await artifacts.getRunArtifact(tracking, deps, runIdOf(input), input.path, rangeOf(c)));
    })
    .get('/model-versions/get-artifact', async (c) => {
      const input = parseRequest(GetModelVersionArtifactRequest, c.req.query());
      return sendDownload(c, await artifacts.getModelVersionArtifact(tracking, deps, input.name, input.version, input.path, rangeOf(c)));
    });
