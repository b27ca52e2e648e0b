import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../../../', import.meta.url).pathname;

/** Starts `npm start`'s entry as a user would and waits for the tracking URI it prints. */
const startCairn = async (args: string[]) => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'functions/local/main.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, CAIRN_PORT: undefined, CAIRN_HOST: undefined, CAIRN_DATA_DIR: undefined },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const uri = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no tracking URI printed:\n${output}`)), 60_000);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /MLFLOW_TRACKING_URI=(\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`exited with ${code}:\n${output}`)));
  });
  return { child, uri, output: () => output };
};

const stop = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill('SIGINT');
  });

const engineChildren = async (parentPid: number) => {
  const pids = (await readdir('/proc')).filter((name) => /^\d+$/.test(name));
  const children: string[] = [];
  for (const pid of pids) {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
    const ppid = stat.split(') ')[1]?.split(' ')[1];
    if (ppid === String(parentPid)) children.push(pid);
  }
  return children;
};

/** True once the process has exited (a zombie waiting to be reaped counts as exited). */
const processGone = async (pid: string) => {
  for (let attempt = 0; attempt < 50; attempt++) {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
    if (stat === '' || stat.split(') ')[1]?.startsWith('Z')) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
};

describe('npm start', () => {
  it('serves on the given port, keeps data across a restart on the same folder, and stops cleanly on Ctrl-C', async () => {
    // Prepare
    const dataDir = await mkdtemp(join(tmpdir(), 'cairn-start-'));
    const first = await startCairn(['--host', '127.0.0.1', '--port', '0', '--data-dir', dataDir]);
    const created = await fetch(`${first.uri}/api/2.0/mlflow/experiments/create`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'survives-restart' }),
    }).then((r) => r.json() as Promise<{ experiment_id: string }>);
    const childrenWhileRunning = await engineChildren(first.child.pid ?? -1);

    // Act
    const firstExit = await stop(first.child);
    const second = await startCairn(['--port', '0', '--data-dir', dataDir]);
    const found = await fetch(`${second.uri}/api/2.0/mlflow/experiments/get-by-name?experiment_name=survives-restart`);
    const secondExit = await stop(second.child);

    // Assess
    expect(first.uri).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(childrenWhileRunning.length).toBeGreaterThan(0);
    expect(firstExit).toBe(0);
    for (const pid of childrenWhileRunning) expect(await processGone(pid)).toBe(true);
    expect(found.status).toBe(200);
    expect(((await found.json()) as { experiment: { experiment_id: string } }).experiment.experiment_id).toBe(created.experiment_id);
    expect(secondExit).toBe(0);
  });
});
