/** Waiting until a freshly spawned engine answers DynamoDB requests, or reporting why it never will. */
import type { ChildProcess } from 'node:child_process';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { ChildExit, OutputBuffer } from './child-process.js';

/** The two local engines: dynoxide (native) and AWS DynamoDB Local (Java). Declared here, the lowest module that names them. */
export type EngineKind = 'dynoxide' | 'dynamodb-local';

const READY_TIMEOUT_MS = 20_000;
const READY_POLL_MS = 100;

export class EngineStartError extends Error {
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

/**
 * Polls `ListTables` until it succeeds. Throws an EngineStartError when the child could not be spawned,
 * exits first (`childExitedEarly`), or does not answer in time.
 */
export async function waitUntilReady(
  endpoint: string,
  child: ChildProcess,
  exited: Promise<ChildExit>,
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
  let exit: ChildExit | undefined;
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
