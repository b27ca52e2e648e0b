import { describe, it, expect } from 'vitest';
import type { LoggedModel, LoggedModelStatus, MetricPoint } from '../../../../shared/domain/entities.js';
import {
  compareLoggedModels,
  loggedModelMatches,
  parseLoggedModelFilter,
  type LoggedModelDatasetFilter,
  type LoggedModelOrderBy,
} from '../../../../shared/domain/search/index.js';

interface ModelSpec {
  id: string;
  name?: string;
  created?: number;
  status?: LoggedModelStatus;
  modelType?: string;
  params?: Record<string, string>;
  tags?: Record<string, string>;
  metrics?: Partial<MetricPoint>[];
}

const aModel = (spec: ModelSpec): LoggedModel => ({
  modelId: spec.id,
  experimentId: '1',
  name: spec.name ?? `model-${spec.id}`,
  artifactUri: `mlflow-artifacts:/1/models/${spec.id}/artifacts`,
  status: spec.status ?? 'LOGGED_MODEL_READY',
  creationTimestampMs: spec.created ?? 1000,
  lastUpdatedTimestampMs: spec.created ?? 1000,
  ...(spec.modelType === undefined ? {} : { modelType: spec.modelType }),
  tags: spec.tags ?? {},
  params: spec.params ?? {},
  metrics: (spec.metrics ?? []).map((m) => ({ key: 'acc', value: 0, timestamp: 0, step: 0, ...m })),
  lifecycleStage: 'active',
});

const idsMatching = (
  models: LoggedModel[],
  filter: string | undefined,
  datasets?: LoggedModelDatasetFilter[],
): string[] => {
  const compiled = parseLoggedModelFilter(filter);
  return models.filter((m) => loggedModelMatches(m, compiled, datasets)).map((m) => m.modelId);
};

const sortedIds = (models: LoggedModel[], orderBy?: LoggedModelOrderBy[]): string[] =>
  [...models].sort(compareLoggedModels(orderBy)).map((m) => m.modelId);

const errorOf = (act: () => unknown): unknown => {
  try {
    act();
  } catch (error) {
    return error;
  }
  return undefined;
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

describe('logged model filter: errors', () => {
  it.each([
    { filter: 'foo.x = 1', message: "Invalid entity type: 'foo'. Expected one of ['attributes', 'metrics', 'params', 'tags']." },
    { filter: 'metrics.acc LIKE 1', message: "Invalid comparison operator for metrics.acc: 'LIKE'. Expected one of ('<', '<=', '>', '>=', '=', '!=')." },
    {
      filter: 'name > 1',
      message: "Invalid comparison operator for attributes.name: '>'. Expected one of ('=', '!=', 'LIKE', 'ILIKE', 'IN', 'NOT IN').",
    },
    { filter: "metrics.acc > 'high'", message: "Expected numeric value type for metrics.acc. Found 'high'" },
    {
      filter: "name = 'a' OR name = 'b'",
      message: "Invalid filter string: \"name = 'a' OR name = 'b'\". Expected a list of comparisons separated by 'AND' (e.g. 'metrics.loss > 0.1 AND params.lr = 0.01').",
    },
    { filter: "name = 'a'; name = 'b'", message: "Invalid filter string: \"name = 'a'; name = 'b'\". Expected a single SQL expression." },
  ])('`$filter` is rejected: $message', ({ filter, message }) => {
    // Prepare
    const act = () => parseLoggedModelFilter(filter);

    // Act
    const error = errorOf(act);

    // Assess
    expect(error).toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE', message });
  });

  it('an unknown attribute is rejected instead of failing like the reference', () => {
    // Prepare
    const filter = "colour = 'red'";

    // Act
    const error = errorOf(() => parseLoggedModelFilter(filter));

    // Assess
    expect(error).toMatchObject({
      errorCode: 'INVALID_PARAMETER_VALUE',
      message: expect.stringMatching(/^Invalid attribute key 'colour' specified\. Valid keys are '\{'model_id', /u),
    });
  });
});

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
