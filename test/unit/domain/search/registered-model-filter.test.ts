import { describe, it, expect } from 'vitest';
import {
  isPromptFilter,
  parseRegisteredModelFilter,
  registeredModelMatches,
  type RegisteredModelSearchView,
} from '../../../../shared/domain/search/index.js';
import { aRegisteredModel, errorOf } from './registry-builders.js';

const namesMatching = (models: RegisteredModelSearchView[], filter: string | undefined): string[] => {
  const compiled = parseRegisteredModelFilter(filter);
  return models.filter((m) => registeredModelMatches(m, compiled)).map((m) => m.name);
};

const models = [
  aRegisteredModel({ name: 'fraud-detector', tags: { team: 'risk', 'env name': 'prod' } }),
  aRegisteredModel({ name: 'Fraud-Scorer', tags: { team: 'Risk' } }),
  aRegisteredModel({ name: 'churn_model', tags: { 'mlflow.owner': 'ana' } }),
];

describe('registered model filter: name', () => {
  it('an empty or blank filter keeps every model', () => {
    // Prepare
    const filters = [undefined, '', '   '];

    // Act
    const results = filters.map((f) => namesMatching(models, f));

    // Assess
    expect(results).toEqual([
      ['fraud-detector', 'Fraud-Scorer', 'churn_model'],
      ['fraud-detector', 'Fraud-Scorer', 'churn_model'],
      ['fraud-detector', 'Fraud-Scorer', 'churn_model'],
    ]);
  });

  it.each([
    { filter: "name = 'churn_model'", expected: ['churn_model'] },
    { filter: "name != 'churn_model'", expected: ['fraud-detector', 'Fraud-Scorer'] },
    { filter: "name LIKE 'fraud%'", expected: ['fraud-detector'] },
    { filter: "name ILIKE 'fraud%'", expected: ['fraud-detector', 'Fraud-Scorer'] },
    { filter: "name like '%\\_model'", expected: [] },
    { filter: "name LIKE 'churn_model'", expected: ['churn_model'] },
    { filter: "name LIKE 'churn-model'", expected: [] },
    { filter: "name LIKE '%-%'", expected: ['fraud-detector', 'Fraud-Scorer'] },
    { filter: 'name = "churn_model"', expected: ['churn_model'] },
    { filter: "attribute.name = 'churn_model'", expected: ['churn_model'] },
    { filter: "name = 'fraud-detector' AND name LIKE '%detector'", expected: ['fraud-detector'] },
    { filter: "name ilike 'FRAUD-%' and name != 'Fraud-Scorer'", expected: ['fraud-detector'] },
  ])('`$filter` keeps $expected', ({ filter, expected }) => {
    // Prepare
    const candidates = models;

    // Act
    const names = namesMatching(candidates, filter);

    // Assess
    expect(names).toEqual(expected);
  });
});

describe('registered model filter: tags', () => {
  it.each([
    { filter: "tags.team = 'risk'", expected: ['fraud-detector'] },
    { filter: "tag.team = 'risk'", expected: ['fraud-detector'] },
    { filter: "tags.team != 'risk'", expected: ['Fraud-Scorer'] },
    { filter: "tags.team LIKE 'R%'", expected: ['Fraud-Scorer'] },
    { filter: "tags.team ILIKE 'r%'", expected: ['fraud-detector', 'Fraud-Scorer'] },
    { filter: "tags.`env name` = 'prod'", expected: ['fraud-detector'] },
    { filter: 'tags."env name" = "prod"', expected: ['fraud-detector'] },
    { filter: "tags.mlflow.owner = 'ana'", expected: ['churn_model'] },
    { filter: "tags.`mlflow.owner` = 'ana'", expected: ['churn_model'] },
    { filter: "tags.team = 'risk' AND tags.team != 'Risk'", expected: ['fraud-detector'] },
    { filter: "tags.team LIKE '%' AND name LIKE '%Scorer'", expected: ['Fraud-Scorer'] },
  ])('`$filter` keeps $expected', ({ filter, expected }) => {
    // Prepare
    const candidates = models;

    // Act
    const names = namesMatching(candidates, filter);

    // Assess
    expect(names).toEqual(expected);
  });

  it('a tag clause needs the tag: != does not match models without it', () => {
    // Prepare
    const filter = "tags.team != 'nobody'";

    // Act
    const names = namesMatching(models, filter);

    // Assess
    expect(names).toEqual(['fraud-detector', 'Fraud-Scorer']);
  });

  it('keys such as constructor are read as own tags only', () => {
    // Prepare
    const candidates = [aRegisteredModel({ name: 'a' }), aRegisteredModel({ name: 'b', tags: { constructor: 'x' } })];

    // Act
    const names = namesMatching(candidates, "tags.constructor LIKE '%'");

    // Assess
    expect(names).toEqual(['b']);
  });

  it('exposes the parsed clauses, keys unquoted and comparators upper-cased', () => {
    // Prepare
    const filter = "name like 'a%' AND tags.`x y` != \"v\"";

    // Act
    const parsed = parseRegisteredModelFilter(filter);

    // Assess
    expect(parsed.clauses).toEqual([
      { type: 'attribute', key: 'name', comparator: 'LIKE', value: 'a%' },
      { type: 'tag', key: 'x y', comparator: '!=', value: 'v' },
    ]);
    expect(isPromptFilter(parsed)).toBe(false);
  });
});

describe('registered model filter: errors', () => {
  it.each([
    { filter: "params.x = 'a'", message: "Invalid entity type 'params'. Valid entity types are ('attribute', 'tag', 'tags')" },
    { filter: "attributes.name = 'a'", message: "Invalid entity type 'attributes'. Valid entity types are ('attribute', 'tag', 'tags')" },
    { filter: "description = 'a'", message: "Invalid attribute key 'description' specified. Valid keys are '{'name'}'" },
    { filter: "`name` = 'a'", message: "Invalid attribute key '`name`' specified. Valid keys are '{'name'}'" },
    { filter: "run_id = 'a'", message: "Invalid attribute key 'run_id' specified. Valid keys are '{'name'}'" },
    { filter: "name IN ('a', 'b')", message: "Only the 'run_id' attribute supports comparison with a list of quoted string values." },
    { filter: 'name = 1', message: 'Expected a quoted string value or a list of quoted string values for attributes. Got value 1' },
    { filter: 'name = model', message: 'Parameter value is either not quoted or unidentified quote types used for string value model. Use either single or double quotes.' },
    { filter: 'tags.t = 1', message: "Expected a quoted string value for tag (e.g. 'my-value'). Got value 1" },
    { filter: "tags.t IN ('a')", message: "Expected a quoted string value for tag (e.g. 'my-value'). Got value ('a')" },
    { filter: "name > 'a'", message: 'Invalid comparator for attribute: >' },
    { filter: "name == 'a'", message: 'Invalid comparator for attribute: ==' },
    { filter: "name NOT LIKE 'a'", message: 'Invalid comparator for attribute: NOT LIKE' },
    { filter: "tags.t >= 'a'", message: 'Invalid comparator for tag: >=' },
    { filter: "'a' = name", message: "Invalid comparison clause. Expected 'Identifier' found ''a''" },
    { filter: "name = 'a' OR name = 'b'", message: 'Invalid clause(s) in filter string: OR' },
    { filter: "name = 'a'; name = 'b'", message: "Search filter contained multiple expression \"name = 'a'; name = 'b'\". Provide AND-ed expression list." },
  ])('`$filter` is rejected: $message', ({ filter, message }) => {
    // Prepare
    const act = () => parseRegisteredModelFilter(filter);

    // Act
    const error = errorOf(act);

    // Assess
    expect(error).toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE', message });
  });

  it('values are read before comparators are checked, as the reference does', () => {
    // Prepare
    const filter = "name > 'a' AND tags.t = 1";

    // Act
    const error = errorOf(() => parseRegisteredModelFilter(filter));

    // Assess
    expect(error).toMatchObject({ message: "Expected a quoted string value for tag (e.g. 'my-value'). Got value 1" });
  });
});
