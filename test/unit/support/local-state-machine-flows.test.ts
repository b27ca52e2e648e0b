import { describe, expect, it } from 'vitest';

import { createLambdas, createSageMaker, fn, serviceError, settledWithin, useLocalStateMachines, waitForApproval } from './local-state-machine-fixtures.js';

const ROLE = 'arn:aws:iam::123456789012:role/sagemaker-execution';
const CREATED_AT = new Date('2024-05-06T07:08:09.000Z');

const create = useLocalStateMachines();

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

describe('createLocalStateMachine: whole flows', () => {
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
});
