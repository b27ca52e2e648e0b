/**
 * Spawning an engine's child process, collecting its output, and stopping it (SIGTERM, then SIGKILL after a
 * grace period). Every spawned child is tracked so that it never outlives this process (see child-cleanup.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { track } from './child-cleanup.js';

const STOP_GRACE_MS = 5_000;
const OUTPUT_KEEP_CHARS = 16_000;

export interface ChildCommand {
  command: string;
  args: string[];
  cwd: string | undefined;
  /** Removed after the child has exited. */
  tempDir: string | undefined;
}

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface SpawnedChild {
  child: ChildProcess;
  /** Settles once the child has exited and its output is drained (or right away when it could not be spawned). */
  exited: Promise<ChildExit>;
  output: OutputBuffer;
  /** Idempotent; settles once the child is gone and its temporary working folder removed. */
  stop(): Promise<void>;
}

/** Keeps the tail of the child's output for error messages, and passes each complete line to `log`. */
export class OutputBuffer {
  private text = '';
  private partial: Record<'stdout' | 'stderr', string> = { stdout: '', stderr: '' };

  constructor(private readonly log: ((line: string) => void) | undefined) {}

  push(stream: 'stdout' | 'stderr', chunk: Buffer | string): void {
    const data = chunk.toString();
    this.text = (this.text + data).slice(-OUTPUT_KEEP_CHARS);
    if (!this.log) return;
    const lines = (this.partial[stream] + data).split(/\r?\n/);
    this.partial[stream] = lines.pop() ?? '';
    for (const line of lines) this.log(line);
  }

  flush(): void {
    if (!this.log) return;
    for (const stream of ['stdout', 'stderr'] as const) {
      if (this.partial[stream]) this.log(this.partial[stream]);
      this.partial[stream] = '';
    }
  }

  toString(): string {
    return this.text.trim() || '(no output)';
  }
}

/** Spawns `plan` without a shell; a spawn failure surfaces as an `error` event of the returned `child`. */
export function spawnChild(plan: ChildCommand, log: ((line: string) => void) | undefined): SpawnedChild {
  const output = new OutputBuffer(log);
  const child = spawn(plan.command, plan.args, {
    cwd: plan.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    shell: false,
    windowsHide: true,
  });
  // Keep draining the pipes for the child's whole life, or it blocks once a pipe buffer fills up.
  child.stdout?.on('data', (chunk: Buffer) => output.push('stdout', chunk));
  child.stderr?.on('data', (chunk: Buffer) => output.push('stderr', chunk));
  const exited = new Promise<ChildExit>((resolveExit) => {
    // 'close' comes after 'exit' once stdout/stderr are drained, so the captured output is complete.
    child.once('close', (code, signal) => resolveExit({ code, signal }));
    // A spawn failure ('error' without a process) may not be followed by 'close'.
    child.once('error', () => {
      if (child.pid === undefined) resolveExit({ code: null, signal: null });
    });
  });
  if (child.pid !== undefined) track(child, plan.tempDir);
  // Settles once the child is gone and its temporary working folder removed.
  const finished = exited.then(async () => {
    output.flush();
    if (plan.tempDir) await rm(plan.tempDir, { recursive: true, force: true }).catch(() => undefined);
  });

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) {
        await finished;
        return;
      }
      child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const graceful = await Promise.race([
        exited.then(() => true),
        new Promise<false>((r) => {
          timer = setTimeout(() => r(false), STOP_GRACE_MS);
        }),
      ]);
      clearTimeout(timer);
      if (!graceful) child.kill('SIGKILL');
      await finished;
    })();
    return stopping;
  };

  return { child, exited, output, stop };
}
