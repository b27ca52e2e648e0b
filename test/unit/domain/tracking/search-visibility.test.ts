/**
 * Searches filtered by what the caller may read (kernel/visibility.ts), on in-memory ports: the unreadable
 * experiments' resources are left out before paging, so pages hold only readable ones and tokens walk them.
 */
import { describe, expect, it } from 'vitest';
import type { Visibility } from '../../../../shared/domain/kernel/visibility.js';
import { createExperiment, ensureDefaultExperiment, searchExperiments } from '../../../../shared/domain/tracking/experiments.js';
import { createLoggedModel, searchLoggedModels } from '../../../../shared/domain/tracking/logged-models.js';
import { logBatch, logInputs } from '../../../../shared/domain/tracking/run-logging.js';
import { searchRuns, searchRunsWithRanges } from '../../../../shared/domain/tracking/run-search.js';
import { createRun } from '../../../../shared/domain/tracking/runs.js';
import { searchDatasets } from '../../../../shared/domain/tracking/ui-queries.js';
import { createTrackingPorts } from '../../../support/fakes/tracking.js';
import { errorOf } from './errors.js';

/** A viewer who may read exactly `ids`, counting how often it was asked. */
const reader = (viewer: string, ids: string[]) => {
  const readable = new Set(ids);
  const asked = { count: 0 };
  const visible: Visibility = {
    viewer,
    sees: (id) => {
      asked.count += 1;
      return readable.has(id);
    },
  };
  return { visible, asked };
};

/** Experiments "mine-0".."mine-3" (readable) and "theirs-0".."theirs-3", each with two runs logging `loss`. */
const seeded = async () => {
  const tracking = createTrackingPorts();
  const { ports } = tracking;
  await ensureDefaultExperiment(ports);
  const mine: string[] = [];
  const theirs: string[] = [];
  for (let i = 0; i < 4; i++) {
    mine.push(await createExperiment(ports, { name: `mine-${i}`, tags: [] }));
    theirs.push(await createExperiment(ports, { name: `theirs-${i}`, tags: [] }));
  }
  const runsOf = new Map<string, string[]>();
  for (const experimentId of [...mine, ...theirs]) {
    const ids: string[] = [];
    for (let r = 0; r < 2; r++) {
      const { info } = await createRun(ports, { experimentId, tags: [] });
      await logBatch(ports, info.runId, { metrics: [{ key: 'loss', value: r, timestamp: 1, step: Number(experimentId) }], params: [], tags: [] });
      ids.push(info.runId);
    }
    runsOf.set(experimentId, ids);
  }
  return { ...tracking, mine, theirs, runsOf };
};

/** Every page of a search, following its tokens. */
const allPages = async <T>(search: (pageToken?: string) => Promise<{ page: T[]; nextPageToken?: string | undefined }>) => {
  const pages: T[][] = [];
  let token: string | undefined;
  do {
    const { page, nextPageToken } = await search(token);
    pages.push(page);
    token = nextPageToken;
  } while (token);
  return pages;
};

describe('searches filtered by visibility (in-memory ports)', () => {
  it('search_experiments pages through the readable experiments only, each once, and refuses another viewer\'s token', async () => {
    // Prepare
    const { ports, mine } = await seeded();
    const alice = reader('user:1', mine);
    const bob = reader('user:2', ['0']);

    // Act
    const pages = await allPages((pageToken) => searchExperiments(ports, { maxResults: 1, pageToken, orderBy: ['name'] }, alice.visible));
    const first = await searchExperiments(ports, { maxResults: 1, orderBy: ['name'] }, alice.visible);
    const replayed = await errorOf(searchExperiments(ports, { maxResults: 1, orderBy: ['name'], pageToken: first.nextPageToken }, bob.visible));
    const unfiltered = await errorOf(searchExperiments(ports, { maxResults: 1, orderBy: ['name'], pageToken: first.nextPageToken }));

    // Assess
    expect(pages).toHaveLength(4);
    expect(pages.flat().map((e) => e.name)).toEqual(['mine-0', 'mine-1', 'mine-2', 'mine-3']);
    expect(replayed.code).toBe('INVALID_PARAMETER_VALUE');
    expect(unfiltered.code).toBe('INVALID_PARAMETER_VALUE');
  });

  it('search_runs drops the unreadable experiment ids before reading, and answers empty when none is left', async () => {
    // Prepare
    const { ports, mine, theirs, runsOf } = await seeded();
    const alice = reader('user:1', mine);
    const read: string[] = [];
    const listRuns = ports.runIndex.runsOf.bind(ports.runIndex);
    const deps = { ...ports, runIndex: { ...ports.runIndex, runsOf: (id: string) => (read.push(id), listRuns(id)) } };

    // Act
    const pages = await allPages((pageToken) =>
      searchRuns(deps, { experimentIds: [...theirs, ...mine], maxResults: 3, pageToken, orderBy: ['attributes.run_id'] }, alice.visible),
    );
    const none = await searchRuns(deps, { experimentIds: theirs }, alice.visible);
    const ranged = await searchRunsWithRanges(deps, { experimentIds: [theirs[0]!, mine[0]!] }, alice.visible);

    // Assess
    const expected = mine.flatMap((id) => runsOf.get(id)!).sort();
    expect(pages.length).toBe(3);
    expect(pages.flat().map((r) => r.info.runId)).toEqual(expected);
    expect(none).toEqual({ page: [], nextPageToken: undefined });
    expect(ranged.page.map((r) => r.info.experimentId)).toEqual([mine[0], mine[0]]);
    expect(read.filter((id) => theirs.includes(id))).toEqual([]);
  });

  it('search_logged_models and search-datasets leave out unreadable experiments', async () => {
    // Prepare
    const { ports, mine, theirs, runsOf } = await seeded();
    const alice = reader('user:1', mine);
    for (const experimentId of [mine[0]!, theirs[0]!]) {
      await createLoggedModel(ports, { experimentId, name: `m-${experimentId}`, params: [], tags: [] });
      const dataset = { name: `d-${experimentId}`, digest: 'x', sourceType: 'local', source: '{}' };
      await logInputs(ports, runsOf.get(experimentId)![0]!, [{ tags: [], dataset }], []);
    }

    // Act
    const models = await searchLoggedModels(ports, { experimentIds: [mine[0]!, theirs[0]!] }, alice.visible);
    const hidden = await searchLoggedModels(ports, { experimentIds: [theirs[0]!] }, alice.visible);
    const datasets = await searchDatasets(ports, [mine[0]!, theirs[0]!], alice.visible);

    // Assess
    expect(models.page.map((m) => m.name)).toEqual([`m-${mine[0]}`]);
    expect(hidden.page).toEqual([]);
    expect(datasets.map((d) => d.name)).toEqual([`d-${mine[0]}`]);
  });

  it('asks the visibility once per candidate, and not at all without one', async () => {
    // Prepare
    const { ports, mine, theirs } = await seeded();
    const alice = reader('user:1', mine);

    // Act
    await searchExperiments(ports, { viewType: 'ALL' }, alice.visible);
    const afterExperiments = alice.asked.count;
    await searchRuns(ports, { experimentIds: [...mine, ...theirs] }, alice.visible);

    // Assess
    expect(afterExperiments).toBe(1 + mine.length + theirs.length);
    expect(alice.asked.count - afterExperiments).toBe(mine.length + theirs.length);
  });
});
