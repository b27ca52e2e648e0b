import { describe, expect, it } from 'vitest';
import { matchRoute } from '../app/router';
import { tracePath, tracesPath } from './paths';

describe('trace routes', () => {
  it("route the experiment's Traces tab and a trace's page, ids encoded", () => {
    expect(matchRoute(tracesPath('7'))).toEqual({ name: 'experiment', experimentId: '7', tab: 'traces' });
    expect(tracePath('7', 'tr-a/b')).toBe('/experiments/7/traces/tr-a%2Fb');
    expect(matchRoute(tracePath('7', 'tr-a/b'))).toEqual({ name: 'trace', experimentId: '7', traceId: 'tr-a/b' });
    expect(matchRoute('/experiments/7/models')).toEqual({ name: 'experiment', experimentId: '7', tab: 'models' });
    expect(matchRoute('/experiments/7/other')).toEqual({ name: 'experiment', experimentId: '7', tab: 'runs' });
  });
});
