import { describe, expect, it, vi } from 'vitest';

import type { ExecutionOutcome } from '../../support/local-state-machine.js';
import { createLambdas, createSageMaker, fn, settledWithin, useLocalStateMachines, waitForApproval } from './local-state-machine-fixtures.js';

const create = useLocalStateMachines();

describe('createLocalStateMachine: waiting tasks (tokens, timeouts, release)', () => {
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
});
