import { describe, expect, it } from 'vitest';

import { errorOf } from '../../support/error-of.js';
import { createLocalStateMachine } from '../../support/local-state-machine.js';
import { createLambdas, createSageMaker, fn, serviceError, useLocalStateMachines } from './local-state-machine-fixtures.js';

const create = useLocalStateMachines();

describe('createLocalStateMachine: errors and rejected input', () => {
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
