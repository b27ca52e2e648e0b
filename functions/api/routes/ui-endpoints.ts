import { Hono } from 'hono';
import type { ArtifactDeps } from '../../../shared/domain/artifacts/artifacts.js';
import { getLoggedModelArtifact, listLoggedModelArtifacts, MAX_UI_UPLOAD_BYTES, uploadRunArtifact } from '../../../shared/domain/artifacts/ui-artifacts.js';
import type { TrackingDeps } from '../../../shared/domain/dependencies.js';
import { getMetricHistoryBulk, searchDatasets } from '../../../shared/domain/tracking/ui-queries.js';
import { invalidParameter } from '../../../shared/errors/index.js';
import { readBodyBytes } from '../../../shared/http/request-params.js';
import { assertSafeFields } from '../../../shared/http/safe-fields.js';
import { fileInfoToJson, metricToJson } from '../../../shared/http/serializers.js';
import { parseRequest } from '../../../shared/http/validate.js';
import * as S from '../../../shared/schemas/ui-endpoints.js';
import { accessOf } from '../auth-context.js';
import { rpc } from '../rpc.js';
import { experimentsVisibleTo } from '../visibility.js';
import { rangeOf, sendDownload } from './artifacts.js';

/**
 * Endpoints MLflow serves for its UI and newer clients (`/ajax-api/2.0/mlflow/...`; mounted with the other
 * `/mlflow` routes, so under `/api` too): metric histories of many runs, the datasets of experiments, a small
 * upload from the browser, and a logged model's artifacts.
 */
export const uiTrackingRoutes = (deps: TrackingDeps) =>
  new Hono()
    .get(
      '/metrics/get-history-bulk',
      rpc(S.GetMetricHistoryBulkRequest, async (input) => {
        const points = await getMetricHistoryBulk(deps, { runIds: input.run_id ?? [], key: input.metric_key, maxResults: input.max_results });
        return { metrics: points.map((point) => metricToJson(point)) };
      }),
    )
    .post(
      '/experiments/search-datasets',
      rpc(S.SearchDatasetsRequest, async (input, c) => {
        // The decision table already needs READ on every id; the filter costs nothing and keeps the answer
        // right should that row become a filtered search.
        const summaries = await searchDatasets(deps, input.experiment_ids ?? [], experimentsVisibleTo(accessOf(c)));
        return {
          dataset_summaries: summaries.length > 0
            ? summaries.map((s) => ({ experiment_id: s.experimentId, name: s.name, digest: s.digest, ...(s.context !== undefined ? { context: s.context } : {}) }))
            : undefined,
        };
      }),
    );

export const uiArtifactRoutes = (tracking: TrackingDeps, artifacts: ArtifactDeps) =>
  new Hono()
    .post('/upload-artifact', async (c) => {
      const input = parseRequest(S.UploadArtifactRequest, assertSafeFields(c.req.query()));
      const length = c.req.header('content-length');
      await uploadRunArtifact(
        tracking,
        artifacts,
        { runId: input.run_uuid, path: input.path, contentLength: length === undefined ? undefined : Number(length) },
        () => readBodyBytes(c, MAX_UI_UPLOAD_BYTES, () => invalidParameter('Artifact size is too large. Max size is 10MB.')),
      );
      // MLflow answers an empty body typed as JSON.
      return c.body(null, 200, { 'Content-Type': 'application/json' });
    })
    .get(
      '/logged-models/:model_id/artifacts/directories',
      rpc(S.ListLoggedModelArtifactsRequest, async (input) => {
        const listing = await listLoggedModelArtifacts(tracking, artifacts, input.model_id, input.artifact_directory_path);
        return {
          root_uri: listing.rootUri,
          files: listing.files.length > 0 ? listing.files.map((f) => fileInfoToJson(f.path, f)) : undefined,
        };
      }),
    )
    .get('/logged-models/:model_id/artifacts/files', async (c) => {
      const input = parseRequest(S.GetLoggedModelArtifactRequest, assertSafeFields({ ...c.req.query(), model_id: c.req.param('model_id') }));
      return sendDownload(c, await getLoggedModelArtifact(tracking, artifacts, input.model_id, input.artifact_file_path, rangeOf(c)));
    });
