import { describe, it, expect } from 'vitest';
import { replayFixture } from '../../support/conformance/replay.js';
import { fixtureOf, json, scripted } from './scripted-target.js';

const createExperiment = {
  n: 1,
  step: 'create',
  request: { method: 'POST', path: '/api/2.0/mlflow/experiments/create', headers: { 'content-type': 'application/json' }, body: { json: { name: 'e' } } },
  response: { status: 200, content_type: 'application/json', body: { json: { experiment_id: '{{exp:1}}' } } },
};

describe('replayFixture: building requests', () => {
  it('substitutes bound placeholders into the path and form-encodes the query pairs in order', async () => {
    // Prepare
    const fixture = fixtureOf([
      createExperiment,
      {
        n: 2,
        step: 'list',
        request: { method: 'GET', path: '/api/2.0/mlflow-artifacts/artifacts', query: [['path', '{{exp:1}}/a b&c'], ['x', 'é'], ['x', '2']], body: null },
        response: { status: 200, content_type: 'application/json', body: { json: {} } },
      },
    ]);
    const target = scripted([json({ experiment_id: '42' }), json({})]);

    // Act
    const report = await replayFixture(fixture, target, { baseUrl: 'http://server.test/prefix/' });

    // Assess
    expect(report.results.map((r) => r.ok)).toEqual([true, true]);
    expect(target.sent[1]?.url).toBe('http://server.test/prefix/api/2.0/mlflow-artifacts/artifacts?path=42%2Fa+b%26c&x=%C3%A9&x=2');
    expect(target.sent[1]?.contentType).toBeNull();
  });

  it('sends JSON bodies with whole-value client timestamps as numbers, shifted by timeOffsetMs', async () => {
    // Prepare
    const fixture = fixtureOf(
      [
        createExperiment,
        {
          n: 2,
          step: 'create run',
          request: {
            method: 'POST',
            path: '/api/2.0/mlflow/runs/create',
            headers: { 'content-type': 'application/json' },
            body: { json: { experiment_id: '{{exp:1}}', start_time: '{{ts:1}}', value: 'NaN' } },
          },
          response: { status: 200, content_type: 'application/json', body: { json: { start_time: '{{ts:1}}' } } },
        },
      ],
      { 'ts:1': 1000 },
    );
    const target = scripted([json({ experiment_id: '5' }), json({ start_time: 1500 })]);

    // Act
    const report = await replayFixture(fixture, target, { timeOffsetMs: 500 });

    // Assess
    expect(JSON.parse(new TextDecoder().decode(target.sent[1]?.bytes))).toEqual({ experiment_id: '5', start_time: 1500, value: 'NaN' });
    expect(target.sent[1]?.contentType).toBe('application/json');
    expect(report.results.every((r) => r.ok)).toBe(true);
  });

  it('sends text as UTF-8 and base64 as bytes, and uses the UTF-8 byte length for {{len:S}}', async () => {
    // Prepare
    const fixture = fixtureOf([
      { n: 1, step: 'put', request: { method: 'PUT', path: '/a/MLmodel', headers: { 'content-type': 'text/plain' }, body: { text: 'héllo' } }, response: { status: 200, content_type: 'application/json', body: { json: {} } } },
      { n: 2, step: 'put', request: { method: 'PUT', path: '/a/model.pkl', headers: { 'content-type': 'application/octet-stream' }, body: { base64: 'AAEC/w==' } }, response: { status: 200, content_type: 'application/json', body: { json: {} } } },
      { n: 3, step: 'list', request: { method: 'GET', path: '/a', body: null }, response: { status: 200, content_type: 'application/json', body: { json: { files: [{ path: 'MLmodel', file_size: '{{len:1}}' }] } } } },
    ]);
    const target = scripted([json({}), json({}), json({ files: [{ path: 'MLmodel', file_size: 6 }] })]);

    // Act
    const report = await replayFixture(fixture, target);

    // Assess
    expect(new TextDecoder().decode(target.sent[0]?.bytes)).toBe('héllo');
    expect([...(target.sent[1]?.bytes ?? [])]).toEqual([0, 1, 2, 255]);
    expect(report.results.map((r) => r.problems)).toEqual([[], [], []]);
  });

  it('reports an unbound placeholder in a request as a problem and does not send it', async () => {
    // Prepare
    const fixture = fixtureOf([
      { n: 1, step: 'get', request: { method: 'GET', path: '/api/2.0/mlflow/runs/get', query: [['run_id', '{{run:9}}']], body: null }, response: { status: 200, content_type: 'application/json', body: { json: {} } } },
    ]);
    const target = scripted([]);

    // Act
    const report = await replayFixture(fixture, target);

    // Assess
    expect(target.sent).toHaveLength(0);
    expect(report.results[0]?.ok).toBe(false);
    expect(report.results[0]?.problems[0]).toMatch(/unbound placeholder\(s\) \{\{run:9\}\}/);
  });

  it('skips exchanges that carry skip, and those the skip option names', async () => {
    // Prepare
    const get = (n: number, extra: object = {}) => ({
      n,
      step: 's',
      request: { method: 'GET', path: `/x/${n}`, body: null },
      response: { status: 200, content_type: 'application/json', body: { json: {} } },
      ...extra,
    });
    const fixture = fixtureOf([get(1, { skip: 'body over 64 KiB' }), get(2), get(3)]);
    const target = scripted([json({})]);

    // Act
    const report = await replayFixture(fixture, target, { skip: (e) => (e.n === 3 ? 'not implemented' : undefined) });

    // Assess
    expect(target.sent.map((s) => s.url)).toEqual(['http://cairn.test/x/2']);
    expect(report.skipped).toEqual([{ n: 1, reason: 'body over 64 KiB' }, { n: 3, reason: 'not implemented' }]);
  });

  it('sends exchanges in n order whatever their order in the file', async () => {
    // Prepare
    const get = (n: number) => ({ n, step: 's', request: { method: 'GET', path: `/x/${n}`, body: null }, response: { status: 200, content_type: 'application/json', body: { json: {} } } });
    const fixture = fixtureOf([get(2), get(1)]);
    const target = scripted([json({}), json({})]);

    // Act
    await replayFixture(fixture, target);

    // Assess
    expect(target.sent.map((s) => s.url)).toEqual(['http://cairn.test/x/1', 'http://cairn.test/x/2']);
  });
});
