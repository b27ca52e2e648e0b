/**
 * `npx tsx test/bench/profile-log-metric.ts`: where one sequential `runs/log-metric` spends its CPU.
 *
 * Starts Cairn in a child process as `BENCH_SERVER=process npm run bench` does (serve-child.ts, dynoxide in a
 * fresh folder), warms it up, then sends PROFILE_CALLS sequential calls and prints the CPU each process
 * spent per call (this client, the Cairn process, the engine), read from /proc, next to the wall time.
 * PROFILE_CPU_PROF=<file> also writes a V8 CPU profile of the Cairn process during the measured calls, to be
 * opened in Chrome DevTools or summarized with `npx tsx test/bench/cpu-profile-summary.ts <file> <calls>`.
 * PROFILE_PERF=<file> records the Cairn process and the engine with Linux `perf record -g` during the measured
 * calls (node runs with --perf-basic-prof so JavaScript frames have names); read it with `perf report -i`.
 * PROFILE_NODE_OPTIONS='--flag ...' passes node flags to the Cairn process (e.g. V8's heap sizes).
 * PROFILE_FRESH=1 opens a new connection for every call instead of one kept-alive connection.
 * A measuring tool, never a test: it fails only when a call is answered with an error.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createJsonClient } from './http.js';
import { fmt } from './report.js';
import type { ChildReady } from './server.js';
import { createExperiment, createRun } from './setup.js';

const calls = Number(process.env.PROFILE_CALLS ?? 3000);
const warmup = Number(process.env.PROFILE_WARMUP ?? 500);
const profileFile = process.env.PROFILE_CPU_PROF;
const fresh = process.env.PROFILE_FRESH === '1';
const perfOutput = process.env.PROFILE_PERF;
const TICKS_PER_SECOND = 100;

/** User and system CPU of a process in ms, from /proc/<pid>/stat (fields 14 and 15, in clock ticks). */
const cpuOf = (pid: number): { user: number; system: number } => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { user: (Number(fields[11]) * 1000) / TICKS_PER_SECOND, system: (Number(fields[12]) * 1000) / TICKS_PER_SECOND };
};

const childrenOf = (pid: number): number[] =>
  readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((name) => {
      try {
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid;
      } catch {
        return false;
      }
    })
    .map(Number);

const startServer = (dataDir: string): Promise<{ child: ChildProcess; url: string }> =>
  new Promise((resolve, reject) => {
    const execArgv = [
      ...process.execArgv,
      ...(perfOutput ? ['--perf-basic-prof'] : []),
      ...(process.env.PROFILE_NODE_OPTIONS ? process.env.PROFILE_NODE_OPTIONS.split(' ') : []),
    ];
    const child = fork(fileURLToPath(new URL('./serve-child.ts', import.meta.url)), [dataDir], { stdio: 'inherit', execArgv });
    child.once('error', reject);
    child.once('message', (message: ChildReady) => resolve({ child, url: message.url }));
  });

/** Sends `message` to the Cairn process and waits for its `answer`. */
const tell = (to: ChildProcess, message: object, answer: string) =>
  new Promise<void>((resolve) => {
    const listen = (reply: { type?: string }) => {
      if (reply.type !== answer) return;
      to.off('message', listen);
      resolve();
    };
    to.on('message', listen);
    to.send(message);
  });

const dataDir = await mkdtemp(join(tmpdir(), 'cairn-profile-'));
const { child, url } = await startServer(dataDir);
const serverPid = child.pid ?? 0;
// The engine is the child running dynoxide or java (tsx also starts an esbuild child).
const enginePid = childrenOf(serverPid).find((pid) => /dynoxide|java/.test(readFileSync(`/proc/${pid}/cmdline`, 'utf8')));
try {
  const setup = createJsonClient(url, { connections: 1 });
  const experimentId = await createExperiment(setup, `profile-${Date.now()}`);
  const runId = await createRun(setup, experimentId, 'profile');
  setup.close();

  const client = createJsonClient(url, { connections: 1, fresh });
  let step = 0;
  const logMetric = () => client.post('/runs/log-metric', { run_id: runId, key: 'loss', value: Math.random(), timestamp: Date.now(), step: step++ });
  for (let i = 0; i < warmup; i++) await logMetric();

  const perf = perfOutput
    ? spawn('perf', ['record', '-F', '1999', '-g', '-o', perfOutput, '-p', [serverPid, enginePid].filter(Boolean).join(',')], { stdio: 'ignore' })
    : undefined;
  if (perf) await new Promise((done) => setTimeout(done, 1000));
  if (profileFile) await tell(child, { type: 'cpu-profile-start' }, 'cpu-profile-started');
  const before = { client: process.cpuUsage(), server: cpuOf(serverPid), engine: enginePid ? cpuOf(enginePid) : undefined, wall: performance.now() };
  for (let i = 0; i < calls; i++) await logMetric();
  const wall = performance.now() - before.wall;
  const after = { client: process.cpuUsage(before.client), server: cpuOf(serverPid), engine: enginePid ? cpuOf(enginePid) : undefined };
  if (profileFile) await tell(child, { type: 'cpu-profile-stop', file: profileFile }, 'cpu-profile-written');
  const per = (ms: number) => `${fmt(ms / calls, 3)} ms`;
  console.log(`${fmt(calls, 0)} sequential log-metric calls, ${fresh ? 'a new connection each' : 'one kept-alive connection'} (${client.socketsOpened} opened)${profileFile ? ', Cairn profiled' : ''}`);
  console.log(`  wall      ${per(wall)} per call = ${fmt((calls * 1000) / wall, 0)} req/s`);
  const row = (name: string, user: number, system: number) =>
    console.log(`  ${name.padEnd(8)}  ${per(user + system)} CPU per call (user ${per(user)}, system ${per(system)})`);
  row('client', after.client.user / 1000, after.client.system / 1000);
  row('cairn', after.server.user - before.server.user, after.server.system - before.server.system);
  if (after.engine && before.engine) row('engine', after.engine.user - before.engine.user, after.engine.system - before.engine.system);
  client.close();
  if (perf) {
    const stopped = new Promise<void>((done) => perf.once('exit', () => done()));
    perf.kill('SIGINT');
    await stopped;
  }
} finally {
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  child.send({ type: 'stop' });
  await exited;
  await rm(dataDir, { recursive: true, force: true });
}
