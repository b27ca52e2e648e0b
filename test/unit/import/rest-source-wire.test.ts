import { describe, expect, it } from 'vitest';
import { createRestSource } from '../../../functions/import/rest-source.js';
import { ownerFromUri, proxiedRouteOf, routeOf } from '../../../functions/import/rest/artifact-routes.js';
import { nameClause } from '../../../functions/import/rest/registry.js';
import { parseExperiment, parseMetric, parseModelVersion, parseRun } from '../../../functions/import/rest/wire.js';

/**
 * The REST source's pieces that a Cairn server never exercises: JSON as other MLflow servers and proxies write
 * it (int64 as strings, enums by number), how artifact roots map to URLs, filters for awkward names, and
 * servers older than the endpoints the source prefers (a fake answers for them: no engine here can be one).
 */

const RUN_ID = '0123456789abcdef0123456789abcdef';
const MODEL_ID = 'm-0123456789abcdef0123456789abcdef';

const all = async <T>(items: AsyncIterable<T>): Promise<T[]> => {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
};

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('reading MLflow JSON', () => {
  it('takes int64 as numbers or strings, doubles as "NaN"/"Infinity", enums by name or number', () => {
    // Act
    const run = parseRun({
      info: { run_uuid: RUN_ID, experiment_id: 7, status: 3, start_time: '1700000000000', end_time: '0', lifecycle_stage: 'deleted' },
      data: { metrics: [{ key: 'a', value: 1 }, { key: 'a', value: 2 }, { key: 'b', value: 'NaN' }] },
    });
    const points = [
      { key: 'a', value: 'NaN', timestamp: '1700000000001', step: '-3' },
      { key: 'a', value: 'Infinity', timestamp: 1, step: 0 },
      { key: 'a', value: '-Infinity', timestamp: 2 },
      { key: 'a', value: '1e308', timestamp: 3, step: '9007199254740991' },
    ].map(parseMetric);

    // Assess
    expect(run).toMatchObject({ runId: RUN_ID, experimentId: '7', status: 'FINISHED', startTime: 1_700_000_000_000, lifecycleStage: 'deleted', metricKeys: ['a', 'b'] });
    expect(run.endTime).toBeUndefined();
    expect(points).toEqual([
      { key: 'a', value: Number.NaN, timestamp: 1_700_000_000_001, step: -3 },
      { key: 'a', value: Infinity, timestamp: 1, step: 0 },
      { key: 'a', value: -Infinity, timestamp: 2, step: 0 },
      { key: 'a', value: 1e308, timestamp: 3, step: Number.MAX_SAFE_INTEGER },
    ]);
  });

  it('reads proto2 defaults: a run without status is RUNNING, a version without stage is "None", "" is no description', () => {
    // Act
    const run = parseRun({ info: { run_id: RUN_ID, experiment_id: '1' } });
    const version = parseModelVersion({ version: '12', source: `models:/${MODEL_ID}`, description: '', run_link: '', status: 3 });

    // Assess
    expect(run).toMatchObject({ status: 'RUNNING', params: [], tags: [], metricKeys: [], datasets: [], modelInputs: [], modelOutputs: [] });
    expect(version).toEqual({
      version: 12,
      creationTimestamp: 0,
      lastUpdatedTimestamp: 0,
      currentStage: 'None',
      source: `models:/${MODEL_ID}`,
      status: 'READY',
      modelId: MODEL_ID,
      tags: [],
      deleted: false,
    });
  });

  it('refuses values that are not what MLflow writes', () => {
    // Act + Assess
    expect(() => parseMetric({ key: 'a', value: 'lots', timestamp: 1 })).toThrow(/metric a value/u);
    expect(() => parseMetric({ key: 'a', value: 1, timestamp: '1.5' })).toThrow(/timestamp/u);
    expect(() => parseRun({ info: { run_id: RUN_ID, experiment_id: '1', status: 'PAUSED' } })).toThrow(/run status/u);
    expect(() => parseExperiment({ name: 'no id' })).toThrow(/experiment_id/u);
  });
});

describe('artifact roots to URLs', () => {
  it('resolves mlflow-artifacts: roots as MLflow\'s client does, keeping the tracking path prefix', () => {
    // Act + Assess
    expect(proxiedRouteOf(`mlflow-artifacts:/1/${RUN_ID}/artifacts`, 'https://mlflow.example.com/prod')).toEqual({
      kind: 'proxied',
      base: 'https://mlflow.example.com/prod/api/2.0/mlflow-artifacts/artifacts',
      rootPath: `1/${RUN_ID}/artifacts`,
    });
    expect(proxiedRouteOf('mlflow-artifacts://other:5000/1/models/x/artifacts/', 'http://h:5000')).toEqual({
      kind: 'proxied',
      base: 'http://other:5000/api/2.0/mlflow-artifacts/artifacts',
      rootPath: '1/models/x/artifacts',
    });
    expect(proxiedRouteOf('mlflow-artifacts:/', 'http://h:5000')).toMatchObject({ rootPath: '' });
    expect(proxiedRouteOf('http://s:5000/p/api/2.0/mlflow-artifacts/artifacts/1/a%20b', 'http://h:5000')).toEqual({
      kind: 'proxied',
      base: 'http://s:5000/p/api/2.0/mlflow-artifacts/artifacts',
      rootPath: '1/a b',
    });
    expect(proxiedRouteOf(`s3://bucket/mlruns/1/${RUN_ID}/artifacts`, 'http://h:5000')).toBeUndefined();
  });

  it('reads other roots through their owner, known or read from MLflow\'s layout', () => {
    // Act + Assess
    expect(ownerFromUri(`s3://bucket/1/${RUN_ID}/artifacts`)).toEqual({ kind: 'run', runId: RUN_ID });
    expect(ownerFromUri(`gs://b/1/models/${MODEL_ID}/artifacts/`)).toEqual({ kind: 'model', modelId: MODEL_ID });
    expect(routeOf('s3://bucket/custom', 'http://h', { kind: 'run', runId: RUN_ID }, 'auto')).toEqual({ kind: 'run', runId: RUN_ID });
    expect(routeOf(`mlflow-artifacts:/1/${RUN_ID}/artifacts`, 'http://h', undefined, 'owner')).toEqual({ kind: 'run', runId: RUN_ID });
    expect(() => routeOf('s3://bucket/experiment-root', 'http://h', undefined, 'auto')).toThrow(/cannot be read through the MLflow server/u);
  });
});

describe('filters for registered model names', () => {
  it('quotes a name in the quotes it lacks, and matches loosely (then exactly) when it has both', () => {
    // Act + Assess
    expect(nameClause('plain')).toEqual({ clause: "name = 'plain'", exact: true });
    expect(nameClause("o'neil")).toEqual({ clause: `name = "o'neil"`, exact: true });
    expect(nameClause(`it's "x"`)).toEqual({ clause: `name LIKE 'it_s "x"'`, exact: false });
    expect(nameClause('a\\b')).toEqual({ clause: "name LIKE 'a_b'", exact: false });
  });
});

describe('servers older than the endpoints the source prefers', () => {
  it('lists experiments with experiments/list where experiments/search does not exist (MLflow < 1.28)', async () => {
    // Prepare
    const asked: string[] = [];
    const oldServer: typeof fetch = async (input) => {
      const url = String(input);
      asked.push(url.replace(/^http:\/\/old:5000/u, ''));
      if (url.includes('/experiments/search')) return new Response('<h1>Not Found</h1>', { status: 404 });
      return json({ experiments: [{ experiment_id: '0', name: 'Default', lifecycle_stage: 'active', artifact_location: './mlruns/0' }] });
    };

    // Act
    const experiments = await all(createRestSource({ url: 'http://old:5000/', fetch: oldServer }).experiments());

    // Assess
    expect(experiments.map((e) => e.name)).toEqual(['Default']);
    expect(asked).toEqual(['/api/2.0/mlflow/experiments/search', '/api/2.0/mlflow/experiments/list?view_type=ALL&max_results=1000']);
  });

  it('has no logged models without logged-models/search, and no prompts where the tag filter is refused', async () => {
    // Prepare
    const oldServer: typeof fetch = async (input) => {
      const url = decodeURIComponent(String(input));
      if (url.includes('/logged-models/search')) return new Response('<h1>Not Found</h1>', { status: 404 });
      if (url.includes('/registered-models/search') && url.includes('mlflow.prompt.is_prompt')) {
        return json({ error_code: 'INVALID_PARAMETER_VALUE', message: 'Invalid attribute key' }, 400);
      }
      if (url.includes('/registered-models/search')) return json({ registered_models: [{ name: 'm', creation_timestamp: '5' }] });
      if (url.includes('/model-versions/search')) return json({ model_versions: [{ name: 'm', version: '1', source: 's3://b/m', current_stage: 'Staging' }] });
      return new Response('unexpected', { status: 500 });
    };
    const source = createRestSource({ url: 'http://old:5000', fetch: oldServer });

    // Act
    const models = await all(source.loggedModels('0'));
    const registered = await all(source.registeredModels());

    // Assess
    expect(models).toEqual([]);
    expect(registered).toMatchObject([{ name: 'm', creationTimestamp: 5, versions: [{ version: 1, currentStage: 'Staging', source: 's3://b/m' }] }]);
  });

  it('takes credentials out of the URL into a Basic header, and leaves them out of the description', async () => {
    // Prepare
    let authorization: string | null = null;
    const server: typeof fetch = async (_input, init) => {
      authorization = new Headers(init?.headers).get('authorization');
      return json({});
    };

    // Act
    const source = createRestSource({ url: 'https://ann:p%40ss@mlflow.example.com/x/', fetch: server });
    await all(source.experiments());

    // Assess
    expect(source.description).toBe('MLflow server https://mlflow.example.com/x');
    expect(authorization).toBe(`Basic ${Buffer.from('ann:p@ss').toString('base64')}`);
  });
});
