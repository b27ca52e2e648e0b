import { Hono } from 'hono';
import type { z } from 'zod';
import type { MetricPoint } from '../../../shared/domain/tracking/entities.js';
import type { TrackingPorts } from '../../../shared/domain/tracking/ports.js';
import * as logging from '../../../shared/domain/tracking/run-logging.js';
import { searchRuns } from '../../../shared/domain/tracking/run-search.js';
import * as runs from '../../../shared/domain/tracking/runs.js';
import { runInfoToJson, runToJson } from '../../../shared/http/serializers.js';
import * as S from '../../../shared/schemas/tracking.js';
import { BODY_LIMITS } from '../../../shared/http/request-params.js';
import { accessOf } from '../auth-context.js';
import { recordedUser, userTagValue, withRecordedUserTag, withUserTagOfCaller } from '../recorded-user.js';
import { keyValues, rpc, runIdOf, searchRunsRequestOf } from '../rpc.js';
import { experimentsVisibleTo } from '../visibility.js';

/** log-batch and log-inputs carry the largest legitimate bodies of the API. */
const batchBody = { maxBodyBytes: BODY_LIMITS.batch };

const done = {};

/** A metric as the wire carries it; empty model and dataset fields mean none, as in proto JSON. */
const metricFromWire = (m: z.output<typeof S.WireMetric>): MetricPoint => ({
  key: m.key,
  value: m.value,
  timestamp: m.timestamp,
  step: m.step ?? 0,
  modelId: m.model_id || undefined,
  datasetName: m.dataset_name || undefined,
  datasetDigest: m.dataset_digest || undefined,
});

export const runRoutes = (deps: TrackingPorts) =>
  new Hono()
    .post(
      '/runs/create',
      rpc(S.CreateRunRequest, async (input, c) => {
        const access = accessOf(c);
        const run = await runs.createRun(deps, {
          experimentId: input.experiment_id,
          userId: recordedUser(access, input.user_id),
          runName: input.run_name,
          startTime: input.start_time,
          tags: withRecordedUserTag(access, keyValues(input.tags)),
        });
        // MLflow's CreateRun answer has no `outputs`, unlike GetRun's.
        const { outputs: _, ...json } = runToJson(run);
        return { run: json };
      }),
    )
    .get('/runs/get', rpc(S.RunIdRequest, async (input) => ({ run: runToJson(await runs.requireRun(deps, runIdOf(input))) })))
    .post(
      '/runs/update',
      rpc(S.UpdateRunRequest, async (input) => ({
        run_info: runInfoToJson(
          await runs.updateRun(deps, runIdOf(input), { status: input.status, endTime: input.end_time, runName: input.run_name }),
        ),
      })),
    )
    .post('/runs/delete', rpc(S.RunIdRequest, async (input) => (await runs.deleteRun(deps, runIdOf(input)), done)))
    .post('/runs/restore', rpc(S.RunIdRequest, async (input) => (await runs.restoreRun(deps, runIdOf(input)), done)))
    .post(
      '/runs/set-tag',
      rpc(S.SetTagRequest, async (input, c) => {
        await runs.setRunTag(deps, runIdOf(input), input.key, userTagValue(accessOf(c), input.key, input.value ?? ''));
        return done;
      }),
    )
    .post(
      '/runs/delete-tag',
      rpc(S.DeleteTagRequest, async (input) => (await runs.deleteRunTag(deps, runIdOf(input), input.key), done)),
    )
    .post(
      '/runs/log-parameter',
      rpc(S.LogParamRequest, async (input) => (await logging.logParam(deps, runIdOf(input), input.key, input.value ?? ''), done)),
    )
    .post(
      '/runs/log-metric',
      rpc(S.LogMetricRequest, async (input) => {
        await logging.logMetric(deps, runIdOf(input), metricFromWire(input));
        return done;
      }),
    )
    .post(
      '/runs/log-batch',
      rpc(S.LogBatchRequest, async (input, c) => {
        await logging.logBatch(deps, input.run_id, {
          metrics: (input.metrics ?? []).map(metricFromWire),
          params: keyValues(input.params),
          tags: withUserTagOfCaller(accessOf(c), keyValues(input.tags)),
        });
        return done;
      }, batchBody),
    )
    .post(
      '/runs/log-inputs',
      rpc(S.LogInputsRequest, async (input) => {
        const datasets = (input.datasets ?? []).map((d) => ({
          tags: keyValues(d.tags),
          dataset: {
            name: d.dataset.name,
            digest: d.dataset.digest,
            sourceType: d.dataset.source_type,
            source: d.dataset.source,
            schema: d.dataset.schema,
            profile: d.dataset.profile,
          },
        }));
        await logging.logInputs(deps, input.run_id, datasets, (input.models ?? []).map((m) => m.model_id));
        return done;
      }, batchBody),
    )
    .post(
      '/runs/outputs',
      rpc(S.LogOutputsRequest, async (input) => {
        await logging.logOutputs(deps, input.run_id, input.models.map((m) => ({ modelId: m.model_id, step: m.step ?? 0 })));
        return done;
      }),
    )
    .post(
      '/runs/search',
      rpc(S.SearchRunsRequest, async (input, c) => {
        const { page, nextPageToken } = await searchRuns(deps, searchRunsRequestOf(input), experimentsVisibleTo(accessOf(c)));
        return { runs: page.length > 0 ? page.map(runToJson) : undefined, next_page_token: nextPageToken };
      }),
    );
