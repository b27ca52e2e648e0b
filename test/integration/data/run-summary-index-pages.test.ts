import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createDynamoClient } from '../../../shared/data/dynamo-client.js';
import { ensureTable } from '../../../shared/data/ensure-table.js';
import { createRunRepository } from '../../../shared/data/runs/repository.js';
import { RUN_CHANGE_SHARDS } from '../../../shared/data/runs/keys.js';
import { createRunSummaryIndex } from '../../../shared/data/runs/summary-index.js';
import { endpointOf, ENGINES } from '../../support/test-api.js';

const RUNS = 48;
const PARAMS = 25;
// 48 runs x 25 params x ~5 KB is ~6 MB of change feed over 4 shards: a shard spans several 1 MB query pages.
const LONG_VALUE = 'v'.repeat(5000);

describe.each(ENGINES)('run summary index over many pages (%s)', (engine) => {
  it('applies every page of every shard on the first read, and later reads add only what changed', async () => {
    // Prepare
    const db = { client: createDynamoClient({ endpoint: endpointOf(engine) }), tableName: `cairn-index-pages-${randomUUID()}` };
    await ensureTable(db);
    const runs = createRunRepository(db);
    const ids = Array.from({ length: RUNS }, () => randomUUID().replaceAll('-', ''));
    for (const [i, runId] of ids.entries()) {
      const info = { runId, experimentId: '9', runName: `r${i}`, userId: 'u', status: 'RUNNING' as const, startTime: i, artifactUri: `mlflow-artifacts:/9/${runId}/artifacts`, lifecycleStage: 'active' as const };
      await runs.create(info, [], Date.now());
      const params = Array.from({ length: PARAMS }, (_, k) => ({ key: `p${k}`, value: `${k}${LONG_VALUE}` }));
      await runs.logData({ runId, experimentId: '9' }, { params }, Date.now());
    }
    const index = createRunSummaryIndex(db);

    // Act
    const first = (await index.runsOf('9')).map((run) => ({ runId: run.info.runId, params: { ...run.params } }));
    await runs.logData({ runId: ids[0]!, experimentId: '9' }, { params: [{ key: 'late', value: 'yes' }] }, Date.now());
    const second = await index.runsOf('9');

    // Assess
    expect(new Set(ids.map((id) => Number.parseInt(id.slice(0, 4), 16) % RUN_CHANGE_SHARDS)).size).toBeGreaterThan(1);
    expect(first.map((run) => run.runId).sort()).toEqual([...ids].sort());
    for (const run of first) {
      expect(Object.keys(run.params)).toHaveLength(PARAMS);
      expect(run.params.p7).toBe(`7${LONG_VALUE}`);
    }
    expect(second).toHaveLength(RUNS);
    expect(second.find((run) => run.info.runId === ids[0])?.params.late).toBe('yes');
  });
});
