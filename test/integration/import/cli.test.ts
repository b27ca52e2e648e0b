/**
 * `npm run import` end to end (issue 15), as a child process the way a user runs it: from an mlruns folder of
 * MLflow's file-store layout into a fresh data folder, `--verify` agreeing and then naming differences planted
 * through the repositories; into a running `npm start` with authorization over the discovery endpoint, read back
 * through its REST API by the old ids.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalServer, type LocalServer } from '../../../functions/local/server.js';
import { ENGINE_RECORD_FILE } from '../../../shared/local/engine-record.js';
import { writeTemporaryMlruns, type WrittenMlruns } from '../../support/mlruns-fixture/harness.js';
import { BASE_TIME, LONG_HISTORY_POINTS, RICH_IDS } from '../../support/mlruns-fixture/rich.js';
import { basicAuth, repositoriesOf, runCli } from './cli-harness.js';

/** Points of the experiment with the long history, and of the whole folder (one more in Default). */
const EXPERIMENT_POINTS = LONG_HISTORY_POINTS + 8 + 2 + 1;
const ALL_POINTS = EXPERIMENT_POINTS + 1;
const EXPERIMENT = '418327502894961023';
const ESC = '\u001b';

describe('npm run import into a data folder', () => {
  let mlruns: WrittenMlruns;
  let dataDir: string;
  beforeAll(async () => {
    mlruns = await writeTemporaryMlruns();
    dataDir = await mkdtemp(join(tmpdir(), 'cairn-import-cli-'));
  });
  afterAll(async () => {
    await mlruns?.remove();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('imports the folder with plain progress lines and a summary, and --verify finds no difference', async () => {
    // Act
    const imported = await runCli(['--from', mlruns.folder, '--to', dataDir]);
    const verified = await runCli(['--from', mlruns.folder, '--to', dataDir, '--verify']);

    // Assess: plain lines (no terminal), one per finished experiment, then the summary
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    expect(imported.stdout).not.toContain(ESC);
    const lines = imported.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`Importing mlruns folder ${mlruns.folder} into data folder ${dataDir} (its own dynoxide engine)`);
    expect(lines).toContain(
      `experiment ${EXPERIMENT} 'Évaluation — 模型 🚀' done: 3 runs, ${EXPERIMENT_POINTS.toLocaleString('en-US')} metric points, 7 files (680 B), 2 logged models`,
    );
    expect(lines.filter((line) => /^experiment \S+ '.*' done: /.test(line))).toHaveLength(5);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Imported in /),
        '  experiments        5 of 5',
        '  runs               8',
        expect.stringMatching(new RegExp(`^  metric points      ${ALL_POINTS.toLocaleString('en-US')} \\([\\d,]+ per minute\\)$`)),
        '  artifacts          10 files, 699 B',
        '  logged models      2',
        '  registered models  2 with 4 versions',
      ]),
    );
    // The engine it started on the folder is stopped, its record gone; the checkpoint is kept in the folder.
    expect(await readdir(dataDir)).not.toContain(ENGINE_RECORD_FILE);
    expect(await readdir(join(dataDir, 'imports'))).toHaveLength(1);

    expect(verified.stderr).toBe('');
    expect(verified.stdout).toMatch(/^Source and Cairn match: compared 5 experiments, 8 runs, 100,012 metric points, 10 files \(699 B\), 2 logged models, 2 registered models with 4 versions in /m);
    expect(verified.code).toBe(0);
  });

  it('--verify prints every difference planted in Cairn, through a running npm start on the folder, and exits 3', async () => {
    // Prepare: npm start runs on the folder (its engine holds it); changes made through the repositories
    const server = await startLocalServer({ dataDir, port: 0 });
    const { deps, close } = repositoriesOf(server);
    try {
      const scope = { runId: RICH_IDS.trainingRun, experimentId: EXPERIMENT };
      await deps.runs.logData(
        scope,
        {
          params: [{ key: 'planted', value: 'x' }],
          tags: [{ key: 'mlflow.source.name', value: 'other.py' }],
          metrics: [{ key: 'train/accuracy', value: 1, timestamp: BASE_TIME + 3, step: 2 }],
        },
        Date.now(),
      );
      const model = (await deps.registry.getModelByName('fraud-detector'))!;
      const version = (await deps.registry.getVersion(model, 2))!;
      await deps.registry.change(model.modelId, () => ({
        versions: [{ version: { ...version, currentStage: 'Staging' }, isNew: false }],
        events: [],
        result: undefined,
      }));

      // Act
      const verified = await runCli(['--from', mlruns.folder, '--to', dataDir, '--verify']);

      // Assess
      expect(verified.stderr).toBe('');
      const lines = verified.stdout.trimEnd().split('\n');
      expect(lines[0]).toBe(`Comparing mlruns folder ${mlruns.folder} with data folder ${dataDir} (the engine of npm start, process ${process.pid})`);
      expect(lines.slice(1, -1).sort()).toEqual(
        [
          `run ${RICH_IDS.trainingRun}: param 'planted': source has none, Cairn 'x'`,
          `run ${RICH_IDS.trainingRun}: tag 'mlflow.source.name': source 'train.py', Cairn 'other.py'`,
          `run ${RICH_IDS.trainingRun}: metric 'train/accuracy': source 2 points, Cairn 3 points`,
          `registered model 'fraud-detector' version 2: stage: source 'Production', Cairn 'Staging'`,
        ].sort(),
      );
      expect(lines.at(-1)).toMatch(/^4 differences between source and Cairn \(compared 5 experiments, 8 runs, /);
      expect(verified.code).toBe(3);
    } finally {
      close();
      await server.stop();
    }
  });
});

describe('npm run import into a running npm start with authorization, by its URL', () => {
  const ADMIN = { username: 'admin', password: 'admin-password-1' };
  let mlruns: WrittenMlruns;
  let dataDir: string;
  let server: LocalServer;
  beforeAll(async () => {
    mlruns = await writeTemporaryMlruns();
    dataDir = await mkdtemp(join(tmpdir(), 'cairn-import-cli-server-'));
    server = await startLocalServer({ dataDir, port: 0, auth: { adminUsername: ADMIN.username, adminPassword: ADMIN.password } });
  });
  afterAll(async () => {
    await server?.stop();
    await mlruns?.remove();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  const api = async (path: string, query: Record<string, string>) => {
    const response = await fetch(`${server.url}/api/2.0/mlflow/${path}?${new URLSearchParams(query).toString()}`, {
      headers: { authorization: basicAuth(ADMIN.username, ADMIN.password) },
    });
    expect(response.status, path).toBe(200);
    return (await response.json()) as Record<string, any>;
  };

  it('asks an admin where the server keeps its data, imports there, and the runs answer by their old ids', async () => {
    // Prepare: a user who is not an admin
    const created = await fetch(`${server.url}/api/2.0/mlflow/users/create`, {
      method: 'POST',
      headers: { authorization: basicAuth(ADMIN.username, ADMIN.password), 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'bob', password: 'bob-password-12' }),
    });
    expect(created.status).toBe(200);

    // Act
    const checkpoint = ['--checkpoint', join(dataDir, 'import-checkpoint.jsonl')];
    const anonymous = await runCli(['--from', mlruns.folder, '--to', server.url, ...checkpoint]);
    const notAdmin = await runCli(['--from', mlruns.folder, '--to', server.url, ...checkpoint, '--username', 'bob', '--password', 'bob-password-12']);
    const imported = await runCli(['--from', mlruns.folder, '--to', server.url, ...checkpoint], { CAIRN_USERNAME: ADMIN.username, CAIRN_PASSWORD: ADMIN.password });
    const verified = await runCli(['--from', mlruns.folder, '--to', server.url, '--verify', '--username', ADMIN.username, '--password', ADMIN.password]);

    // Assess: refusals say what to give, and change nothing
    expect(anonymous.code).toBe(1);
    expect(anonymous.stderr).toContain(`cairn import: ${server.url} asks who you are (401): give an admin's --username and --password`);
    expect(notAdmin.code).toBe(1);
    expect(notAdmin.stderr).toContain(`cairn import: ${server.url} refused (403): only an admin may import`);

    // Assess: imported into the server's own engine and files, checked against the source
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    expect(imported.stdout.split('\n')[0]).toBe(
      `Importing mlruns folder ${mlruns.folder} into Cairn ${server.url} (its engine ${server.engine?.endpoint}, files in ${join(dataDir, 'artifacts')})`,
    );
    expect(verified.stdout).toMatch(/^Source and Cairn match: /m);
    expect(verified.code).toBe(0);

    // Assess: read back through the REST API by the old ids
    const { run } = await api('runs/get', { run_id: RICH_IDS.trainingRun });
    expect(run.info).toMatchObject({ run_id: RICH_IDS.trainingRun, experiment_id: EXPERIMENT, run_name: 'entraînement-α', user_id: 'jürgen', status: 'FINISHED' });
    expect(run.data.params).toContainEqual({ key: 'ключ', value: 'значение' });
    const { metrics } = await api('metrics/get-history', { run_id: RICH_IDS.trainingRun, metric_key: 'special' });
    expect(metrics.map((point: { value: unknown }) => point.value)).toEqual(expect.arrayContaining(['NaN', 'Infinity', '-Infinity', 5]));
    const { experiment } = await api('experiments/get', { experiment_id: EXPERIMENT });
    expect(experiment).toMatchObject({ name: 'Évaluation — 模型 🚀', artifact_location: `mlflow-artifacts:/${EXPERIMENT}` });
    const { model_version } = await api('model-versions/get', { name: 'fraud-detector', version: '1' });
    expect(model_version).toMatchObject({ current_stage: 'Archived', source: `runs:/${RICH_IDS.trainingRun}/model`, run_id: RICH_IDS.trainingRun });
    const file = await fetch(`${server.url}/get-artifact?${new URLSearchParams({ run_uuid: RICH_IDS.trainingRun, path: 'données/é file.txt' }).toString()}`, {
      headers: { authorization: basicAuth(ADMIN.username, ADMIN.password) },
    });
    expect(await file.text()).toBe('contenu ü');
  });
});

describe('npm run import meeting what Cairn already holds differently', () => {
  let mlruns: WrittenMlruns;
  let dataDir: string;
  let server: LocalServer;
  beforeAll(async () => {
    mlruns = await writeTemporaryMlruns();
    dataDir = await mkdtemp(join(tmpdir(), 'cairn-import-cli-conflict-'));
    server = await startLocalServer({ dataDir, port: 0 });
  });
  afterAll(async () => {
    await server?.stop();
    await mlruns?.remove();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('skips the conflicting experiment, lists it with its reason, brings the rest, and exits 2', async () => {
    // Prepare: an experiment made in Cairn under a name the source's experiment 3 holds
    const created = await fetch(`${server.url}/api/2.0/mlflow/experiments/create`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'copied from a laptop' }),
    });
    const { experiment_id: taken } = (await created.json()) as { experiment_id: string };

    // Act
    const imported = await runCli(['--from', mlruns.folder, '--to', dataDir]);

    // Assess
    expect(imported.stderr).toBe('');
    const lines = imported.stdout.trimEnd().split('\n');
    expect(lines).toContain('conflict: experiment 3 was skipped (the summary says why)');
    expect(lines.slice(lines.indexOf('Conflicts (1): skipped, left as Cairn has them; resolve them and re-run to bring them over:'))).toEqual([
      'Conflicts (1): skipped, left as Cairn has them; resolve them and re-run to bring them over:',
      `  experiment 3: experiment 'copied from a laptop' (3) not imported: its name is held by experiment ${taken} in Cairn`,
    ]);
    expect(lines).toContain('  experiments        4 of 5');
    expect(imported.code).toBe(2);
  });
});

describe('npm run import from an MLflow server (a Cairn with authorization as the source)', () => {
  const ADMIN = { username: 'admin', password: 'source-password-1' };
  let mlruns: WrittenMlruns;
  let root: string;
  let source: LocalServer;
  beforeAll(async () => {
    mlruns = await writeTemporaryMlruns();
    root = await mkdtemp(join(tmpdir(), 'cairn-import-cli-rest-'));
    source = await startLocalServer({ dataDir: join(root, 'source'), port: 0, auth: { adminUsername: ADMIN.username, adminPassword: ADMIN.password } });
    const seeded = await runCli(['--from', mlruns.folder, '--to', source.url, '--checkpoint', join(root, 'seed.jsonl'), '--username', ADMIN.username, '--password', ADMIN.password]);
    expect(seeded.code).toBe(0);
  });
  afterAll(async () => {
    await source?.stop();
    await mlruns?.remove();
    if (root) await rm(root, { recursive: true, force: true });
  });

  it("reads it over MLflow's REST API with MLFLOW_TRACKING_* credentials, and --verify agrees", async () => {
    // Prepare
    const env = { MLFLOW_TRACKING_USERNAME: ADMIN.username, MLFLOW_TRACKING_PASSWORD: ADMIN.password };
    const args = ['--from', source.url, '--to', join(root, 'target')];

    // Act
    const imported = await runCli(args, env);
    const verified = await runCli([...args, '--verify'], env);
    const refused = await runCli([...args, '--verify'], { MLFLOW_TRACKING_USERNAME: ADMIN.username, MLFLOW_TRACKING_PASSWORD: 'wrong-password-1' });

    // Assess: what MLflow's REST API shows comes over (it shows no deleted logged model or version)
    expect(imported.stderr).toBe('');
    expect(imported.stdout.split('\n')[0]).toBe(`Importing MLflow server ${source.url} into data folder ${join(root, 'target')} (its own dynoxide engine)`);
    expect(imported.stdout).toMatch(/^  runs +8$/m);
    expect(imported.stdout).toMatch(/^  metric points +100,012 /m);
    expect(imported.code).toBe(0);
    expect(verified.stdout).toMatch(/^Source and Cairn match: compared 5 experiments, 8 runs, 100,012 metric points, 10 files \(699 B\), 1 logged models, 2 registered models with 3 versions in /m);
    expect(verified.code).toBe(0);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^cairn import: .*401/m);
  });
});
