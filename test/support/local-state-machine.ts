/**
 * Test harness: runs a plain ASL definition (JSONPath only) with aws-local-stepfunctions and routes every Task
 * state to local code — Lambda tasks to `invokeLambda`, `aws-sdk:sagemaker:*` tasks to a SageMaker client.
 *
 * Behaviour worth knowing (aws-local-stepfunctions 3.0.0):
 * - Task overrides are keyed by state name, so state names must be unique across the whole definition
 *   (as Step Functions requires); nested Map/Parallel machines receive the same overrides.
 * - Overrides receive the task input after InputPath and Parameters were applied.
 * - Node's setTimeout cannot wait longer than 2^31-1 ms (~24.8 days): a longer timer fires after 1 ms. Task and
 *   state machine `TimeoutSeconds` are therefore clamped to 2147483 s, and Task states without a timeout get
 *   that value too (the library's default is 60 s; Step Functions' default is 99999999 s).
 * - `$$.Task.Token` gives every attempt of every task its own token: `${executionName}:token:${n}`.
 * - Inside a Map iteration the library sets `$$.Execution.Input` to the iteration's input.
 */
import './promise-with-resolvers.js';

import { isDeepStrictEqual } from 'node:util';

import * as sageMakerSdk from '@aws-sdk/client-sagemaker';
import type { SageMakerClient } from '@aws-sdk/client-sagemaker';
import {
  ExecutionAbortedError,
  ExecutionError,
  ExecutionTimeoutError,
  StateMachine,
  type RunOptions,
  type StateMachineDefinition,
} from 'aws-local-stepfunctions';

export interface LocalStateMachineOptions {
  /** Plain ASL (StartAt, States, ...), e.g. resolved from a CloudFormation template. Not modified. */
  definition: Record<string, unknown>;
  /**
   * Called for Lambda tasks: Resource is a Lambda ARN (payloadResponseOnly), or `arn:aws:states:::lambda:invoke` /
   * `...:lambda:invoke.waitForTaskToken` with Parameters {FunctionName, Payload}. Receives the function ARN (or
   * name, as written in FunctionName) and the payload; its thrown error's name becomes the Step Functions error
   * and its message the cause. For `lambda:invoke` the result is wrapped as {Payload: result, StatusCode: 200}.
   */
  invokeLambda: (functionArn: string, payload: unknown) => Promise<unknown>;
  /** SageMaker client (real @aws-sdk/client-sagemaker, pointed at a fake) for `arn:aws:states:::aws-sdk:sagemaker:<action>` tasks. */
  sagemaker: SageMakerClient;
  /** Milliseconds for every Wait state and every Retry pause (default 1). */
  fastTimeMs?: number;
  /** ARN used for `$$.StateMachine.Id` and to derive `$$.Execution.Id` (default a fixed local ARN). */
  stateMachineArn?: string;
}

export interface LocalExecution {
  name: string;
  /** Settles when the execution ends and its history is complete; never rejects. */
  result: Promise<ExecutionOutcome>;
}

/**
 * FAILED carries the Step Functions error name and cause. A state machine timeout is reported as
 * `States.Timeout`, an execution stopped by `dispose()` as `ExecutionAborted`.
 */
export type ExecutionOutcome = { status: 'SUCCEEDED'; output: unknown } | { status: 'FAILED'; error: string; cause?: string };

export interface SageMakerCall {
  state: string;
  action: string;
  input: unknown;
}

export interface LocalStateMachine {
  /**
   * Starts an execution. The same name with the same input returns the first execution (started once); the same
   * name with another input throws an error named 'ExecutionAlreadyExists'. Input `undefined` means `{}`.
   */
  start(name: string, input: unknown): LocalExecution;
  /** Completes a waiting `.waitForTaskToken` task with JSON.parse(output). Unknown token -> 'TaskDoesNotExist'; bad JSON -> 'InvalidOutput'. */
  sendTaskSuccess(taskToken: string, output: string): Promise<void>;
  /** Fails a waiting `.waitForTaskToken` task with an error named `error` (message `cause`). Unknown token -> 'TaskDoesNotExist'. */
  sendTaskFailure(taskToken: string, error: string, cause?: string): Promise<void>;
  /** Names of the states entered by an execution, in order, including states inside Map iterations and Parallel branches. */
  history(name: string): string[];
  /** SageMaker calls made (every attempt, including failed ones), in order. */
  sagemakerCalls: SageMakerCall[];
  /** Aborts every running execution (outcome FAILED 'ExecutionAborted') and waits until they have ended. */
  dispose(): Promise<void>;
}

type TaskHandlers = NonNullable<NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers']>;
type TaskHandler = TaskHandlers[string];
type HandlerInput = Parameters<TaskHandler>[0];
type HandlerOutput = Awaited<ReturnType<TaskHandler>>;
type RunContext = NonNullable<RunOptions['context']>;

type CommandConstructor = new (input: unknown) => object;

type TaskRoute =
  | { kind: 'lambda'; functionArn: string }
  | { kind: 'lambdaInvoke'; waitForTaskToken: boolean }
  | { kind: 'sagemaker'; action: string; command: CommandConstructor };

interface ExecutionRecord {
  readonly name: string;
  readonly input: HandlerOutput;
  readonly history: string[];
  readonly waitingTokens: Set<string>;
  execution: LocalExecution | undefined;
  closed: boolean;
  abort: () => void;
}

interface TokenWaiter {
  readonly record: ExecutionRecord;
  readonly resolve: (output: HandlerOutput) => void;
  readonly reject: (error: Error) => void;
}

type AslObject = Record<string, unknown>;

/** Longest delay Node's setTimeout honours, in whole seconds (2^31-1 ms). */
const MAX_TIMER_SECONDS = Math.floor((2 ** 31 - 1) / 1000);
const DEFAULT_STATE_MACHINE_ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:LocalStateMachine';

/** Definitions (as JSON) that already passed the library's validation in this process. */
const validatedDefinitions = new Set<string>();

const LAMBDA_FUNCTION_ARN = /^arn:[\w-]+:lambda:[\w-]+:\d{12}:function:[^:]+(:[^:]+)?$/;
const LAMBDA_INVOKE = /^arn:[\w-]+:states:::lambda:invoke(\.waitForTaskToken)?$/;
const SAGEMAKER_SDK = /^arn:[\w-]+:states:::aws-sdk:sagemaker:([a-zA-Z0-9]+)$/;

/** JavaScript/SDK-client error names that are not SageMaker service errors; those are passed through unchanged. */
const NON_SERVICE_ERROR_NAMES = new Set([
  'Error',
  'TypeError',
  'RangeError',
  'ReferenceError',
  'SyntaxError',
  'EvalError',
  'URIError',
  'AggregateError',
  'TimeoutError',
  'AbortError',
]);

const namedError = (name: string, message: string): Error => {
  const error = new Error(message);
  error.name = name;
  return error;
};

const isObject = (value: unknown): value is AslObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The value as Step Functions' JSON would carry it (Dates become ISO strings, undefined members vanish). */
const toJson = (value: unknown): HandlerOutput => {
  const text = JSON.stringify(value);
  return text === undefined ? null : (JSON.parse(text) as HandlerOutput);
};

/** Every state of the definition, including those in Map iterators/ItemProcessors and Parallel branches. */
const collectStates = (definition: AslObject, into = new Map<string, AslObject>()): Map<string, AslObject> => {
  const states = definition.States;
  if (!isObject(states)) throw new Error('local state machine: definition has no States object');
  for (const [name, state] of Object.entries(states)) {
    if (!isObject(state)) throw new Error(`local state machine: state '${name}' is not an object`);
    if (into.has(name)) {
      throw new Error(`local state machine: state name '${name}' is used twice; Task overrides are keyed by state name`);
    }
    into.set(name, state);
    const processor = state.ItemProcessor ?? state.Iterator;
    if (state.Type === 'Map' && isObject(processor)) collectStates(processor, into);
    if (state.Type === 'Parallel' && Array.isArray(state.Branches)) {
      for (const branch of state.Branches) if (isObject(branch)) collectStates(branch, into);
    }
  }
  return into;
};

/** A copy of the definition whose timeouts fit in a Node timer (see the module comment). */
const withUsableTimeouts = (definition: AslObject): AslObject => {
  const copy = structuredClone(definition);
  if (typeof copy.TimeoutSeconds === 'number' && copy.TimeoutSeconds > MAX_TIMER_SECONDS) {
    copy.TimeoutSeconds = MAX_TIMER_SECONDS;
  }
  for (const state of collectStates(copy).values()) {
    if (state.Type !== 'Task') continue;
    if (state.TimeoutSeconds === undefined && state.TimeoutSecondsPath === undefined) {
      state.TimeoutSeconds = MAX_TIMER_SECONDS;
    } else if (typeof state.TimeoutSeconds === 'number' && state.TimeoutSeconds > MAX_TIMER_SECONDS) {
      state.TimeoutSeconds = MAX_TIMER_SECONDS;
    }
  }
  return copy;
};

const routeOf = (stateName: string, resource: unknown): TaskRoute => {
  if (typeof resource !== 'string') {
    throw new Error(`local state machine: Task state '${stateName}' has a non-string Resource (unresolved template value?)`);
  }
  if (LAMBDA_FUNCTION_ARN.test(resource)) return { kind: 'lambda', functionArn: resource };
  const invoke = LAMBDA_INVOKE.exec(resource);
  if (invoke) return { kind: 'lambdaInvoke', waitForTaskToken: invoke[1] !== undefined };
  const sageMaker = SAGEMAKER_SDK.exec(resource);
  if (sageMaker?.[1]) {
    const action = sageMaker[1];
    const commandName = `${action.charAt(0).toUpperCase()}${action.slice(1)}Command`;
    const command = (sageMakerSdk as unknown as Record<string, unknown>)[commandName];
    if (typeof command !== 'function') {
      throw new Error(`local state machine: Task state '${stateName}': @aws-sdk/client-sagemaker has no ${commandName}`);
    }
    return { kind: 'sagemaker', action, command: command as CommandConstructor };
  }
  throw new Error(`local state machine: Task state '${stateName}' has an unsupported Resource '${resource}'`);
};

/** Any thrown value as the named Error Step Functions would report (name = error, message = cause). */
const asTaskError = (error: unknown): Error =>
  error instanceof Error ? namedError(error.name, error.message) : namedError('Error', String(error));

/** Step Functions' AWS SDK integration naming: SageMaker.<Name>, with an `Exception` suffix when missing. */
const asSageMakerError = (error: unknown): Error => {
  if (!(error instanceof Error)) return asTaskError(error);
  const isServiceError = '$fault' in error || !NON_SERVICE_ERROR_NAMES.has(error.name);
  if (!isServiceError || error.name.startsWith('SageMaker.')) return namedError(error.name, error.message);
  const name = error.name.endsWith('Exception') ? error.name : `${error.name}Exception`;
  return namedError(`SageMaker.${name}`, error.message);
};

const outcomeOfError = (error: unknown): ExecutionOutcome => {
  if (error instanceof ExecutionTimeoutError) {
    return { status: 'FAILED', error: 'States.Timeout', cause: 'The execution exceeded its TimeoutSeconds' };
  }
  if (error instanceof ExecutionAbortedError) {
    return { status: 'FAILED', error: 'ExecutionAborted', cause: 'The execution was aborted' };
  }
  const failure = error instanceof ExecutionError ? error.cause : error;
  if (!(failure instanceof Error)) return { status: 'FAILED', error: 'Error', cause: String(failure) };
  return failure.message === ''
    ? { status: 'FAILED', error: failure.name }
    : { status: 'FAILED', error: failure.name, cause: failure.message };
};

export const createLocalStateMachine = (options: LocalStateMachineOptions): LocalStateMachine => {
  const fastTimeMs = options.fastTimeMs ?? 1;
  if (!Number.isFinite(fastTimeMs) || fastTimeMs < 0) throw new Error('local state machine: fastTimeMs must be >= 0');
  const stateMachineArn = options.stateMachineArn ?? DEFAULT_STATE_MACHINE_ARN;
  const stateMachineName = stateMachineArn.split(':').at(-1) ?? 'LocalStateMachine';

  const definition = withUsableTimeouts(options.definition);
  const states = collectStates(definition);
  const routes = new Map<string, TaskRoute>();
  const waitTimeOverrides: Record<string, number> = {};
  const retryIntervalOverrides: Record<string, number> = {};
  for (const [name, state] of states) {
    if (state.Type === 'Task') routes.set(name, routeOf(name, state.Resource));
    if (state.Type === 'Wait') waitTimeOverrides[name] = fastTimeMs;
    if (Array.isArray(state.Retry)) retryIntervalOverrides[name] = fastTimeMs;
  }
  // asl-validator takes ~0.3-0.8 s per definition, so each distinct definition is validated once per process.
  const definitionKey = JSON.stringify(definition);
  const machine = new StateMachine(definition as unknown as StateMachineDefinition, {
    validationOptions: { noValidate: validatedDefinitions.has(definitionKey) },
  });
  validatedDefinitions.add(definitionKey);

  const executions = new Map<string, ExecutionRecord>();
  const waiters = new Map<string, TokenWaiter>();
  const sagemakerCalls: SageMakerCall[] = [];
  const sageMakerClient = options.sagemaker as unknown as { send(command: object): Promise<unknown> };

  const callLambda = async (functionArn: string, payload: unknown): Promise<HandlerOutput> => {
    let result: unknown;
    try {
      result = await options.invokeLambda(functionArn, payload);
    } catch (error) {
      throw asTaskError(error);
    }
    return toJson(result);
  };

  const taskDoesNotExist = (token: string): Error =>
    namedError('TaskDoesNotExist', `Task does not exist anymore or is not waiting: ${token}`);

  const releaseWaiter = (token: string): TokenWaiter => {
    const waiter = waiters.get(token);
    if (!waiter) throw taskDoesNotExist(token);
    waiters.delete(token);
    waiter.record.waitingTokens.delete(token);
    return waiter;
  };

  const runTask = async (
    record: ExecutionRecord,
    stateName: string,
    route: TaskRoute,
    input: HandlerInput,
    takeToken: () => string,
  ): Promise<HandlerOutput> => {
    if (record.closed) {
      // Only reachable from Map iterations / Parallel branches the library left running after the execution ended.
      throw namedError('ExecutionClosed', `Execution '${record.name}' has ended; task '${stateName}' not run`);
    }
    switch (route.kind) {
      case 'lambda':
        return callLambda(route.functionArn, input);
      case 'lambdaInvoke': {
        const parameters = isObject(input) ? input : {};
        const functionName = parameters.FunctionName;
        if (typeof functionName !== 'string') {
          throw namedError('States.Runtime', `Task state '${stateName}': Parameters.FunctionName must be a string`);
        }
        const payload = parameters.Payload ?? null;
        if (!route.waitForTaskToken) return { Payload: await callLambda(functionName, payload), StatusCode: 200 };

        // Register before invoking: the function may answer (sendTaskSuccess) before it returns.
        const token = takeToken();
        const answered = new Promise<HandlerOutput>((resolve, reject) => {
          waiters.set(token, { record, resolve, reject });
          record.waitingTokens.add(token);
        });
        answered.catch(() => undefined); // may be rejected while the invocation below is still failing
        try {
          await callLambda(functionName, payload);
        } catch (error) {
          if (waiters.has(token)) releaseWaiter(token);
          throw error;
        }
        return answered;
      }
      case 'sagemaker': {
        sagemakerCalls.push({ state: stateName, action: route.action, input: toJson(input) });
        let output: unknown;
        try {
          output = await sageMakerClient.send(new route.command(input));
        } catch (error) {
          throw asSageMakerError(error);
        }
        const result: Record<string, unknown> = isObject(output) ? { ...output } : {};
        delete result.$metadata;
        return toJson(result);
      }
    }
  };

  const close = (record: ExecutionRecord): void => {
    record.closed = true;
    for (const token of [...record.waitingTokens]) {
      releaseWaiter(token).reject(namedError('ExecutionClosed', `Execution '${record.name}' has ended`));
    }
  };

  const start = (name: string, input: unknown): LocalExecution => {
    const jsonInput = toJson(input === undefined ? {} : input);
    const existing = executions.get(name);
    if (existing?.execution) {
      if (isDeepStrictEqual(existing.input, jsonInput)) return existing.execution;
      throw namedError('ExecutionAlreadyExists', `Execution already exists with another input: '${name}'`);
    }

    const record: ExecutionRecord = {
      name,
      input: jsonInput,
      history: [],
      waitingTokens: new Set(),
      execution: undefined,
      closed: false,
      abort: () => undefined,
    };
    executions.set(name, record);

    // `$$.Task.Token`: the library evaluates `$$` paths against this object (shallow-copied per run, so the
    // getter survives). Parameters are evaluated synchronously right before the Task override is called, so the
    // token read there is the one the override takes; the next read then yields a fresh token.
    let tokenCount = 0;
    let nextToken: string | undefined;
    const peekToken = (): string => (nextToken ??= `${name}:token:${++tokenCount}`);
    const takeToken = (): string => {
      const token = peekToken();
      nextToken = undefined;
      return token;
    };
    const context: RunContext = {
      Execution: { Id: `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`, Name: name },
      StateMachine: { Id: stateMachineArn, Name: stateMachineName },
      Task: {
        get Token(): string {
          return peekToken();
        },
      },
    };

    const taskResourceLocalHandlers: TaskHandlers = {};
    for (const [stateName, route] of routes) {
      taskResourceLocalHandlers[stateName] = (taskInput) => runTask(record, stateName, route, taskInput, takeToken);
    }

    const run = machine.run(jsonInput, {
      overrides: { taskResourceLocalHandlers, waitTimeOverrides, retryIntervalOverrides },
      context,
    });
    record.abort = run.abort;

    // Ends when the root event logger closes, i.e. right after the execution ends (nested events are forwarded).
    const historyComplete = (async () => {
      for await (const event of run.eventLogs) {
        if (event.type === 'StateEntered') record.history.push(event.state.name);
      }
    })().catch(() => undefined);

    const result = run.result
      .then((output): ExecutionOutcome => ({ status: 'SUCCEEDED', output }), outcomeOfError)
      .then(async (outcome) => {
        close(record);
        await historyComplete;
        return outcome;
      });

    record.execution = { name, result };
    return record.execution;
  };

  return {
    start,
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
    history: (name) => {
      const record = executions.get(name);
      if (!record) throw namedError('ExecutionDoesNotExist', `No execution named '${name}' was started`);
      return [...record.history];
    },
    sagemakerCalls,
    dispose: async () => {
      const running = [...executions.values()].filter((record) => !record.closed);
      for (const record of running) record.abort();
      await Promise.all(running.map((record) => record.execution?.result));
    },
  };
};
