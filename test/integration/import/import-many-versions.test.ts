import { describe, expect, it } from 'vitest';
import { importHistory } from '../../../shared/domain/import/index.js';
import type { MemorySourceData } from '../../support/import-source.js';
import { createImportTarget, createMemorySource } from '../../support/import-source.js';
import { ENGINES } from '../../support/test-api.js';
import { T0 } from './world.js';

const API = '/api/2.0/mlflow';

/** A model with more versions than one DynamoDB transaction holds with their catalog entries. */
const manyVersions = (count: number, present = 0): MemorySourceData => ({
  experiments: [],
  registeredModels: [
    {
      name: 'sweep-model',
      creationTimestamp: T0,
      lastUpdatedTimestamp: T0 + count,
      tags: [],
      aliases: [{ alias: 'champion', version: count }],
      versions: Array.from({ length: count - present }, (_, i) => ({
        version: present + i + 1,
        creationTimestamp: T0 + present + i,
        lastUpdatedTimestamp: T0 + present + i,
        currentStage: i % 10 === 0 ? 'Archived' : 'None',
        source: `s3://bucket/models/${present + i + 1}`,
        tags: [{ key: 'n', value: String(present + i + 1) }],
        deleted: false,
      })),
    },
  ],
});

describe.each(ENGINES)('import of a model with many versions (%s)', (engine) => {
  it('brings 130 versions over in as many changes as fit one transaction each, every version once', async () => {
    // Prepare
    const { api, target } = await createImportTarget(engine);

    // Act
    const summary = await importHistory(createMemorySource(manyVersions(130)), target);

    // Assess
    expect(summary.conflicts).toEqual([]);
    expect(summary.counts.modelVersions).toBe(130);
    const found: string[] = [];
    let pageToken: string | undefined;
    do {
      const page = await api.call('GET', `${API}/model-versions/search`, { filter: "name = 'sweep-model'", max_results: '50', ...(pageToken ? { page_token: pageToken } : {}) });
      expect(page.status).toBe(200);
      found.push(...page.body.model_versions.map((version: { version: string }) => version.version));
      pageToken = page.body.next_page_token;
    } while (pageToken);
    expect(found.map(Number).sort((a, b) => a - b)).toEqual(Array.from({ length: 130 }, (_, i) => i + 1));
    const latest = await api.call('GET', `${API}/registered-models/get`, { name: 'sweep-model' });
    expect(latest.body.registered_model.aliases).toEqual([{ alias: 'champion', version: '130' }]);
    const v101 = await api.call('GET', `${API}/model-versions/get`, { name: 'sweep-model', version: '101' });
    expect(v101.body.model_version).toMatchObject({ current_stage: 'Archived', tags: [{ key: 'n', value: '101' }] });
  });
});
