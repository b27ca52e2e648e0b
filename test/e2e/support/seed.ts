import { gradientPng } from './png.js';

/** Talks to a running Cairn as the MLflow client does (JSON over HTTP), to seed what the browser then shows. */
export const api = (baseUrl: string) => {
  const call = async <T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> => {
    const url = new URL(`${baseUrl}/api/2.0/mlflow/${path}`);
    if (method === 'GET' && body) for (const [k, v] of Object.entries(body)) url.searchParams.set(k, String(v));
    const response = await fetch(url, {
      method,
      headers: { 'content-type': 'application/json' },
      body: method === 'POST' ? JSON.stringify(body ?? {}) : undefined,
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return (text ? JSON.parse(text) : {}) as T;
  };
  return {
    get: <T>(path: string, query?: Record<string, string>) => call<T>('GET', path, query),
    post: <T>(path: string, body: unknown) => call<T>('POST', path, body),
    /** The raw answer, for comparing the UI with what the server says. */
    raw: (path: string, body: unknown) =>
      fetch(`${baseUrl}/api/2.0/mlflow/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    putArtifact: async (artifactUri: string, path: string, bytes: Uint8Array | string) => {
      const root = artifactUri.replace(/^mlflow-artifacts:\/+/, '');
      const response = await fetch(`${baseUrl}/api/2.0/mlflow-artifacts/artifacts/${root}/${path}`, {
        method: 'PUT',
        body: typeof bytes === 'string' ? bytes : new Uint8Array(bytes),
      });
      if (!response.ok) throw new Error(`PUT ${path}: ${response.status} ${await response.text()}`);
    },
  };
};

export interface SeededRun {
  runId: string;
  name: string;
  acc: number;
}

export interface Seed {
  experimentId: string;
  experimentName: string;
  runs: SeededRun[];
  /** The run with artifacts (the first one). */
  main: SeededRun;
  childId: string;
  metricsJson: string;
}

export const MLMODEL = `artifact_path: model
flavors:
  python_function:
    env:
      conda: conda.yaml
    loader_module: mlflow.sklearn
    python_version: 3.11.4
  sklearn:
    pickled_model: model.pkl
    sklearn_version: 1.3.0
mlflow_version: 2.9.2
model_uuid: 5b1c0e7c0f5b4f7d9a3f3a6f7f0d1e2a
run_id: RUN_ID
signature:
  inputs: '[{"type": "double", "name": "x"}, {"type": "double", "name": "y"}]'
  outputs: '[{"type": "long"}]'
utc_time_created: '2026-12-01 10:00:00.000000'
`;

/** An experiment of eight runs (one with a child) with params, metric histories, tags and artifacts. */
export const seedExperiment = async (baseUrl: string, name = `e2e-${Date.now()}`): Promise<Seed> => {
  const client = api(baseUrl);
  const { experiment_id: experimentId } = await client.post<{ experiment_id: string }>('experiments/create', { name });
  await client.post('experiments/set-experiment-tag', { experiment_id: experimentId, key: 'mlflow.note.content', value: 'Vision baselines for the e2e test.' });
  await client.post('experiments/set-experiment-tag', { experiment_id: experimentId, key: 'team', value: 'vision' });
  const runs: SeededRun[] = [];
  const start = Date.UTC(2026, 11, 1, 9, 0, 0);
  for (let i = 0; i < 8; i++) {
    const runName = `run-${String(i + 1).padStart(2, '0')}`;
    const { run } = await client.post<{ run: { info: { run_id: string; artifact_uri: string } } }>('runs/create', {
      experiment_id: experimentId,
      run_name: runName,
      start_time: start + i * 60_000,
      tags: [
        { key: 'mlflow.user', value: i % 2 ? 'ada' : 'grace' },
        { key: 'mlflow.source.name', value: 'train.py' },
        { key: 'mlflow.source.git.commit', value: `${i}f3e9a1c5d7b2e4f6a8c0d1e3f5a7b9c1d3e5f7a9` },
      ],
    });
    const acc = Number((0.6 + i * 0.05).toFixed(2));
    const metrics = Array.from({ length: 30 }, (_, step) => ({
      key: 'loss',
      value: Number((2 / (step + 1 + i) + (step === 17 ? 1.5 : 0)).toFixed(4)),
      timestamp: start + i * 60_000 + step * 1000,
      step,
    }));
    metrics.push({ key: 'acc', value: acc, timestamp: start + i * 60_000 + 31_000, step: 30 });
    await client.post('runs/log-batch', {
      run_id: run.info.run_id,
      metrics,
      params: [
        { key: 'lr', value: String(0.1 / (i + 1)) },
        { key: 'batch_size', value: String(32 * (1 + (i % 3))) },
        { key: 'model', value: i % 2 ? 'resnet' : 'vit' },
      ],
      tags: [{ key: 'team', value: 'vision' }],
    });
    await client.post('runs/update', { run_id: run.info.run_id, status: 'FINISHED', end_time: start + i * 60_000 + 45_000 + i * 5000 });
    runs.push({ runId: run.info.run_id, name: runName, acc });
  }
  const main = runs[0]!;
  const { run: child } = await client.post<{ run: { info: { run_id: string } } }>('runs/create', {
    experiment_id: experimentId,
    run_name: 'fold-1',
    start_time: start + 30_000,
    tags: [{ key: 'mlflow.parentRunId', value: main.runId }],
  });
  await client.post('runs/update', { run_id: child.info.run_id, status: 'FINISHED', end_time: start + 40_000 });

  const { run: full } = await client.get<{ run: { info: { artifact_uri: string } } }>('runs/get', { run_id: main.runId });
  const metricsJson = JSON.stringify({ accuracy: main.acc, confusion: [[50, 2], [3, 45]], classes: { cat: 0, dog: 1 } }, null, 2);
  await client.putArtifact(full.info.artifact_uri, 'plots/roc.png', gradientPng(240, 160));
  await client.putArtifact(full.info.artifact_uri, 'metrics.json', metricsJson);
  await client.putArtifact(full.info.artifact_uri, 'model/MLmodel', MLMODEL.replace('RUN_ID', main.runId));
  await client.putArtifact(full.info.artifact_uri, 'model/conda.yaml', 'name: env\ndependencies:\n  - python=3.11\n  - pip:\n    - scikit-learn==1.3.0\n');
  await client.putArtifact(full.info.artifact_uri, 'data/sample.csv', 'x,y,label\n1.0,2.0,cat\n3.5,"4,5",dog\n');
  await client.putArtifact(full.info.artifact_uri, 'report.html', '<h1>Report</h1><p>All good.</p><script>parent.document.title="pwned"</script>');
  await client.putArtifact(full.info.artifact_uri, 'train.log', Array.from({ length: 20000 }, (_, i) => `step ${i} loss ${(1 / (i + 1)).toFixed(6)}`).join('\n'));
  return { experimentId, experimentName: name, runs, main, childId: child.info.run_id, metricsJson };
};
