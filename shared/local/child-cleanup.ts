/**
 * Child process bookkeeping: no child outlives the parent.
 *
 * Live children are killed on `exit`, and on SIGINT/SIGTERM/SIGHUP while a child is alive (if no other
 * handler is installed for that signal, the signal is re-raised afterwards so the process still terminates
 * as it would have). A SIGKILL of this process cannot be intercepted.
 */
import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';

/** Live children and the temporary working folder each one uses (if any). */
const liveChildren = new Map<ChildProcess, string | undefined>();
const TERMINATING_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
let hooksInstalled = false;

function killAllChildrenNow(): void {
  for (const [child, tempDir] of liveChildren) {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
    if (tempDir) {
      try {
        rmSync(tempDir, { recursive: true, force: true });
      } catch {
        // best effort while exiting
      }
    }
  }
  liveChildren.clear();
}

function onTerminatingSignal(signal: NodeJS.Signals): void {
  killAllChildrenNow();
  const onlyUs = process.listenerCount(signal) === 1;
  removeHooks();
  // Nobody else handles this signal: behave as if we had not been listening (terminate by the signal).
  if (onlyUs) process.kill(process.pid, signal);
}

function installHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', killAllChildrenNow);
  for (const signal of TERMINATING_SIGNALS) process.on(signal, onTerminatingSignal);
}

function removeHooks(): void {
  if (!hooksInstalled) return;
  hooksInstalled = false;
  process.off('exit', killAllChildrenNow);
  for (const signal of TERMINATING_SIGNALS) process.off(signal, onTerminatingSignal);
}

/** Kills `child` (and removes `tempDir`) should this process exit or be signalled while the child is alive. */
export function track(child: ChildProcess, tempDir: string | undefined): void {
  liveChildren.set(child, tempDir);
  installHooks();
  child.once('exit', () => {
    liveChildren.delete(child);
    if (liveChildren.size === 0) removeHooks();
  });
}
