import { describe, it, expect } from 'vitest';
import {
  compareRegisteredModels,
  parseRegisteredModelOrderBy,
  type RegisteredModelSearchView,
} from '../../../../shared/domain/search/index.js';
import { aRegisteredModel, errorOf } from './registry-builders.js';

const sortedNames = (models: RegisteredModelSearchView[], orderBy: string[] | undefined): string[] =>
  [...models].sort(compareRegisteredModels(parseRegisteredModelOrderBy(orderBy))).map((m) => m.name);

const models = [
  aRegisteredModel({ name: 'b', created: 1, updated: 20 }),
  aRegisteredModel({ name: 'a', created: 3, updated: 20 }),
  aRegisteredModel({ name: 'C', created: 2, updated: 10 }),
  aRegisteredModel({ name: 'c', created: 4, updated: 30 }),
];

describe('registered model order', () => {
  it.each([
    { orderBy: undefined, expected: ['C', 'a', 'b', 'c'] },
    { orderBy: [], expected: ['C', 'a', 'b', 'c'] },
    { orderBy: ['name'], expected: ['C', 'a', 'b', 'c'] },
    { orderBy: ['name ASC'], expected: ['C', 'a', 'b', 'c'] },
    { orderBy: ['name DESC'], expected: ['c', 'b', 'a', 'C'] },
    { orderBy: ['name desc'], expected: ['c', 'b', 'a', 'C'] },
    { orderBy: ['`name` DESC'], expected: ['c', 'b', 'a', 'C'] },
    { orderBy: ['last_updated_timestamp'], expected: ['C', 'a', 'b', 'c'] },
    { orderBy: ['last_updated_timestamp DESC'], expected: ['c', 'a', 'b', 'C'] },
    { orderBy: ['timestamp DESC'], expected: ['c', 'a', 'b', 'C'] },
    { orderBy: ['timestamp ASC'], expected: ['C', 'a', 'b', 'c'] },
    { orderBy: ['timestamp DESC', 'name DESC'], expected: ['c', 'b', 'a', 'C'] },
    { orderBy: ['name', 'timestamp DESC'], expected: ['C', 'a', 'b', 'c'] },
  ])('$orderBy sorts $expected', ({ orderBy, expected }) => {
    // Prepare
    const candidates = models;

    // Act
    const names = sortedNames(candidates, orderBy);

    // Assess
    expect(names).toEqual(expected);
  });

  it('reads timestamp as last_updated_timestamp', () => {
    // Prepare
    const orderBy = ['timestamp DESC'];

    // Act
    const order = parseRegisteredModelOrderBy(orderBy);

    // Assess
    expect(order.keys).toEqual([{ key: 'last_updated_timestamp', ascending: false }]);
  });

  it.each([
    {
      orderBy: ['creation_timestamp'],
      message: "Invalid order by key 'creation_timestamp' specified. Valid keys are '{'name', 'timestamp'}'",
    },
    { orderBy: ['attribute.name'], message: "Invalid order by key 'attribute.name' specified. Valid keys are '{'name', 'timestamp'}'" },
    { orderBy: ['tags.team'], message: "Invalid order by key 'tags.team' specified. Valid keys are '{'name', 'timestamp'}'" },
    { orderBy: ['"name"'], message: "Invalid order by key '\"name\"' specified. Valid keys are '{'name', 'timestamp'}'" },
    { orderBy: ['name sideways'], message: "Invalid ordering key in order_by clause 'name sideways'." },
    { orderBy: ['name ASC DESC'], message: "Invalid order_by clause 'name ASC DESC'. Could not be parsed." },
    { orderBy: ["'name'"], message: "Invalid order_by clause ''name''. Could not be parsed." },
    { orderBy: ['name', 'name DESC'], message: "`order_by` contains duplicate fields: ['name', 'name DESC']" },
    {
      orderBy: ['timestamp', 'last_updated_timestamp DESC'],
      message: "`order_by` contains duplicate fields: ['timestamp', 'last_updated_timestamp DESC']",
    },
  ])('$orderBy is rejected: $message', ({ orderBy, message }) => {
    // Prepare
    const act = () => parseRegisteredModelOrderBy(orderBy);

    // Act
    const error = errorOf(act);

    // Assess
    expect(error).toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE', message });
  });
});
