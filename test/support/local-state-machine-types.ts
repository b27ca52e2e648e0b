/**
 * Types of the local state machine harness: the public ones (re-exported by local-state-machine.ts) and the
 * internal ones shared by its modules.
 */
import type { SageMakerClient } from '@aws-sdk/client-sagemaker';
import type { RunOptions } from 'aws-local-stepfunctions';

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

export type TaskHandlers = NonNullable<NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers']>;
type TaskHandler = TaskHandlers[string];
export type HandlerInput = Parameters<TaskHandler>[0];
export type HandlerOutput = Awaited<ReturnType<TaskHandler>>;
export type RunContext = NonNullable<RunOptions['context']>;

/** One started execution, as the harness tracks it. */
export interface ExecutionRecord {
  readonly name: string;
  readonly input: HandlerOutput;
  readonly history: string[];
  readonly waitingTokens: Set<string>;
  execution: LocalExecution | undefined;
  closed: boolean;
  abort: () => void;
}
