import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createTrackingDeps } from '../../../shared/config/dependencies.js';
import { createDynamoClient } from '../../../shared/data/dynamo-client.js';
import type { LocalServer } from '../../../functions/local/server.js';

/** `npm run import` as a user runs it: `npx tsx functions/import/main.ts …` in a child process, output piped. */

const REPO = fileURLToPath(new URL('../../../', import.meta.url));

export interface CliRun {
  readonly child: ChildProcess;
  /** Everything printed so far. */
  readonly stdout: () => string;
  readonly stderr: () => string;
  readonly done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
  /** SIGKILL to the child's whole process group (npx, tsx and node), as a power cut would. */
  kill(): void;
}

export const startCli = (args: readonly string[], env: NodeJS.ProcessEnv = {}): CliRun => {
  // Detached: its own process group, so a kill reaches node under npx and tsx.
  const child = spawn('npx', ['tsx', 'functions/import/main.ts', ...args], {
    cwd: REPO,
    env: { ...process.env, NO_COLOR: '1', ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr?.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    done,
    kill() {
      if (child.pid !== undefined && child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
    },
  };
};

export const runCli = async (args: readonly string[], env: NodeJS.ProcessEnv = {}) => {
  const run = startCli(args, env);
  const result = await run.done;
  return { ...result, stdout: result.stdout, stderr: withoutNodeNotices(result.stderr) };
};

/** The AWS SDK's notice about Node versions is no output of the importer's. */
const withoutNodeNotices = (stderr: string) =>
  stderr
    .replace(/\(node:\d+\) Warning: NodeVersionSupportWarning[\s\S]*?\(Use `node --trace-warnings \.\.\.` to show where the warning was created\)\n?/g, '')
    .trim();

/** The repositories on the table of a running `npm start` (its engine), as the importer writes them. */
export const repositoriesOf = (server: LocalServer) => {
  const client = createDynamoClient({ endpoint: server.engine?.endpoint ?? '' });
  return { deps: createTrackingDeps({ client, tableName: 'cairn' }), close: () => client.destroy() };
};

export const basicAuth = (username: string, password: string) => `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
