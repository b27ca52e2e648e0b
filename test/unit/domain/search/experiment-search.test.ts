import { describe, it, expect } from 'vitest';
import type { Experiment } from '../../../../shared/domain/tracking/entities.js';
import {
  compareExperiments,
  experimentMatches,
  parseExperimentFilter,
  parseExperimentOrderBy,
} from '../../../../shared/domain/search/index.js';
import { errorOf } from '../../../support/error-of.js';

const anExperiment = (
  id: string,
  spec: { name?: string; creationTime?: number; lastUpdateTime?: number; tags?: Record<string, string> } = {},
): Experiment => ({
  experimentId: id,
  name: spec.name ?? `exp-${id}`,
  artifactLocation: `mlflow-artifacts:/${id}`,
  lifecycleStage: 'active',
  creationTime: spec.creationTime ?? 1000,
  lastUpdateTime: spec.lastUpdateTime ?? spec.creationTime ?? 1000,
  tags: spec.tags ?? {},
});

const idsMatching = (experiments: Experiment[], filter: string | undefined): string[] => {
  const compiled = parseExperimentFilter(filter);
  return experiments.filter((e) => experimentMatches(e, compiled)).map((e) => e.experimentId);
};

const sortedIds = (experiments: Experiment[], orderBy: string[] | undefined): string[] =>
  [...experiments].sort(compareExperiments(parseExperimentOrderBy(orderBy))).map((e) => e.experimentId);


describe('experiment filter', () => {
  const experiments = [
    anExperiment('1', { name: 'wine-quality', creationTime: 100, lastUpdateTime: 500, tags: { team: 'ml' } }),
    anExperiment('2', { name: 'Wine-Regression', creationTime: 200, lastUpdateTime: 200, tags: { team: 'ML' } }),
    anExperiment('3', { name: 'iris', creationTime: 300, lastUpdateTime: 300 }),
  ];

  it('an empty filter keeps every experiment', () => {
    // Prepare
    const filter = undefined;

    // Act
    const ids = idsMatching(experiments, filter);

    // Assess
    expect(ids).toEqual(['1', '2', '3']);
  });

  it.each([
    { filter: "name = 'iris'", expected: ['3'] },
    { filter: "name != 'iris'", expected: ['1', '2'] },
    { filter: "name LIKE 'wine%'", expected: ['1'] },
    { filter: "attribute.name ILIKE 'wine%'", expected: ['1', '2'] },
    { filter: 'attributes.name = "iris"', expected: ['3'] },
    { filter: "name like '%-%'", expected: ['1', '2'] },
  ])('`$filter` keeps $expected', ({ filter, expected }) => {
    // Prepare
    const candidates = experiments;

    // Act
    const ids = idsMatching(candidates, filter);

    // Assess
    expect(ids).toEqual(expected);
  });

  it.each([
    { filter: 'creation_time = 200', expected: ['2'] },
    { filter: 'creation_time != 200', expected: ['1', '3'] },
    { filter: 'creation_time > 100', expected: ['2', '3'] },
    { filter: 'creation_time >= 200', expected: ['2', '3'] },
    { filter: 'creation_time < 300', expected: ['1', '2'] },
    { filter: 'creation_time <= 100', expected: ['1'] },
    { filter: 'last_update_time > 250', expected: ['1', '3'] },
  ])('`$filter` keeps $expected', ({ filter, expected }) => {
    // Prepare
    const candidates = experiments;

    // Act
    const ids = idsMatching(candidates, filter);

    // Assess
    expect(ids).toEqual(expected);
  });

  it.each([
    { filter: "tags.team = 'ml'", expected: ['1'] },
    { filter: "tags.team != 'ml'", expected: ['2'] },
    { filter: "tag.team LIKE 'M%'", expected: ['2'] },
    { filter: "tags.`team` ILIKE 'ml'", expected: ['1', '2'] },
  ])('`$filter` keeps $expected (experiments without the tag never match)', ({ filter, expected }) => {
    // Prepare
    const candidates = experiments;

    // Act
    const ids = idsMatching(candidates, filter);

    // Assess
    expect(ids).toEqual(expected);
  });

  it.each([
    { filter: "params.x = 'a'", message: "Invalid entity type 'params'. Valid entity types are ('attribute', 'tag', 'tags')" },
    {
      filter: "lifecycle_stage = 'active'",
      message: "Invalid attribute key 'lifecycle_stage' specified. Valid keys are '{'name', 'creation_time', 'last_update_time'}'",
    },
    { filter: "name IN ('a')", message: "Only the 'run_id' attribute supports comparison with a list of quoted string values." },
    { filter: "name > 'a'", message: "Invalid comparator '>' not one of '{'!=', '=', 'LIKE', 'ILIKE', 'IN', 'NOT IN'}'" },
    { filter: 'creation_time LIKE 5', message: "Invalid comparator 'LIKE' not one of '{'>', '>=', '!=', '=', '<', '<='}" },
    { filter: "tags.t > 'a'", message: 'Invalid comparator for tag: >' },
    { filter: "creation_time > 'a'", message: "Expected numeric value type for numeric attribute: creation_time. Found 'a'" },
    { filter: 'tags.t = 1', message: "Expected a quoted string value for tag (e.g. 'my-value'). Got value 1" },
    { filter: "name = 'a' OR name = 'b'", message: 'Invalid clause(s) in filter string: OR' },
  ])('`$filter` is rejected: $message', ({ filter, message }) => {
    // Prepare
    const act = () => parseExperimentFilter(filter);

    // Act
    const error = errorOf(act);

    // Assess
    expect(error).toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE', message });
  });
});

describe('experiment order', () => {
  it('by default experiments come newest first, ties by experiment_id ascending', () => {
    // Prepare
    const experiments = [
      anExperiment('10', { creationTime: 5 }),
      anExperiment('9', { creationTime: 5 }),
      anExperiment('1', { creationTime: 1 }),
      anExperiment('2', { creationTime: 7 }),
    ];

    // Act
    const ids = sortedIds(experiments, undefined);

    // Assess
    expect(ids).toEqual(['2', '9', '10', '1']);
  });

  it('ordering without experiment_id breaks ties by experiment_id descending, as MLflow appends', () => {
    // Prepare
    const experiments = [
      anExperiment('9', { name: 'same' }),
      anExperiment('10', { name: 'same' }),
      anExperiment('3', { name: 'alpha' }),
    ];

    // Act
    const ids = sortedIds(experiments, ['name']);

    // Assess
    expect(ids).toEqual(['3', '10', '9']);
  });

  it('experiment ids compare as numbers', () => {
    // Prepare
    const experiments = [anExperiment('10'), anExperiment('9'), anExperiment('100'), anExperiment('0')];

    // Act
    const ids = sortedIds(experiments, ['experiment_id ASC']);

    // Assess
    expect(ids).toEqual(['0', '9', '10', '100']);
  });

  it.each([
    { orderBy: ['last_update_time DESC'], expected: ['b', 'c', 'a'] },
    { orderBy: ['attribute.creation_time'], expected: ['a', 'b', 'c'] },
    { orderBy: ['name DESC'], expected: ['c', 'b', 'a'] },
  ])('$orderBy gives $expected', ({ orderBy, expected }) => {
    // Prepare
    const experiments = [
      { ...anExperiment('1', { name: 'a', creationTime: 1, lastUpdateTime: 5 }), experimentId: 'a' },
      { ...anExperiment('2', { name: 'b', creationTime: 2, lastUpdateTime: 9 }), experimentId: 'b' },
      { ...anExperiment('3', { name: 'c', creationTime: 3, lastUpdateTime: 7 }), experimentId: 'c' },
    ];

    // Act
    const ids = sortedIds(experiments, orderBy);

    // Assess
    expect(ids).toEqual(expected);
  });

  it.each([
    { orderBy: ['tags.team'], message: 'Invalid order_by entity: tag' },
    {
      orderBy: ['artifact_location'],
      message:
        "Invalid attribute key 'artifact_location' specified. Valid keys are '{'name', 'experiment_id', 'creation_time', 'last_update_time'}'",
    },
    { orderBy: ['name sideways'], message: "Invalid ordering key in order_by clause 'name sideways'." },
  ])('$orderBy is rejected: $message', ({ orderBy, message }) => {
    // Prepare
    const act = () => parseExperimentOrderBy(orderBy);

    // Act
    const error = errorOf(act);

    // Assess
    expect(error).toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE', message });
  });
});
