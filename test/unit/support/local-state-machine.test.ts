import { SageMakerServiceException, type SageMakerClient } from '@aws-sdk/client-sagemaker';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { errorOf } from '../../support/error-of.js';
import {
  createLocalStateMachine,
  type ExecutionOutcome,
  type LocalExecution,
  type LocalStateMachine,
  type LocalStateMachineOptions,
} from '../../support/local-state-machine.js';

const fn = (name: string): string => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;
const ROLE = 'arn:aws:iam::123456789012:role/sagemaker-execution';
const CREATED_AT = new Date('2024-05-06T07:08:09.000Z');

type Payload = Record<string, unknown>;
type LambdaHandler = (payload: Payload) => unknown;

/** Lambda stand-in: records invocations and hands out the task tokens it receives (payload.token). */
const createLambdas = (handlers: Record<string, LambdaHandler>) => {
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
const createSageMaker = (respond: SageMakerResponder) => {
  const sent: { command: string; input: unknown }[] = [];
  const client = {
    send: async (command: { input: Payload }) => {
      sent.push({ command: command.constructor.name, input: command.input });
      return respond(command.constructor.name, command.input);
    },
  } as unknown as SageMakerClient;
  return { client, sent };
};

const serviceError = (name: string, message: string): SageMakerServiceException =>
  new SageMakerServiceException({ name, $fault: 'client', $metadata: { httpStatusCode: 400 }, message });

const settledWithin = async (result: Promise<ExecutionOutcome>, ms: number): Promise<boolean> => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  const settled = await Promise.race([result.then(() => true), timeout]);
  clearTimeout(timer);
  return settled;
};

const harnesses: LocalStateMachine[] = [];
const create = (options: LocalStateMachineOptions): LocalStateMachine => {
  const harness = createLocalStateMachine(options);
  harnesses.push(harness);
  return harness;
};

afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(harnesses.splice(0).map((harness) => harness.dispose()));
});

const waitForApproval = (name: string, extra: Record<string, unknown> = {}) => ({
  Type: 'Task',
  Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
  Parameters: { FunctionName: fn(name), Payload: { 'token.$': '$$.Task.Token', 'model.$': '$.model' } },
  TimeoutSeconds: 604800,
  ...extra,
});

const promotion = {
  Comment: 'hand-written promotion flow',
  StartAt: 'Prepare',
  States: {
    Prepare: {
      Type: 'Task',
      Resource: fn('prepare'),
      Parameters: { 'model.$': '$.model', 'execution.$': '$$.Execution.Name' },
      ResultPath: '$.prepared',
      Next: 'CreateModel',
    },
    CreateModel: {
      Type: 'Task',
      Resource: 'arn:aws:states:::aws-sdk:sagemaker:createModel',
      Parameters: { 'ModelName.$': '$.model', ExecutionRoleArn: ROLE, PrimaryContainer: { 'Image.$': '$.prepared.image' } },
      ResultSelector: { 'arn.$': '$.ModelArn' },
      ResultPath: '$.created',
      Retry: [{ ErrorEquals: ['SageMaker.ThrottlingException'], IntervalSeconds: 3600, MaxAttempts: 2 }],
      Next: 'AwaitApproval',
    },
    AwaitApproval: waitForApproval('request-approval', { ResultPath: '$.approval', Next: 'Cooldown' }),
    Cooldown: { Type: 'Wait', Seconds: 3600, Next: 'Describe' },
    Describe: {
      Type: 'Task',
      Resource: 'arn:aws:states:::aws-sdk:sagemaker:describeModel',
      Parameters: { 'ModelName.$': '$.model' },
      ResultPath: '$.described',
      Next: 'ScoreVariants',
    },
    ScoreVariants: {
      Type: 'Map',
      ItemsPath: '$.variants',
      ItemSelector: { 'variant.$': '$$.Map.Item.Value', 'model.$': '$.model' },
      ItemProcessor: {
        ProcessorConfig: { Mode: 'INLINE' },
        StartAt: 'Score',
        States: {
          Score: {
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke',
            Parameters: { FunctionName: fn('score'), 'Payload.$': '$' },
            ResultSelector: { 'score.$': '$.Payload.score', 'status.$': '$.StatusCode' },
            End: true,
          },
        },
      },
      ResultPath: '$.scores',
      Next: 'Done',
    },
    Done: { Type: 'Succeed' },
  },
};

describe('createLocalStateMachine', () => {
  it('runs Lambda, SageMaker (with Retry), waitForTaskToken, Wait and Map states locally and fast', async () => {
    const lambdas = createLambdas({
      [fn('prepare')]: (payload) => ({ image: `registry/${String(payload.model)}:1`, execution: payload.execution }),
      [fn('request-approval')]: () => ({ notified: true }),
      [fn('score')]: (payload) => ({ score: String(payload.variant).length }),
    });
    let createAttempts = 0;
    const sageMaker = createSageMaker((command, input) => {
      if (command === 'CreateModelCommand') {
        createAttempts += 1;
        if (createAttempts === 1) throw serviceError('ThrottlingException', 'Rate exceeded');
        return { $metadata: { httpStatusCode: 200 }, ModelArn: `arn:aws:sagemaker:us-east-1:123456789012:model/${String(input.ModelName)}` };
      }
      if (command === 'DescribeModelCommand') {
        return { $metadata: { httpStatusCode: 200 }, ModelName: input.ModelName, CreationTime: CREATED_AT, Containers: undefined };
      }
      throw new Error(`unexpected ${command}`);
    });
    const machine = create({ definition: promotion, invokeLambda: lambdas.invokeLambda, sagemaker: sageMaker.client });
    const started = Date.now();

    const execution = machine.start('promote-1', { model: 'churn', variants: ['a', 'bbb'] });
    const token = await lambdas.nextToken(execution);

    expect(execution.name).toBe('promote-1');
    expect(token).toBe('promote-1:token:1');
    expect(await settledWithin(execution.result, 30)).toBe(false); // waits for the task token
    expect(machine.history('promote-1')).toEqual(['Prepare', 'CreateModel', 'AwaitApproval']);

    await machine.sendTaskSuccess(token, JSON.stringify({ approved: true, by: 'alice' }));
    const outcome = await execution.result;

    expect(Date.now() - started).toBeLessThan(5_000); // Wait 3600 s and Retry 3600 s were shortened
    expect(outcome).toEqual({
      status: 'SUCCEEDED',
      output: {
        model: 'churn',
        variants: ['a', 'bbb'],
        prepared: { image: 'registry/churn:1', execution: 'promote-1' },
        created: { arn: 'arn:aws:sagemaker:us-east-1:123456789012:model/churn' },
        approval: { approved: true, by: 'alice' },
        described: { ModelName: 'churn', CreationTime: '2024-05-06T07:08:09.000Z' },
        scores: [
          { score: 1, status: 200 },
          { score: 3, status: 200 },
        ],
      },
    });
    expect(machine.history('promote-1')).toEqual([
      'Prepare',
      'CreateModel',
      'AwaitApproval',
      'Cooldown',
      'Describe',
      'ScoreVariants',
      'Score',
      'Score',
      'Done',
    ]);
    const modelInput = { ModelName: 'churn', ExecutionRoleArn: ROLE, PrimaryContainer: { Image: 'registry/churn:1' } };
    expect(machine.sagemakerCalls).toEqual([
      { state: 'CreateModel', action: 'createModel', input: modelInput },
      { state: 'CreateModel', action: 'createModel', input: modelInput },
      { state: 'Describe', action: 'describeModel', input: { ModelName: 'churn' } },
    ]);
    expect(sageMaker.sent.map((call) => call.command)).toEqual([
      'CreateModelCommand',
      'CreateModelCommand',
      'DescribeModelCommand',
    ]);
    expect(sageMaker.sent[0]?.input).toEqual(modelInput);
    expect(lambdas.calls).toEqual([
      { functionArn: fn('prepare'), payload: { model: 'churn', execution: 'promote-1' } },
      { functionArn: fn('request-approval'), payload: { token, model: 'churn' } },
      { functionArn: fn('score'), payload: { variant: 'a', model: 'churn' } },
      { functionArn: fn('score'), payload: { variant: 'bbb', model: 'churn' } },
    ]);
  });

  it('routes sendTaskFailure to Catch, gives each task its own token and ends in a Fail state', async () => {
    const definition = {
      StartAt: 'AwaitApproval',
      States: {
        AwaitApproval: waitForApproval('request-approval', {
          ResultPath: '$.approval',
          Catch: [{ ErrorEquals: ['Approval.Rejected'], ResultPath: '$.rejection', Next: 'NotifyRejected' }],
          Next: 'CreateEndpointConfig',
        }),
        NotifyRejected: {
          Type: 'Task',
          Resource: fn('notify'),
          Parameters: { 'rejection.$': '$.rejection' },
          ResultPath: null,
          Next: 'SecondApproval',
        },
        SecondApproval: waitForApproval('request-approval', { ResultPath: '$.approval', Next: 'CreateEndpointConfig' }),
        CreateEndpointConfig: {
          Type: 'Task',
          Resource: 'arn:aws:states:::aws-sdk:sagemaker:createEndpointConfig',
          Parameters: { 'EndpointConfigName.$': '$.model', ProductionVariants: [{ VariantName: 'AllTraffic', 'ModelName.$': '$.model' }] },
          Catch: [{ ErrorEquals: ['SageMaker.ValidationException'], ResultPath: '$.error', Next: 'PromotionFailed' }],
          End: true,
        },
        PromotionFailed: { Type: 'Fail', Error: 'PromotionFailed', CausePath: '$.error.Cause' },
      },
    };
    const lambdas = createLambdas({ [fn('request-approval')]: () => null, [fn('notify')]: () => ({ sent: true }) });
    const sageMaker = createSageMaker(() => {
      throw serviceError('ValidationException', 'Could not find model "churn".');
    });
    const machine = create({ definition, invokeLambda: lambdas.invokeLambda, sagemaker: sageMaker.client });

    const execution = machine.start('promote-2', { model: 'churn' });
    const firstToken = await lambdas.nextToken(execution);
    await machine.sendTaskFailure(firstToken, 'Approval.Rejected', 'not good enough');
    const secondToken = await lambdas.nextToken(execution);

    expect(secondToken).not.toBe(firstToken);
    await expect(machine.sendTaskSuccess(firstToken, '{}')).rejects.toMatchObject({ name: 'TaskDoesNotExist' });
    await machine.sendTaskSuccess(secondToken, JSON.stringify({ approved: true }));

    expect(await execution.result).toEqual({
      status: 'FAILED',
      error: 'PromotionFailed',
      cause: 'Could not find model "churn".',
    });
    expect(lambdas.calls[1]).toEqual({
      functionArn: fn('notify'),
      payload: { rejection: { Error: 'Approval.Rejected', Cause: 'not good enough' } },
    });
    expect(machine.history('promote-2')).toEqual([
      'AwaitApproval',
      'NotifyRejected',
      'SecondApproval',
      'CreateEndpointConfig',
      'PromotionFailed',
    ]);
    expect(machine.sagemakerCalls).toEqual([
      {
        state: 'CreateEndpointConfig',
        action: 'createEndpointConfig',
        input: { EndpointConfigName: 'churn', ProductionVariants: [{ VariantName: 'AllTraffic', ModelName: 'churn' }] },
      },
    ]);
    await expect(machine.sendTaskSuccess(secondToken, '{}')).rejects.toMatchObject({ name: 'TaskDoesNotExist' });
  });

  it.each([
    [serviceError('ValidationException', 'bad input'), 'SageMaker.ValidationException', 'bad input'],
    [serviceError('ValidationError', 'bad input'), 'SageMaker.ValidationErrorException', 'bad input'],
    [Object.assign(new Error('no such model'), { name: 'ResourceNotFound' }), 'SageMaker.ResourceNotFoundException', 'no such model'],
    [new TypeError('fake is broken'), 'TypeError', 'fake is broken'],
  ])('names SageMaker error %s as %s', async (thrown, error, cause) => {
    const definition = {
      StartAt: 'DeleteModel',
      States: {
        DeleteModel: {
          Type: 'Task',
          Resource: 'arn:aws:states:::aws-sdk:sagemaker:deleteModel',
          Parameters: { ModelName: 'm' },
          End: true,
        },
      },
    };
    const sageMaker = createSageMaker(() => {
      throw thrown;
    });
    const machine = create({ definition, invokeLambda: async () => null, sagemaker: sageMaker.client });

    expect(await machine.start('delete', {}).result).toEqual({ status: 'FAILED', error, cause });
    expect(sageMaker.sent.map((call) => call.command)).toEqual(['DeleteModelCommand']);
  });

  it('reports an uncaught Lambda error by its name and starts the same name (and input) once', async () => {
    const definition = {
      StartAt: 'Lookup',
      States: { Lookup: { Type: 'Task', Resource: fn('lookup'), End: true } },
    };
    const lambdas = createLambdas({
      [fn('lookup')]: (payload) => {
        throw Object.assign(new Error(`model ${String(payload.model)} is missing`), { name: 'ModelNotFound' });
      },
    });
    const machine = create({ definition, invokeLambda: lambdas.invokeLambda, sagemaker: createSageMaker(() => null).client });

    const first = machine.start('lookup-1', { model: 'churn' });
    const second = machine.start('lookup-1', { model: 'churn' });

    expect(second).toBe(first);
    expect(await first.result).toEqual({ status: 'FAILED', error: 'ModelNotFound', cause: 'model churn is missing' });
    expect(machine.start('lookup-1', { model: 'churn' })).toBe(first);
    expect(lambdas.calls).toHaveLength(1);
    expect(errorOf(() => machine.start('lookup-1', { model: 'other' }))).toMatchObject({ name: 'ExecutionAlreadyExists' });
    expect(errorOf(() => machine.history('never-started'))).toMatchObject({ name: 'ExecutionDoesNotExist' });
    expect(machine.history('lookup-1')).toEqual(['Lookup']);
  });

  it('rejects unknown task tokens and invalid output, keeping the task waiting', async () => {
    const definition = { StartAt: 'AwaitApproval', States: { AwaitApproval: waitForApproval('request-approval', { End: true }) } };
    const lambdas = createLambdas({ [fn('request-approval')]: () => null });
    const machine = create({ definition, invokeLambda: lambdas.invokeLambda, sagemaker: createSageMaker(() => null).client });

    const execution = machine.start('approve', { model: 'churn' });
    const token = await lambdas.nextToken(execution);

    await expect(machine.sendTaskSuccess('nope', '{}')).rejects.toMatchObject({ name: 'TaskDoesNotExist' });
    await expect(machine.sendTaskFailure('nope', 'E')).rejects.toMatchObject({ name: 'TaskDoesNotExist' });
    await expect(machine.sendTaskSuccess(token, 'not json')).rejects.toMatchObject({ name: 'InvalidOutput' });
    expect(await settledWithin(execution.result, 10)).toBe(false);

    await machine.sendTaskSuccess(token, '"approved"');
    expect(await execution.result).toEqual({ status: 'SUCCEEDED', output: 'approved' });
  });

  it('honours task timeouts beyond the 24.8-day Node timer limit', async () => {
    const definition = {
      StartAt: 'AwaitApproval',
      States: { AwaitApproval: waitForApproval('request-approval', { TimeoutSeconds: 31_536_000, End: true }) },
    };
    const lambdas = createLambdas({ [fn('request-approval')]: () => null });
    const machine = create({ definition, invokeLambda: lambdas.invokeLambda, sagemaker: createSageMaker(() => null).client });

    const execution = machine.start('year', { model: 'churn' });
    const token = await lambdas.nextToken(execution);

    expect(await settledWithin(execution.result, 30)).toBe(false); // an overflowing timer would fire after 1 ms
    await machine.sendTaskSuccess(token, '{"ok":true}');
    expect(await execution.result).toEqual({ status: 'SUCCEEDED', output: { ok: true } });
  });

  it('does not apply the library 60 s default timeout to tasks without TimeoutSeconds', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const definition = {
      StartAt: 'AwaitApproval',
      States: { AwaitApproval: { ...waitForApproval('request-approval', { End: true }), TimeoutSeconds: undefined } },
    };
    const lambdas = createLambdas({ [fn('request-approval')]: () => null });
    const machine = create({
      definition: JSON.parse(JSON.stringify(definition)) as Record<string, unknown>,
      invokeLambda: lambdas.invokeLambda,
      sagemaker: createSageMaker(() => null).client,
      fastTimeMs: 0,
    });
    let outcome: ExecutionOutcome | undefined;

    const execution = machine.start('slow', { model: 'churn' });
    void execution.result.then((settled) => (outcome = settled));
    const token = await lambdas.nextToken(execution);
    await vi.advanceTimersByTimeAsync(61_000);

    expect(outcome).toBeUndefined();
    await machine.sendTaskSuccess(token, '1');
    expect(await execution.result).toEqual({ status: 'SUCCEEDED', output: 1 });
  });

  it('releases tasks still waiting in Map iterations when the execution fails', async () => {
    const definition = {
      StartAt: 'Each',
      States: {
        Each: {
          Type: 'Map',
          ItemsPath: '$.models',
          ItemSelector: { 'model.$': '$$.Map.Item.Value' },
          ItemProcessor: { StartAt: 'Approve', States: { Approve: waitForApproval('request-approval', { End: true }) } },
          End: true,
        },
      },
    };
    const lambdas = createLambdas({
      [fn('request-approval')]: async (payload) => {
        if (payload.model === 'bad') {
          await new Promise((resolve) => setTimeout(resolve, 10));
          throw Object.assign(new Error('cannot ask'), { name: 'Approval.Unavailable' });
        }
        return null;
      },
    });
    const machine = create({ definition, invokeLambda: lambdas.invokeLambda, sagemaker: createSageMaker(() => null).client });

    const execution = machine.start('fan-out', { models: ['good', 'bad'] });
    const goodToken = await lambdas.nextToken(execution);

    expect(await execution.result).toEqual({ status: 'FAILED', error: 'Approval.Unavailable', cause: 'cannot ask' });
    expect(machine.history('fan-out')).toEqual(['Each', 'Approve', 'Approve']);
    await expect(machine.sendTaskSuccess(goodToken, '{}')).rejects.toMatchObject({ name: 'TaskDoesNotExist' });
  });

  it('dispose() aborts running executions and releases their tasks', async () => {
    const definition = { StartAt: 'AwaitApproval', States: { AwaitApproval: waitForApproval('request-approval', { End: true }) } };
    const lambdas = createLambdas({ [fn('request-approval')]: () => null });
    const machine = create({ definition, invokeLambda: lambdas.invokeLambda, sagemaker: createSageMaker(() => null).client });

    const execution = machine.start('abandoned', { model: 'churn' });
    const token = await lambdas.nextToken(execution);
    await machine.dispose();

    expect(await execution.result).toMatchObject({ status: 'FAILED', error: 'ExecutionAborted' });
    await expect(machine.sendTaskSuccess(token, '{}')).rejects.toMatchObject({ name: 'TaskDoesNotExist' });
  });

  it('rejects definitions it cannot run locally', () => {
    const lambda = async (): Promise<unknown> => null;
    const sagemaker = createSageMaker(() => null).client;
    const single = (state: Record<string, unknown>) => ({ StartAt: 'Only', States: { Only: { ...state, End: true } } });

    expect(
      errorOf(() =>
        createLocalStateMachine({
          definition: single({ Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage' }),
          invokeLambda: lambda,
          sagemaker,
        }),
      ),
    ).toMatchObject({ message: expect.stringContaining("unsupported Resource 'arn:aws:states:::sqs:sendMessage'") });
    expect(
      errorOf(() =>
        createLocalStateMachine({
          definition: single({ Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:sagemaker:makeCoffee' }),
          invokeLambda: lambda,
          sagemaker,
        }),
      ),
    ).toMatchObject({ message: expect.stringContaining('no MakeCoffeeCommand') });
    expect(
      errorOf(() =>
        createLocalStateMachine({
          definition: single({
            Type: 'Map',
            ItemProcessor: { StartAt: 'Only', States: { Only: { Type: 'Pass', End: true } } },
          }),
          invokeLambda: lambda,
          sagemaker,
        }),
      ),
    ).toMatchObject({ message: expect.stringContaining("state name 'Only' is used twice") });
  });
});
