import { describe, it, expect } from 'vitest';
import type { LoggedModel } from '../../../../shared/domain/tracking/entities.js';
import { compareLoggedModels, type LoggedModelOrderBy } from '../../../../shared/domain/search/index.js';
import { aModel, errorOf } from './logged-model-builders.js';

const sortedIds = (models: LoggedModel[], orderBy?: LoggedModelOrderBy[]): string[] =>
  [...models].sort(compareLoggedModels(orderBy)).map((m) => m.modelId);

describe('logged model order', () => {
  it('by default models come newest first', () => {
    // Prepare
    const models = [aModel({ id: 'a', created: 1 }), aModel({ id: 'b', created: 3 }), aModel({ id: 'c', created: 2 })];

    // Act
    const ids = sortedIds(models, undefined);

    // Assess
    expect(ids).toEqual(['b', 'c', 'a']);
  });

  it('ordering by an attribute keeps creation_timestamp DESC as tie-break, then model_id', () => {
    // Prepare
    const models = [
      aModel({ id: 'x', name: 'same', created: 1 }),
      aModel({ id: 'y', name: 'same', created: 5 }),
      aModel({ id: 'w', name: 'same', created: 5 }),
      aModel({ id: 'z', name: 'first', created: 0 }),
    ];

    // Act
    const ids = sortedIds(models, [{ fieldName: 'name' }]);

    // Assess
    expect(ids).toEqual(['z', 'w', 'y', 'x']);
  });

  it.each([
    { ascending: true, expected: ['b', 'a', 'none', 'nan'] },
    { ascending: false, expected: ['a', 'b', 'none', 'nan'] },
  ])('metric order ascending=$ascending uses the latest point and puts models without a value last', ({ ascending, expected }) => {
    // Prepare
    const models = [
      aModel({ id: 'a', created: 4, metrics: [{ value: 0.1, timestamp: 1 }, { value: 0.9, timestamp: 2 }] }),
      aModel({ id: 'b', created: 3, metrics: [{ value: 0.5, timestamp: 5, step: 1 }, { value: 0.2, timestamp: 5, step: 2 }] }),
      aModel({ id: 'none', created: 2 }),
      aModel({ id: 'nan', created: 1, metrics: [{ value: Number.NaN }] }),
    ];

    // Act
    const ids = sortedIds(models, [{ fieldName: 'metrics.acc', ascending }]);

    // Assess
    expect(ids).toEqual(expected);
  });

  it('metric order may look only at points of one dataset', () => {
    // Prepare
    const models = [
      aModel({ id: 'a', metrics: [{ value: 0.9, datasetName: 'train' }, { value: 0.1, datasetName: 'test', timestamp: 9 }] }),
      aModel({ id: 'b', metrics: [{ value: 0.5, datasetName: 'test' }] }),
    ];

    // Act
    const ids = sortedIds(models, [{ fieldName: 'metrics.acc', ascending: false, datasetName: 'train' }]);

    // Assess
    expect(ids).toEqual(['a', 'b']);
  });

  it('status orders by its proto number', () => {
    // Prepare
    const models = [
      aModel({ id: 'failed', status: 'LOGGED_MODEL_UPLOAD_FAILED' }),
      aModel({ id: 'ready', status: 'LOGGED_MODEL_READY' }),
      aModel({ id: 'pending', status: 'LOGGED_MODEL_PENDING' }),
    ];

    // Act
    const ids = sortedIds(models, [{ fieldName: 'status' }]);

    // Assess
    expect(ids).toEqual(['pending', 'ready', 'failed']);
  });

  it('unset attributes sort last in both directions', () => {
    // Prepare
    const models = [aModel({ id: 'unset' }), aModel({ id: 'b', modelType: 'b' }), aModel({ id: 'a', modelType: 'a' })];

    // Act
    const ascending = sortedIds(models, [{ fieldName: 'model_type', ascending: true }]);
    const descending = sortedIds(models, [{ fieldName: 'model_type', ascending: false }]);

    // Assess
    expect([ascending, descending]).toEqual([
      ['a', 'b', 'unset'],
      ['b', 'a', 'unset'],
    ]);
  });

  it.each([
    { fieldName: 'colour', message: 'Invalid order by field name: colour' },
    { fieldName: 'params.lr', message: 'Invalid order by field name: params.lr. Only metrics are supported.' },
  ])('order by $fieldName is rejected: $message', ({ fieldName, message }) => {
    // Prepare
    const act = () => compareLoggedModels([{ fieldName }]);

    // Act
    const error = errorOf(act);

    // Assess
    expect(error).toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE', message });
  });
});
