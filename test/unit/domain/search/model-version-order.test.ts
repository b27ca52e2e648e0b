import { describe, it, expect } from 'vitest';
import {
  compareModelVersions,
  parseModelVersionOrderBy,
  type ModelVersionSearchView,
} from '../../../../shared/domain/search/index.js';
import { aModelVersion, errorOf, label } from './registry-builders.js';

const sortedLabels = (versions: ModelVersionSearchView[], orderBy: string[] | undefined): string[] =>
  [...versions].sort(compareModelVersions(parseModelVersionOrderBy(orderBy))).map(label);

const versions = [
  aModelVersion({ name: 'b', version: 2, created: 5, updated: 50 }),
  aModelVersion({ name: 'a', version: 10, created: 3, updated: 50 }),
  aModelVersion({ name: 'a', version: 9, created: 4, updated: 50 }),
  aModelVersion({ name: 'a', version: 1, created: 1, updated: 70 }),
  aModelVersion({ name: 'B', version: 1, created: 2, updated: 10 }),
];

describe('model version order', () => {
  it.each([
    { orderBy: undefined, expected: ['a/1', 'a/10', 'a/9', 'b/2', 'B/1'] },
    { orderBy: [], expected: ['a/1', 'a/10', 'a/9', 'b/2', 'B/1'] },
    { orderBy: ['last_updated_timestamp DESC', 'name ASC', 'version_number DESC'], expected: ['a/1', 'a/10', 'a/9', 'b/2', 'B/1'] },
    { orderBy: ['name'], expected: ['B/1', 'a/10', 'a/9', 'a/1', 'b/2'] },
    { orderBy: ['name DESC'], expected: ['b/2', 'a/10', 'a/9', 'a/1', 'B/1'] },
    { orderBy: ['version_number'], expected: ['B/1', 'a/1', 'b/2', 'a/9', 'a/10'] },
    { orderBy: ['version_number DESC'], expected: ['a/10', 'a/9', 'b/2', 'B/1', 'a/1'] },
    { orderBy: ['creation_timestamp'], expected: ['a/1', 'B/1', 'a/10', 'a/9', 'b/2'] },
    { orderBy: ['creation_timestamp DESC'], expected: ['b/2', 'a/9', 'a/10', 'B/1', 'a/1'] },
    { orderBy: ['last_updated_timestamp'], expected: ['B/1', 'a/10', 'a/9', 'b/2', 'a/1'] },
    { orderBy: ['last_updated_timestamp asc', 'version_number ASC'], expected: ['B/1', 'b/2', 'a/9', 'a/10', 'a/1'] },
    { orderBy: ['attribute.version_number DESC'], expected: ['a/10', 'a/9', 'b/2', 'B/1', 'a/1'] },
    { orderBy: ['`version_number` DESC'], expected: ['a/10', 'a/9', 'b/2', 'B/1', 'a/1'] },
    { orderBy: ['"name" DESC'], expected: ['b/2', 'a/10', 'a/9', 'a/1', 'B/1'] },
  ])('$orderBy sorts $expected', ({ orderBy, expected }) => {
    // Prepare
    const candidates = versions;

    // Act
    const labels = sortedLabels(candidates, orderBy);

    // Assess
    expect(labels).toEqual(expected);
  });

  it('a tag named like an order key orders by that attribute, as in the reference', () => {
    // Prepare
    const orderBy = ['tags.version_number DESC'];

    // Act
    const order = parseModelVersionOrderBy(orderBy);

    // Assess
    expect(order.keys).toEqual([{ key: 'version_number', ascending: false }]);
  });

  it.each([
    { orderBy: ['run_id'], message: "Invalid attribute key 'run_id' specified. Valid keys are '{'name', 'version_number', 'creation_timestamp', 'last_updated_timestamp'}'" },
    { orderBy: ['timestamp DESC'], message: "Invalid attribute key 'timestamp' specified. Valid keys are '{'name', 'version_number', 'creation_timestamp', 'last_updated_timestamp'}'" },
    { orderBy: ['tags.owner'], message: "Invalid order by key 'owner' specified. Valid keys are {'name', 'version_number', 'creation_timestamp', 'last_updated_timestamp'}" },
    { orderBy: ['metrics.acc DESC'], message: "Invalid entity type 'metrics'. Valid entity types are ('attribute', 'tag', 'tags')" },
    { orderBy: ['name up'], message: "Invalid ordering key in order_by clause 'name up'." },
    { orderBy: ['name ASC, version_number'], message: "Invalid order_by clause 'name ASC, version_number'. Could not be parsed." },
    { orderBy: ['name', 'attribute.name DESC'], message: "`order_by` contains duplicate fields: ['name', 'attribute.name DESC']" },
  ])('$orderBy is rejected: $message', ({ orderBy, message }) => {
    // Prepare
    const act = () => parseModelVersionOrderBy(orderBy);

    // Act
    const error = errorOf(act);

    // Assess
    expect(error).toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE', message });
  });
});
