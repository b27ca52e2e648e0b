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
 *
 * The pieces live in sibling modules: local-state-machine-definition (states, timeouts, validation),
 * -tasks (Task routing and overrides), -tokens (task tokens), -errors (error naming), -types.
 */
import './promise-with-resolvers.js';

import { isDeepStrictEqual } from 'node:util';

import { collectStates, createMachine, toJson, withUsableTimeouts } from './local-state-machine-definition.js';
import { namedError, outcomeOfError } from './local-state-machine-errors.js';
import { createTaskHandlers, planTasks } from './local-state-machine-tasks.js';
import { createTaskTokens, createTokenSequence } from './local-state-machine-tokens.js';
import type {
  ExecutionOutcome,
  ExecutionRecord,
  LocalExecution,
  LocalStateMachine,
  LocalStateMachineOptions,
  RunContext,
  SageMakerCall,
} from './local-state-machine-types.js';

export type {
  ExecutionOutcome,
  LocalExecution,
  LocalStateMachine,
  LocalStateMachineOptions,
  SageMakerCall,
} from './local-state-machine-types.js';

const DEFAULT_STATE_MACHINE_ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:LocalStateMachine';

export const createLocalStateMachine = (options: LocalStateMachineOptions): LocalStateMachine => {
  const fastTimeMs = options.fastTimeMs ?? 1;
  if (!Number.isFinite(fastTimeMs) || fastTimeMs < 0) throw new Error('local state machine: fastTimeMs must be >= 0');
  const stateMachineArn = options.stateMachineArn ?? DEFAULT_STATE_MACHINE_ARN;
  const stateMachineName = stateMachineArn.split(':').at(-1) ?? 'LocalStateMachine';

  const definition = withUsableTimeouts(options.definition);
  const { routes, waitTimeOverrides, retryIntervalOverrides } = planTasks(collectStates(definition), fastTimeMs);
  const machine = createMachine(definition);

  const executions = new Map<string, ExecutionRecord>();
  const tokens = createTaskTokens();
  const sagemakerCalls: SageMakerCall[] = [];
  const taskHandlersFor = createTaskHandlers(routes, {
    invokeLambda: options.invokeLambda,
    sagemaker: options.sagemaker,
    tokens,
    sagemakerCalls,
  });

  const close = (record: ExecutionRecord): void => {
    record.closed = true;
    tokens.releaseAll(record);
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

    // `$$.Task.Token` is a getter so each read sees the sequence's current token (see createTokenSequence).
    const taskTokens = createTokenSequence(name);
    const context: RunContext = {
      Execution: { Id: `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`, Name: name },
      StateMachine: { Id: stateMachineArn, Name: stateMachineName },
      Task: {
        get Token(): string {
          return taskTokens.peek();
        },
      },
    };

    const run = machine.run(jsonInput, {
      overrides: {
        taskResourceLocalHandlers: taskHandlersFor(record, taskTokens.take),
        waitTimeOverrides,
        retryIntervalOverrides,
      },
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
    sendTaskSuccess: tokens.sendTaskSuccess,
    sendTaskFailure: tokens.sendTaskFailure,
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
