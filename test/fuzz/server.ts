import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ChildArgs } from './server-child.js';

export interface FuzzServer {
  /** Base URL of the API (with the stage for the Lambda path). */
  readonly url: string;
  readonly mode: ChildArgs['mode'];
  /** Errors the app reported (the causes of 500s) since the last call. */
  takeErrors(): string[];
  /** Kills a stuck server and starts a new one on the same table. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

const CHILD = fileURLToPath(new URL('./server-child.ts', import.meta.url));
const START_TIMEOUT_MS = 60_000;

const spawnChild = (args: ChildArgs, errors: string[]) =>
  new Promise<{ child: ChildProcess; url: string }>((resolve, reject) => {
    // tsx's loader, whatever runs the parent (vitest or tsx itself).
    const child = fork(CHILD, [JSON.stringify(args)], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('the fuzz server did not start within 60 s'));
    }, START_TIMEOUT_MS);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the fuzz server exited with ${String(code)} before it was ready`));
    });
    child.on('message', (message: { type: string; url?: string; message?: string }) => {
      if (message.type === 'error' && message.message) errors.push(message.message);
      if (message.type === 'ready' && message.url) {
        clearTimeout(timer);
        resolve({ child, url: message.url });
      }
    });
  });

const kill = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });

/** Starts the API under fuzz in a child process (server-child.ts), on an existing table. */
export const startFuzzServer = async (args: ChildArgs): Promise<FuzzServer> => {
  const errors: string[] = [];
  let current = await spawnChild(args, errors);
  return {
    get url() {
      return current.url;
    },
    mode: args.mode,
    takeErrors: () => errors.splice(0),
    async restart() {
      await kill(current.child);
      current = await spawnChild(args, errors);
    },
    stop: () => kill(current.child),
  };
};
