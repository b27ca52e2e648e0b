/**
 * Task overrides of the local state machine harness: routing each Task state's Resource to local code (Lambda
 * via `invokeLambda`, `aws-sdk:sagemaker:*` via the matching @aws-sdk/client-sagemaker command) and building the
 * per-execution handlers plus the Wait/Retry timing overrides.
 */
import * as sageMakerSdk from '@aws-sdk/client-sagemaker';

import { isObject, toJson, type AslObject } from './local-state-machine-definition.js';
import { asSageMakerError, asTaskError, namedError } from './local-state-machine-errors.js';
import type { TaskTokens } from './local-state-machine-tokens.js';
import type {
  ExecutionRecord,
  HandlerInput,
  HandlerOutput,
  LocalStateMachineOptions,
  SageMakerCall,
  TaskHandlers,
} from './local-state-machine-types.js';

type CommandConstructor = new (input: unknown) => object;

export type TaskRoute =
  | { kind: 'lambda'; functionArn: string }
  | { kind: 'lambdaInvoke'; waitForTaskToken: boolean }
  | { kind: 'sagemaker'; action: string; command: CommandConstructor };

const LAMBDA_FUNCTION_ARN = /^arn:[\w-]+:lambda:[\w-]+:\d{12}:function:[^:]+(:[^:]+)?$/;
const LAMBDA_INVOKE = /^arn:[\w-]+:states:::lambda:invoke(\.waitForTaskToken)?$/;
const SAGEMAKER_SDK = /^arn:[\w-]+:states:::aws-sdk:sagemaker:([a-zA-Z0-9]+)$/;

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

export interface TaskPlan {
  /** Route of every Task state, by state name. */
  readonly routes: ReadonlyMap<string, TaskRoute>;
  readonly waitTimeOverrides: Record<string, number>;
  readonly retryIntervalOverrides: Record<string, number>;
}

/** Routes every Task state (throws for a Resource it cannot run) and shortens every Wait and Retry pause to `fastTimeMs`. */
export const planTasks = (states: ReadonlyMap<string, AslObject>, fastTimeMs: number): TaskPlan => {
  const routes = new Map<string, TaskRoute>();
  const waitTimeOverrides: Record<string, number> = {};
  const retryIntervalOverrides: Record<string, number> = {};
  for (const [name, state] of states) {
    if (state.Type === 'Task') routes.set(name, routeOf(name, state.Resource));
    if (state.Type === 'Wait') waitTimeOverrides[name] = fastTimeMs;
    if (Array.isArray(state.Retry)) retryIntervalOverrides[name] = fastTimeMs;
  }
  return { routes, waitTimeOverrides, retryIntervalOverrides };
};

export interface TaskRunnerOptions {
  invokeLambda: LocalStateMachineOptions['invokeLambda'];
  sagemaker: LocalStateMachineOptions['sagemaker'];
  tokens: TaskTokens;
  /** Every SageMaker attempt is appended here. */
  sagemakerCalls: SageMakerCall[];
}

/** The Task handlers of one execution; `takeToken` hands out the token `$$.Task.Token` last yielded. */
export type TaskHandlersFor = (record: ExecutionRecord, takeToken: () => string) => TaskHandlers;

export const createTaskHandlers = (routes: TaskPlan['routes'], options: TaskRunnerOptions): TaskHandlersFor => {
  const { tokens, sagemakerCalls } = options;
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
        const answered = tokens.waitFor(record, token);
        try {
          await callLambda(functionName, payload);
        } catch (error) {
          tokens.forget(token);
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

  return (record, takeToken) => {
    const handlers: TaskHandlers = {};
    for (const [stateName, route] of routes) {
      handlers[stateName] = (taskInput) => runTask(record, stateName, route, taskInput, takeToken);
    }
    return handlers;
  };
};
