import { describe, expect, it } from 'vitest';
import type { Run } from '../api/types';
import { compareRows, parseIdList, type MetricSummaries } from './model';

const run = (id: string, data: Run['data'], status: Run['info']['status'] = 'FINISHED'): Run => ({
  info: { run_id: id, experiment_id: '1', status, lifecycle_stage: 'active', start_time: 1_000, end_time: 61_000, user_id: 'ana' },
  data,
});

describe('compare rows', () => {
  const a = run('a', {
    params: [{ key: 'lr', value: '0.1' }, { key: 'epochs', value: '10' }],
    metrics: [{ key: 'loss', value: 0.2, timestamp: 1, step: 9 }],
    tags: [{ key: 'team', value: 'x' }, { key: 'mlflow.user', value: 'ana' }],
  });
  const b = run('b', {
    params: [{ key: 'lr', value: '0.01' }, { key: 'epochs', value: '10' }],
    metrics: [{ key: 'loss', value: 0.3, timestamp: 1, step: 9 }],
    tags: [{ key: 'team', value: 'x' }],
  });
  const summaries: MetricSummaries = new Map([
    ['a', new Map([['loss', { last: 0.2, min: 0.1, max: 5 }]])],
    ['b', new Map([['loss', { last: 0.3, min: 0.3, max: 5 }]])],
  ]);

  it('lays params, metrics (last, min, max) and tags side by side and marks the rows that differ', () => {
    const rows = compareRows([a, b], summaries, { systemTags: false });
    const byLabel = Object.fromEntries(rows.map((r) => [`${r.section}/${r.label}`, r]));
    expect(byLabel['Params/lr']).toMatchObject({ values: ['0.1', '0.01'], differs: true });
    expect(byLabel['Params/epochs']).toMatchObject({ values: ['10', '10'], differs: false });
    expect(byLabel['Metrics/loss']).toMatchObject({ values: ['0.2', '0.3'], differs: true });
    expect(byLabel['Metrics/loss (min)']).toMatchObject({ values: ['0.1', '0.3'], differs: true });
    expect(byLabel['Metrics/loss (max)']).toMatchObject({ values: ['5', '5'], differs: false });
    expect(byLabel['Tags/team']).toMatchObject({ differs: false });
    expect(byLabel['Run/Duration']).toMatchObject({ values: ['1 min 0 s', '1 min 0 s'], differs: false });
  });

  it('hides system tags unless asked, and counts a missing value as a difference', () => {
    expect(compareRows([a, b], summaries, { systemTags: false }).some((r) => r.label === 'mlflow.user')).toBe(false);
    const user = compareRows([a, b], summaries, { systemTags: true }).find((r) => r.label === 'mlflow.user');
    expect(user).toMatchObject({ values: ['ana', undefined], differs: true });
  });

  it('names the user as the runs table does: user_id, else the mlflow.user tag (what MLflow clients set)', () => {
    const byTag = { ...run('t', { tags: [{ key: 'mlflow.user', value: 'grace' }] }) };
    byTag.info = { ...byTag.info, user_id: '' };
    const rows = compareRows([a, byTag], summaries, { systemTags: false });
    expect(rows.find((r) => r.label === 'User')?.values).toEqual(['ana', 'grace']);
  });

  it('falls back to the min and max the search extension returns when no summary was read', () => {
    const c = run('c', { metrics: [{ key: 'acc', value: 0.9, timestamp: 1, min: 0.1, max: 0.95 }] });
    const rows = compareRows([c], new Map(), { systemTags: false });
    expect(rows.find((r) => r.label === 'acc (min)')?.values).toEqual(['0.1']);
  });
});

describe('compare link ids', () => {
  it("reads MLflow's JSON lists and plain comma lists", () => {
    expect(parseIdList('["a","b"]')).toEqual(['a', 'b']);
    expect(parseIdList('a, b')).toEqual(['a', 'b']);
    expect(parseIdList(null)).toEqual([]);
  });
});
