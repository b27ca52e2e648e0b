/**
 * Starts Cairn as `npm start` does: `startLocalServer` with a fresh temporary data folder, the default
 * engine (dynoxide, else DynamoDB Local) and a free port. By default in this process; with
 * `BENCH_SERVER=process` in a child process (the same call, in `serve-child.ts`), so the benchmark's own
 * client work does not share the server's event loop.
 */
import { fork } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLocalServer } from '../../functions/local/server.js';

export interface BenchServer {
  url: string;
  engineKind: string;
  dataDir: string;
  where: string;
  stop(): Promise<void>;
}

export interface ChildReady {
  type: 'ready';
  url: string;
  engineKind: string;
}

export const startBenchServer = async (mode: 'inprocess' | 'process'): Promise<BenchServer> => {
  const dataDir = await mkdtemp(join(tmpdir(), 'cairn-bench-'));
  const removeDataDir = () => rm(dataDir, { recursive: true, force: true });
  try {
    if (mode === 'inprocess') {
      const server = await startLocalServer({ host: '127.0.0.1', port: 0, dataDir });
      return {
        url: server.url,
        engineKind: server.engine?.kind ?? 'external',
        dataDir,
        where: 'in the benchmark process',
        async stop() {
          await server.stop();
          await removeDataDir();
        },
      };
    }
    return await startChild(dataDir, removeDataDir);
  } catch (error) {
    await removeDataDir();
    throw error;
  }
};

const startChild = (dataDir: string, removeDataDir: () => Promise<void>): Promise<BenchServer> =>
  new Promise<BenchServer>((resolve, reject) => {
    // fork() passes this process's execArgv on, which carries tsx's loader.
    const child = fork(fileURLToPath(new URL('./serve-child.ts', import.meta.url)), [dataDir], { stdio: 'inherit' });
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the Cairn child process exited with ${String(code)} before it was ready`)));
    child.once('message', (message: ChildReady) => {
      resolve({
        url: message.url,
        engineKind: message.engineKind,
        dataDir,
        where: `in child process ${String(child.pid)}`,
        async stop() {
          child.send({ type: 'stop' });
          const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
          await exited;
          clearTimeout(timer);
          await removeDataDir();
        },
      });
    });
  });
