/** search_datasets' filter and order_by (shared/domain/genai/datasets-search.ts), pure. */
import { describe, expect, it } from 'vitest';
import type { EvaluationDataset } from '../../../shared/domain/genai/datasets-entities.js';
import { parseDatasetFilter, parseDatasetOrderBy } from '../../../shared/domain/genai/datasets-search.js';

const dataset = (id: string, name: string, createdTime: number, extra: Partial<EvaluationDataset> = {}): EvaluationDataset => ({
  datasetId: id,
  name,
  digest: '00000000',
  createdTime,
  lastUpdateTime: createdTime,
  tags: {},
  recordCount: 0,
  ...extra,
});

const DATASETS = [
  dataset('d-a', 'prod-qa', 3, { tags: { env: 'prod' }, createdBy: 'ann' }),
  dataset('d-b', 'dev-qa', 1, { tags: { env: 'dev' } }),
  dataset('d-c', 'prod-chat', 3, { lastUpdateTime: 9 }),
];

const names = (filter: string) => DATASETS.filter(parseDatasetFilter(filter)).map((d) => d.name);

describe('dataset filter', () => {
  it('matches names, users, times and tags with MLflow comparators', () => {
    expect(names("name LIKE 'prod%'")).toEqual(['prod-qa', 'prod-chat']);
    expect(names("attributes.name ILIKE '%QA'")).toEqual(['prod-qa', 'dev-qa']);
    expect(names("created_by = 'ann'")).toEqual(['prod-qa']);
    expect(names("created_by != 'ann'")).toEqual([]);
    expect(names('created_time >= 3 AND last_update_time > 3')).toEqual(['prod-chat']);
    expect(names("tags.env = 'prod'")).toEqual(['prod-qa']);
    expect(names("tags.env != 'prod'")).toEqual(['dev-qa']);
    expect(names('')).toHaveLength(3);
  });

  it('refuses unknown keys, wrong comparators and OR with MLflow messages', () => {
    expect(() => parseDatasetFilter("digest = 'x'")).toThrow(/Invalid attribute key 'digest' specified/);
    expect(() => parseDatasetFilter("tags.env > 'a'")).toThrow('Invalid comparator for tag: >');
    expect(() => parseDatasetFilter("created_time = 'x'")).toThrow('Expected numeric value type for numeric attribute: created_time. Found');
    expect(() => parseDatasetFilter("name = 'a' OR name = 'b'")).toThrow(expect.objectContaining({ errorCode: 'INVALID_PARAMETER_VALUE' }));
    expect(() => parseDatasetFilter('params.x = "1"')).toThrow("Invalid entity type 'params'");
  });
});

describe('dataset order', () => {
  it('orders newest first by default, dataset id descending as tie-break', () => {
    expect([...DATASETS].sort(parseDatasetOrderBy()).map((d) => d.datasetId)).toEqual(['d-c', 'd-a', 'd-b']);
  });

  it('orders by the given keys, then dataset id descending', () => {
    expect([...DATASETS].sort(parseDatasetOrderBy(['name ASC'])).map((d) => d.name)).toEqual(['dev-qa', 'prod-chat', 'prod-qa']);
    expect([...DATASETS].sort(parseDatasetOrderBy(['created_time', 'dataset_id ASC'])).map((d) => d.datasetId)).toEqual(['d-b', 'd-a', 'd-c']);
    expect(() => parseDatasetOrderBy(['tags.env DESC'])).toThrow('Invalid order_by entity: tag');
    expect(() => parseDatasetOrderBy(['digest'])).toThrow(/Invalid attribute key 'digest'/);
  });
});
