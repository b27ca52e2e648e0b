/**
 * Task tokens of the local state machine harness: handing out `$$.Task.Token` values, parking
 * `.waitForTaskToken` tasks until SendTaskSuccess/SendTaskFailure answers them, and releasing them when their
 * execution ends.
 */
import { namedError } from './local-state-machine-errors.js';
import type { ExecutionRecord, HandlerOutput, LocalStateMachine } from './local-state-machine-types.js';

interface TokenWaiter {
  readonly record: ExecutionRecord;
  readonly resolve: (output: HandlerOutput) => void;
  readonly reject: (error: Error) => void;
}

export interface TokenSequence {
  /** The token `$$.Task.Token` reads now; repeated reads give the same token until it is taken. */
  peek(): string;
  /** The current token, handed to the task that runs with it; the next peek yields a fresh one. */
  take(): string;
}

/**
 * `$$.Task.Token` for one execution: `${executionName}:token:${n}`. The library evaluates `$$` paths against the
 * run context (shallow-copied per run, so a getter calling `peek` survives). Parameters are evaluated
 * synchronously right before the Task override is called, so the token read there is the one the override
 * takes; the next read then yields a fresh token.
 */
export const createTokenSequence = (executionName: string): TokenSequence => {
  let tokenCount = 0;
  let nextToken: string | undefined;
  const peek = (): string => (nextToken ??= `${executionName}:token:${++tokenCount}`);
  return {
    peek,
    take: () => {
      const token = peek();
      nextToken = undefined;
      return token;
    },
  };
};

export interface TaskTokens {
  /** Parks a task under `token`; the promise settles when the token is answered or its execution ends. */
  waitFor(record: ExecutionRecord, token: string): Promise<HandlerOutput>;
  /** Stops waiting on `token` without settling it (no-op when it is not waiting). */
  forget(token: string): void;
  /** Fails every task `record` still waits on with 'ExecutionClosed' (the execution has ended). */
  releaseAll(record: ExecutionRecord): void;
  sendTaskSuccess: LocalStateMachine['sendTaskSuccess'];
  sendTaskFailure: LocalStateMachine['sendTaskFailure'];
}

export const createTaskTokens = (): TaskTokens => {
  const waiters = new Map<string, TokenWaiter>();

  const taskDoesNotExist = (token: string): Error =>
    namedError('TaskDoesNotExist', `Task does not exist anymore or is not waiting: ${token}`);

  const releaseWaiter = (token: string): TokenWaiter => {
    const waiter = waiters.get(token);
    if (!waiter) throw taskDoesNotExist(token);
    waiters.delete(token);
    waiter.record.waitingTokens.delete(token);
    return waiter;
  };

  return {
    waitFor: (record, token) => {
      const answered = new Promise<HandlerOutput>((resolve, reject) => {
        waiters.set(token, { record, resolve, reject });
        record.waitingTokens.add(token);
      });
      answered.catch(() => undefined); // may be rejected before the caller awaits it (its Lambda may still be failing)
      return answered;
    },
    forget: (token) => {
      if (waiters.has(token)) releaseWaiter(token);
    },
    releaseAll: (record) => {
      for (const token of [...record.waitingTokens]) {
        releaseWaiter(token).reject(namedError('ExecutionClosed', `Execution '${record.name}' has ended`));
      }
    },
    sendTaskSuccess: async (taskToken, output) => {
      if (!waiters.has(taskToken)) throw taskDoesNotExist(taskToken);
      let parsed: HandlerOutput;
      try {
        parsed = JSON.parse(output) as HandlerOutput;
      } catch {
        throw namedError('InvalidOutput', `Task output is not valid JSON: ${output}`);
      }
      releaseWaiter(taskToken).resolve(parsed);
    },
    sendTaskFailure: async (taskToken, error, cause) => {
      releaseWaiter(taskToken).reject(namedError(error, cause ?? ''));
    },
  };
};
