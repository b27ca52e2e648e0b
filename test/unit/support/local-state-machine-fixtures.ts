/** Stand-ins and definition pieces shared by the local state machine harness tests. */
import { SageMakerServiceException, type SageMakerClient } from '@aws-sdk/client-sagemaker';
import { afterEach, vi } from 'vitest';

import {
  createLocalStateMachine,
  type ExecutionOutcome,
  type LocalExecution,
  type LocalStateMachine,
  type LocalStateMachineOptions,
} from '../../support/local-state-machine.js';

export const fn = (name: string): string => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;

type Payload = Record<string, unknown>;
type LambdaHandler = (payload: Payload) => unknown;

/** Lambda stand-in: records invocations and hands out the task tokens it receives (payload.token). */
export const createLambdas = (handlers: Record<string, LambdaHandler>) => {
  const calls: { functionArn: string; payload: unknown }[] = [];
  const tokens: string[] = [];
  const tokenWaiters: ((token: string) => void)[] = [];
  const invokeLambda = async (functionArn: string, payload: unknown): Promise<unknown> => {
    calls.push({ functionArn, payload });
    const body = payload as Payload;
    if (typeof body.token === 'string') {
      const waiter = tokenWaiters.shift();
      if (waiter) waiter(body.token);
      else tokens.push(body.token);
    }
    const handler = handlers[functionArn];
    if (!handler) throw new Error(`no Lambda stand-in for ${functionArn}`);
    return handler(body);
  };
  /** The next task token a Lambda received (waits for the invocation; fails if the execution ends first). */
  const nextToken = (execution: LocalExecution): Promise<string> => {
    const token = tokens.shift();
    if (token !== undefined) return Promise.resolve(token);
    const ended = execution.result.then((outcome) => {
      throw new Error(`execution ended before a task token arrived: ${JSON.stringify(outcome)}`);
    });
    return Promise.race([new Promise<string>((resolve) => tokenWaiters.push(resolve)), ended]);
  };
  return { calls, invokeLambda, nextToken };
};

type SageMakerResponder = (commandName: string, input: Payload) => unknown;

/** SageMaker stand-in: `send` answers by command class name. */
export const createSageMaker = (respond: SageMakerResponder) => {
  const sent: { command: string; input: unknown }[] = [];
  const client = {
    send: async (command: { input: Payload }) => {
      sent.push({ command: command.constructor.name, input: command.input });
      return respond(command.constructor.name, command.input);
    },
  } as unknown as SageMakerClient;
  return { client, sent };
};

export const serviceError = (name: string, message: string): SageMakerServiceException =>
  new SageMakerServiceException({ name, $fault: 'client', $metadata: { httpStatusCode: 400 }, message });

export const settledWithin = async (result: Promise<ExecutionOutcome>, ms: number): Promise<boolean> => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  const settled = await Promise.race([result.then(() => true), timeout]);
  clearTimeout(timer);
  return settled;
};

/**
 * Returns a `createLocalStateMachine` that disposes every harness it created after each test (and restores real
 * timers first). Call it once at the top level of a test file.
 */
export const useLocalStateMachines = (): ((options: LocalStateMachineOptions) => LocalStateMachine) => {
  const harnesses: LocalStateMachine[] = [];
  afterEach(async () => {
    vi.useRealTimers();
    await Promise.all(harnesses.splice(0).map((harness) => harness.dispose()));
  });
  return (options) => {
    const harness = createLocalStateMachine(options);
    harnesses.push(harness);
    return harness;
  };
};

export const waitForApproval = (name: string, extra: Record<string, unknown> = {}) => ({
  Type: 'Task',
  Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
  Parameters: { FunctionName: fn(name), Payload: { 'token.$': '$$.Task.Token', 'model.$': '$.model' } },
  TimeoutSeconds: 604800,
  ...extra,
});
