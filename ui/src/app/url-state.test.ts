import { describe, expect, it } from 'vitest';
import { DEFAULT_RUNS_STATE, orderByClause, parseJsonList, parseRunsState, writeRunsState } from './url-state';
import { comparePath, loggedModelPath, matchRoute, parseHash } from './router';

describe('runs view state in the URL', () => {
  it('round-trips filter, sort with a metric summary, selection, lifecycle and view', () => {
    const state = {
      filter: "metrics.acc > 0.8 and params.model = 'vit'",
      sort: { columnId: 'metrics.val:loss', agg: 'min' as const, desc: false },
      selected: ['a1', 'b2', 'c3'],
      lifecycle: 'deleted' as const,
      view: 'charts' as const,
    };
    const search = writeRunsState(state);
    expect(parseRunsState(new URLSearchParams(search.toString()))).toEqual(state);
  });

  it('leaves defaults out of the URL and keeps parameters it does not own', () => {
    const search = writeRunsState(DEFAULT_RUNS_STATE, new URLSearchParams('chart.x=step&filter=old'));
    expect(search.toString()).toBe('chart.x=step');
    expect(parseRunsState(new URLSearchParams())).toEqual(DEFAULT_RUNS_STATE);
  });

  it('ignores a malformed sort', () => {
    expect(parseRunsState(new URLSearchParams('sort=metrics.x~median:asc')).sort).toBeUndefined();
  });

  it("builds MLflow's order_by, backquoting keys that are not identifiers", () => {
    expect(orderByClause(undefined)).toEqual(['attributes.start_time DESC']);
    expect(orderByClause({ columnId: 'metrics.val loss', agg: 'last', desc: true })).toEqual(['metrics.`val loss` DESC']);
    expect(orderByClause({ columnId: 'metrics.acc', agg: 'max', desc: false })).toEqual(['metrics.acc.max ASC']);
    expect(orderByClause({ columnId: 'tags.mlflow.user', agg: 'last', desc: false })).toEqual(['tags.`mlflow.user` ASC']);
    expect(orderByClause({ columnId: 'attributes.start_time', agg: 'last', desc: false })).toEqual(['attributes.start_time ASC']);
  });
});

describe("MLflow's links", () => {
  it('open the right views', () => {
    expect(matchRoute('/experiments/3')).toEqual({ name: 'experiment', experimentId: '3', tab: 'runs' });
    expect(matchRoute('/experiments/3/runs/abc')).toEqual({ name: 'run', experimentId: '3', runId: 'abc', artifactPath: undefined });
    expect(matchRoute('/experiments/3/runs/abc/artifacts/model/MLmodel')).toMatchObject({ artifactPath: 'model/MLmodel' });
    expect(matchRoute('/experiments/3/runs/abc/artifacts')).toMatchObject({ name: 'run', artifactPath: '' });
    expect(matchRoute('/experiments/3/models/m-1')).toEqual({ name: 'loggedModel', experimentId: '3', modelId: 'm-1', artifactPath: undefined });
    expect(matchRoute('/experiments/3/models/m-1/artifacts/MLmodel')).toMatchObject({ name: 'loggedModel', artifactPath: 'MLmodel' });
    expect(matchRoute(loggedModelPath('3', 'm-1', 'a b/MLmodel'))).toMatchObject({ modelId: 'm-1', artifactPath: 'a b/MLmodel' });
    expect(matchRoute('/models/my%20model/versions/2')).toEqual({ name: 'modelVersion', modelName: 'my model', version: '2' });
    expect(matchRoute('/models/m')).toEqual({ name: 'model', modelName: 'm' });
    expect(matchRoute('/')).toEqual({ name: 'experiments' });
    expect(matchRoute('/nope')).toEqual({ name: 'notFound', path: '/nope' });
  });

  it('read and write the compare link with JSON arrays, as MLflow does', () => {
    const path = comparePath(['r1', 'r2'], ['1']);
    const { path: route, search } = parseHash(`#${path}`);
    expect(matchRoute(route).name).toBe('compare');
    expect(parseJsonList(search.get('runs'))).toEqual(['r1', 'r2']);
    expect(parseJsonList(search.get('experiments'))).toEqual(['1']);
    expect(parseJsonList('a, b')).toEqual(['a', 'b']);
  });
});
