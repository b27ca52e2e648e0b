import { describe, it, expect } from 'vitest';
import type { LoggedModel } from '../../../../shared/domain/tracking/entities.js';
import {
  loggedModelMatches,
  parseLoggedModelFilter,
  type LoggedModelDatasetFilter,
} from '../../../../shared/domain/search/index.js';
import { aModel, errorOf } from './logged-model-builders.js';

const idsMatching = (
  models: LoggedModel[],
  filter: string | undefined,
  datasets?: LoggedModelDatasetFilter[],
): string[] => {
  const compiled = parseLoggedModelFilter(filter);
  return models.filter((m) => loggedModelMatches(m, compiled, datasets)).map((m) => m.modelId);
};

describe('logged model filter: attributes, params and tags', () => {
  const models = [
    aModel({ id: 'm-1', name: 'forest', created: 100, modelType: 'sklearn', params: { lr: '0.01' }, tags: { stage: 'dev' } }),
    aModel({ id: 'm-2', name: 'Forest-v2', created: 200, status: 'LOGGED_MODEL_PENDING', params: { lr: '0.1' } }),
    aModel({ id: 'm-3', name: 'linear', created: 300, tags: { stage: 'prod' } }),
  ];

  it.each([
    { filter: "name = 'forest'", expected: ['m-1'] },
    { filter: "attributes.name != 'forest'", expected: ['m-2', 'm-3'] },
    { filter: "name LIKE 'F%'", expected: ['m-2'] },
    { filter: "name ILIKE 'f%'", expected: ['m-1', 'm-2'] },
    { filter: "name IN ('linear', 'forest')", expected: ['m-1', 'm-3'] },
    { filter: "name NOT IN ('linear')", expected: ['m-1', 'm-2'] },
    { filter: "model_id = 'm-3'", expected: ['m-3'] },
    { filter: "model_type != 'pytorch'", expected: ['m-1'] },
    { filter: 'creation_timestamp >= 200', expected: ['m-2', 'm-3'] },
    { filter: 'attributes.creation_time < 200', expected: ['m-1'] },
    { filter: 'last_updated_timestamp = 300', expected: ['m-3'] },
    { filter: "status = 'LOGGED_MODEL_PENDING'", expected: ['m-2'] },
    { filter: "status = '2'", expected: ['m-1', 'm-3'] },
  ])('`$filter` keeps $expected (unset attributes never match)', ({ filter, expected }) => {
    // Prepare
    const candidates = models;

    // Act
    const ids = idsMatching(candidates, filter);

    // Assess
    expect(ids).toEqual(expected);
  });

  it.each([
    { filter: "params.lr = '0.01'", expected: ['m-1'] },
    { filter: 'params.lr = 0.1', expected: ['m-2'] },
    { filter: "params.lr != '0.01'", expected: ['m-2'] },
    { filter: "tags.stage LIKE 'p%'", expected: ['m-3'] },
    { filter: "tags.stage ILIKE 'DEV'", expected: ['m-1'] },
    { filter: "tags.stage IN ('dev', 'prod') AND params.lr LIKE '0.0%'", expected: ['m-1'] },
  ])('`$filter` keeps $expected (the key must exist)', ({ filter, expected }) => {
    // Prepare
    const candidates = models;

    // Act
    const ids = idsMatching(candidates, filter);

    // Assess
    expect(ids).toEqual(expected);
  });
});

describe('logged model filter: metrics and datasets', () => {
  const models = [
    aModel({
      id: 'm-1',
      metrics: [
        { value: 0.7, datasetName: 'train', datasetDigest: 'd1' },
        { value: 0.95, datasetName: 'test', datasetDigest: 'd2' },
      ],
    }),
    aModel({ id: 'm-2', metrics: [{ value: 0.8, datasetName: 'train', datasetDigest: 'd1' }] }),
    aModel({ id: 'm-3', metrics: [{ value: Number.NaN }] }),
    aModel({ id: 'm-4' }),
  ];

  it.each([
    { filter: 'metrics.acc > 0.9', expected: ['m-1'] },
    { filter: 'metrics.acc >= 0.8', expected: ['m-1', 'm-2'] },
    { filter: 'metrics.acc < 0.75', expected: ['m-1'] },
    { filter: 'metrics.acc <= 0.8', expected: ['m-1', 'm-2'] },
    { filter: 'metrics.acc = 0.8', expected: ['m-2'] },
    { filter: 'metrics.acc != 0.8', expected: ['m-1'] },
  ])('`$filter` keeps $expected (any point may match; NaN and missing never do)', ({ filter, expected }) => {
    // Prepare
    const candidates = models;

    // Act
    const ids = idsMatching(candidates, filter);

    // Assess
    expect(ids).toEqual(expected);
  });

  it('datasets restrict metric clauses to points on those datasets', () => {
    // Prepare
    const datasets = [{ datasetName: 'train' }];

    // Act
    const ids = idsMatching(models, 'metrics.acc > 0.75', datasets);

    // Assess
    expect(ids).toEqual(['m-2']);
  });

  it('a dataset digest must match too when given', () => {
    // Prepare
    const datasets = [{ datasetName: 'test', datasetDigest: 'other' }];

    // Act
    const ids = idsMatching(models, 'metrics.acc > 0', datasets);

    // Assess
    expect(ids).toEqual([]);
  });

  it('datasets without metric clauses keep models having any metric on those datasets', () => {
    // Prepare
    const datasets = [{ datasetName: 'test', datasetDigest: 'd2' }];

    // Act
    const ids = idsMatching(models, "name LIKE 'model-%'", datasets);

    // Assess
    expect(ids).toEqual(['m-1']);
  });

  it('a dataset restriction without a name is rejected', () => {
    // Prepare
    const filter = parseLoggedModelFilter(undefined);

    // Act
    const error = errorOf(() => loggedModelMatches(aModel({ id: 'm-1' }), filter, [{ datasetName: '' }]));

    // Assess
    expect(error).toMatchObject({
      errorCode: 'INVALID_PARAMETER_VALUE',
      message: '`dataset_name` in the `datasets` clause must be specified.',
    });
  });
});
