import { describe, it, expect } from 'vitest';
import {
  modelVersionMatches,
  parseModelVersionFilter,
  type ModelVersionSearchView,
} from '../../../../shared/domain/search/index.js';
import { aModelVersion, label } from './registry-builders.js';

const labelsMatching = (versions: ModelVersionSearchView[], filter: string | undefined): string[] => {
  const compiled = parseModelVersionFilter(filter);
  return versions.filter((v) => modelVersionMatches(v, compiled)).map(label);
};

const RUN_A = 'aaaa1111';
const RUN_B = 'bbbb2222';

const versions = [
  aModelVersion({ name: 'fraud', version: 1, runId: RUN_A, source: 's3://b/fraud/1', tags: { stage: 'dev' } }),
  aModelVersion({ name: 'fraud', version: 2, runId: RUN_B, source: 's3://b/fraud/2', tags: { stage: 'Prod' } }),
  aModelVersion({ name: 'fraud', version: 10, source: 'models:/m-10' }),
  aModelVersion({ name: 'Churn', version: 3, runId: RUN_A, source: 'S3://B/churn/3' }),
];

describe('model version filter: attributes', () => {
  it('an empty filter keeps every live version', () => {
    // Prepare
    const candidates = [...versions, aModelVersion({ name: 'fraud', version: 4, stage: 'Deleted_Internal' })];

    // Act
    const labels = labelsMatching(candidates, undefined);

    // Assess
    expect(labels).toEqual(['fraud/1', 'fraud/2', 'fraud/10', 'Churn/3']);
  });

  it('deleted versions match no filter', () => {
    // Prepare
    const candidates = [aModelVersion({ name: 'fraud', version: 4, stage: 'Deleted_Internal' })];

    // Act
    const labels = labelsMatching(candidates, "name = 'fraud'");

    // Assess
    expect(labels).toEqual([]);
  });

  it.each([
    { filter: "name = 'fraud'", expected: ['fraud/1', 'fraud/2', 'fraud/10'] },
    { filter: "name != 'fraud'", expected: ['Churn/3'] },
    { filter: "name LIKE 'c%'", expected: [] },
    { filter: "name ILIKE 'c%'", expected: ['Churn/3'] },
    { filter: 'name = "Churn"', expected: ['Churn/3'] },
    { filter: "attribute.name = 'Churn'", expected: ['Churn/3'] },
    { filter: "source_path = 's3://b/fraud/1'", expected: ['fraud/1'] },
    { filter: "source_path != 's3://b/fraud/1'", expected: ['fraud/2', 'fraud/10', 'Churn/3'] },
    { filter: "source_path LIKE 's3://%'", expected: ['fraud/1', 'fraud/2'] },
    { filter: "source_path ILIKE 's3://%'", expected: ['fraud/1', 'fraud/2', 'Churn/3'] },
    { filter: "source_path LIKE '%/_'", expected: ['fraud/1', 'fraud/2', 'Churn/3'] },
  ])('`$filter` keeps $expected', ({ filter, expected }) => {
    // Prepare
    const candidates = versions;

    // Act
    const labels = labelsMatching(candidates, filter);

    // Assess
    expect(labels).toEqual(expected);
  });
});

describe('model version filter: run_id', () => {
  it.each([
    { filter: `run_id = '${RUN_A}'`, expected: ['fraud/1', 'Churn/3'] },
    { filter: `run_id != '${RUN_A}'`, expected: ['fraud/2'] },
    { filter: "run_id LIKE 'bbbb%'", expected: ['fraud/2'] },
    { filter: "run_id ILIKE 'BBBB%'", expected: ['fraud/2'] },
    { filter: `run_id IN ('${RUN_A}')`, expected: ['fraud/1', 'Churn/3'] },
    { filter: `run_id IN ('${RUN_A}', "${RUN_B}")`, expected: ['fraud/1', 'fraud/2', 'Churn/3'] },
    { filter: `run_id IN ('${RUN_B}',)`, expected: ['fraud/2'] },
    { filter: `run_id in ('${RUN_B}')`, expected: ['fraud/2'] },
    { filter: `run_id NOT IN ('${RUN_A}')`, expected: ['fraud/2'] },
    { filter: `run_id not in ('${RUN_A}', '${RUN_B}')`, expected: [] },
    { filter: `name = 'fraud' AND run_id IN ('${RUN_A}', '${RUN_B}')`, expected: ['fraud/1', 'fraud/2'] },
  ])('`$filter` keeps $expected (a version without run never matches)', ({ filter, expected }) => {
    // Prepare
    const candidates = versions;

    // Act
    const labels = labelsMatching(candidates, filter);

    // Assess
    expect(labels).toEqual(expected);
  });

  it('IN lists drop entries that are not lower case, as the reference does', () => {
    // Prepare
    const filter = `run_id IN ('${RUN_A.toUpperCase()}', '${RUN_B}', '123')`;

    // Act
    const parsed = parseModelVersionFilter(filter);

    // Assess
    expect(parsed.clauses).toEqual([{ type: 'attribute', key: 'run_id', comparator: 'IN', value: [RUN_B] }]);
    expect(labelsMatching(versions, filter)).toEqual(['fraud/2']);
  });
});

describe('model version filter: version_number', () => {
  it.each([
    { filter: 'version_number = 2', expected: ['fraud/2'] },
    { filter: 'version_number != 2', expected: ['fraud/1', 'fraud/10', 'Churn/3'] },
    { filter: 'version_number > 2', expected: ['fraud/10', 'Churn/3'] },
    { filter: 'version_number >= 3', expected: ['fraud/10', 'Churn/3'] },
    { filter: 'version_number < 3', expected: ['fraud/1', 'fraud/2'] },
    { filter: 'version_number <= 3', expected: ['fraud/1', 'fraud/2', 'Churn/3'] },
    { filter: 'version_number > 9', expected: ['fraud/10'] },
    { filter: 'version_number = 1.0', expected: ['fraud/1'] },
    { filter: 'version_number < 1.5', expected: ['fraud/1'] },
    { filter: "version_number > '9'", expected: ['fraud/10'] },
    { filter: "version_number = '10'", expected: ['fraud/10'] },
    { filter: "name = 'fraud' AND version_number >= 2 AND version_number < 10", expected: ['fraud/2'] },
  ])('`$filter` keeps $expected (numeric comparison)', ({ filter, expected }) => {
    // Prepare
    const candidates = versions;

    // Act
    const labels = labelsMatching(candidates, filter);

    // Assess
    expect(labels).toEqual(expected);
  });

  it.each([
    { filter: "version_number = 'latest'", expected: [] },
    { filter: "version_number != 'latest'", expected: ['fraud/1', 'fraud/2', 'fraud/10', 'Churn/3'] },
    { filter: "version_number < 'latest'", expected: ['fraud/1', 'fraud/2', 'fraud/10', 'Churn/3'] },
    { filter: "version_number >= 'latest'", expected: [] },
  ])('`$filter` keeps $expected (numbers sort before text, as in SQLite)', ({ filter, expected }) => {
    // Prepare
    const candidates = versions;

    // Act
    const labels = labelsMatching(candidates, filter);

    // Assess
    expect(labels).toEqual(expected);
  });
});

describe('model version filter: tags', () => {
  it.each([
    { filter: "tags.stage = 'dev'", expected: ['fraud/1'] },
    { filter: "tag.stage != 'dev'", expected: ['fraud/2'] },
    { filter: "tags.stage LIKE 'P%'", expected: ['fraud/2'] },
    { filter: "tags.stage ILIKE '%D%'", expected: ['fraud/1', 'fraud/2'] },
    { filter: "tags.`stage` = 'dev'", expected: ['fraud/1'] },
    { filter: 'tags."stage" = "Prod"', expected: ['fraud/2'] },
    { filter: "tags.stage = 'dev' AND version_number = 1 AND run_id = 'aaaa1111'", expected: ['fraud/1'] },
  ])('`$filter` keeps $expected', ({ filter, expected }) => {
    // Prepare
    const candidates = versions;

    // Act
    const labels = labelsMatching(candidates, filter);

    // Assess
    expect(labels).toEqual(expected);
  });

  it('exposes the parsed clauses', () => {
    // Prepare
    const filter = "version_number >= 2 AND source_path like 's3%' AND tags.`a.b` = 'c'";

    // Act
    const parsed = parseModelVersionFilter(filter);

    // Assess
    expect(parsed.clauses).toEqual([
      { type: 'attribute', key: 'version_number', comparator: '>=', value: 2 },
      { type: 'attribute', key: 'source_path', comparator: 'LIKE', value: 's3%' },
      { type: 'tag', key: 'a.b', comparator: '=', value: 'c' },
    ]);
  });
});
