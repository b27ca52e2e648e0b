import { RUN_NAME_TAG, type Run } from '../tracking/entities.js';
import { loggedModelStatusOf } from './logged-models.js';
import { forEachConcurrently } from './concurrency.js';
import type { SourceLoggedModel, SourceMetricPoint, SourceRun } from './source.js';
import { compareField, compareFiles, compareKeyValues, compareMetrics, compareSets, toRecord, type ImportDifference } from './verify-compare.js';
import type { VerifyContext } from './verify-context.js';
import { createMetricDigestBuilder, type MetricDigest } from './verify-digest.js';
import { cairnFiles, sourceFiles } from './verify-files.js';

/**
 * A run and a logged model of the source against Cairn's, by id: what the importer writes (runs.ts,
 * logged-models.ts) is what is expected, so a run name the source gave only as a tag, or a status spelled
 * without MLflow's prefix, is no difference.
 */

const KEYS_AT_ONCE = 4;

export const verifyRun = async (context: VerifyContext, run: SourceRun): Promise<void> => {
  const item = `run ${run.runId}`;
  const cairn = await context.target.tracking.runs.get(run.runId);
  context.counts.runs++;
  if (!cairn) {
    context.report([{ item, aspect: 'the run', source: run.lifecycleStage, cairn: undefined }]);
    return;
  }
  context.roots.add(run.artifactUri, cairn.info.artifactUri);
  const tags = expectedRunTags(run);
  const differences: ImportDifference[] = [
    ...compareField(item, 'experiment', run.experimentId, cairn.info.experimentId),
    ...compareField(item, 'name', run.runName ?? tags[RUN_NAME_TAG] ?? '', cairn.info.runName),
    ...compareField(item, 'user', run.userId ?? '', cairn.info.userId),
    ...compareField(item, 'status', run.status, cairn.info.status),
    ...compareField(item, 'start time', run.startTime ?? 0, cairn.info.startTime),
    ...compareField(item, 'end time', run.endTime, cairn.info.endTime),
    ...compareField(item, 'lifecycle stage', run.lifecycleStage, cairn.info.lifecycleStage),
    ...compareKeyValues(item, 'param', toRecord(run.params), cairn.params),
    ...compareKeyValues(item, 'tag', tags, cairn.tags),
    ...compareSets(item, 'dataset input', run.datasets.map((d) => `${d.name} (${d.digest})`), cairn.datasetInputs.map((d) => `${d.dataset.name} (${d.dataset.digest})`)),
    ...compareSets(item, 'model input', run.modelInputs, cairn.modelInputs.map((m) => m.modelId)),
    ...compareSets(item, 'model output', run.modelOutputs.map(outputName), cairn.modelOutputs.map(outputName)),
    ...(await compareRunMetrics(context, item, run, cairn)),
    ...(await compareOwnerFiles(context, item, run.artifactUri, cairn.info.artifactUri)),
  ];
  context.report(differences);
  context.emit();
};

/** The source's tags, with the name tag the importer adds beside a run's name when the source left it out. */
const expectedRunTags = (run: SourceRun): Record<string, string> => {
  const tags = toRecord(run.tags);
  if (run.runName !== undefined && tags[RUN_NAME_TAG] === undefined) tags[RUN_NAME_TAG] = run.runName;
  return tags;
};

const outputName = (output: { modelId: string; step: number }) => `${output.modelId} at step ${output.step}`;

/** Every key either side has: the source's history read whole, Cairn's read as stored (packed). */
const compareRunMetrics = async (context: VerifyContext, item: string, run: SourceRun, cairn: Run): Promise<ImportDifference[]> => {
  const keys = [...new Set([...run.metricKeys, ...Object.keys(cairn.metrics)])];
  const source = new Map<string, MetricDigest>();
  const target = new Map<string, MetricDigest>();
  await forEachConcurrently(keys, KEYS_AT_ONCE, async (key) => {
    const mine = createMetricDigestBuilder();
    if (run.metricKeys.includes(key)) {
      for await (const page of context.source.metricHistory(run.runId, key)) {
        for (const point of page) mine.add(point.timestamp, point.step, point.value);
      }
    }
    const theirs = createMetricDigestBuilder();
    for (const chunk of await context.target.tracking.metrics.packedHistory(run.runId, key)) theirs.addTriples(chunk.triples, chunk.count);
    const digest = mine.finish();
    source.set(key, digest);
    target.set(key, theirs.finish());
    context.counts.metricPoints += digest.count;
  });
  return compareMetrics(item, source, target);
};

const compareOwnerFiles = async (context: VerifyContext, item: string, sourceRoot: string, cairnRoot: string): Promise<ImportDifference[]> => {
  const theirs = await cairnFiles(context, item, cairnRoot);
  const mine = await sourceFiles(context, sourceRoot);
  return theirs instanceof Map ? compareFiles(item, mine, theirs) : [theirs];
};

export const verifyLoggedModel = async (context: VerifyContext, model: SourceLoggedModel): Promise<void> => {
  const item = `logged model ${model.modelId}`;
  const store = context.target.tracking.loggedModels;
  context.counts.loggedModels++;
  const cairn = await store.get(model.modelId);
  if (!cairn) {
    // Cairn answers no deleted model, only that it existed.
    const existed = await store.exists(model.modelId);
    if (!existed || model.lifecycleStage !== 'deleted') {
      context.report([{ item, aspect: 'the logged model', source: model.lifecycleStage, cairn: existed ? 'deleted' : undefined }]);
    }
    return;
  }
  context.roots.add(model.artifactLocation, cairn.artifactUri);
  context.report([
    ...compareField(item, 'experiment', model.experimentId, cairn.experimentId),
    ...compareField(item, 'name', model.name, cairn.name),
    ...compareField(item, 'status', statusOf(model.status), cairn.status),
    ...compareField(item, 'lifecycle stage', model.lifecycleStage, cairn.lifecycleStage),
    ...compareField(item, 'source run', model.sourceRunId, cairn.sourceRunId),
    ...compareKeyValues(item, 'param', toRecord(model.params), cairn.params),
    ...compareKeyValues(item, 'tag', toRecord(model.tags), cairn.tags),
    ...compareMetrics(item, digestsByKey(model.metrics), digestsByKey(cairn.metrics)),
    ...(await compareOwnerFiles(context, item, model.artifactLocation, cairn.artifactUri)),
  ]);
  context.emit();
};

/** The status as the importer reads it (another value than MLflow's was imported as unspecified, and warned about). */
const statusOf = (status: string) => loggedModelStatusOf(status) ?? 'LOGGED_MODEL_STATUS_UNSPECIFIED';

const digestsByKey = (points: readonly Pick<SourceMetricPoint, 'key' | 'timestamp' | 'step' | 'value'>[]) => {
  const builders = new Map<string, ReturnType<typeof createMetricDigestBuilder>>();
  for (const point of points) {
    const builder = builders.get(point.key) ?? createMetricDigestBuilder();
    builders.set(point.key, builder);
    builder.add(point.timestamp, point.step, point.value);
  }
  return new Map([...builders].map(([key, builder]) => [key, builder.finish()]));
};
