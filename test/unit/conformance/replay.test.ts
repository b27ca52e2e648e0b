import { describe, it, expect } from 'vitest';
import { parseFixture, type Fixture } from '../../support/conformance/fixture.js';
import { formatReport, replayFixture, type ReplayTarget } from '../../support/conformance/replay.js';

interface Sent {
  method: string;
  url: string;
  contentType: string | null;
  bytes: Uint8Array;
}

/** A target that records every request and answers with the next of `answers`. */
function scripted(answers: Array<() => Response>): ReplayTarget & { sent: Sent[] } {
  const sent: Sent[] = [];
  return {
    sent,
    async fetch(request) {
      sent.push({
        method: request.method,
        url: request.url,
        contentType: request.headers.get('content-type'),
        bytes: new Uint8Array(await request.arrayBuffer()),
      });
      const answer = answers.shift();
      return answer ? answer() : new Response('no answer left', { status: 500 });
    },
  };
}

const json = (body: unknown, status = 200, headers: Record<string, string> = {}): (() => Response) => () =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

function fixtureOf(exchanges: unknown[], clientValues: Record<string, number> = {}): Fixture {
  return parseFixture({ format: 'cairn-conformance/1', flow: 'unit', client_values: clientValues, exchanges });
}

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

describe('replayFixture: comparing responses', () => {
  const download = {
    n: 1,
    step: 'download',
    request: { method: 'GET', path: '/art/MLmodel', body: null },
    response: { status: 200, content_type: 'text/plain', headers: { 'content-disposition': 'attachment; filename=MLmodel' }, body: { text: 'flavors:\n  x: 1\n' } },
  };

  it('compares the content type by media type only', async () => {
    // Prepare
    const fixture = fixtureOf([download, { ...download, n: 2 }]);
    const headers = (type: string) => ({ 'content-type': type, 'content-disposition': 'attachment; filename=MLmodel' });
    const target = scripted([
      () => new Response('flavors:\n  x: 1\n', { headers: headers('Text/Plain; charset=utf-8') }),
      () => new Response('flavors:\n  x: 1\n', { headers: headers('application/octet-stream') }),
    ]);

    // Act
    const report = await replayFixture(fixture, target);

    // Assess
    expect(report.results[0]?.problems).toEqual([]);
    expect(report.results[1]?.problems).toEqual(['content-type: expected "text/plain", got "application/octet-stream"']);
  });

  it('compares response headers exactly', async () => {
    // Prepare
    const fixture = fixtureOf([download]);
    const target = scripted([
      () => new Response('flavors:\n  x: 1\n', { headers: { 'content-type': 'text/plain', 'content-disposition': 'attachment; filename="MLmodel"' } }),
    ]);

    // Act
    const report = await replayFixture(fixture, target);

    // Assess
    expect(report.results[0]?.problems).toEqual(['header content-disposition: expected "attachment; filename=MLmodel", got "attachment; filename=\\"MLmodel\\""']);
  });

  it('reports the status, and an empty body where one was recorded as null', async () => {
    // Prepare
    const fixture = fixtureOf([{ n: 1, step: 'd', request: { method: 'DELETE', path: '/x', body: null }, response: { status: 200, content_type: 'application/json', body: null } }]);
    const target = scripted([json({ error_code: 'INTERNAL_ERROR' }, 500)]);

    // Act
    const report = await replayFixture(fixture, target);

    // Assess
    expect(report.results[0]?.problems[0]).toBe('status: expected 200, got 500');
    expect(report.results[0]?.problems[1]).toMatch(/^body: expected no body, got 31 bytes "{\\"error_code/);
  });

  it('compares base64 bodies byte for byte', async () => {
    // Prepare
    const fixture = fixtureOf([{ n: 1, step: 'd', request: { method: 'GET', path: '/m.pkl', body: null }, response: { status: 200, content_type: 'application/octet-stream', body: { base64: 'AAECAw==' } } }]);
    const target = scripted([() => new Response(new Uint8Array([0, 1, 9, 3]), { headers: { 'content-type': 'application/octet-stream' } })]);

    // Act
    const report = await replayFixture(fixture, target);

    // Assess
    expect(report.results[0]?.problems).toEqual(['body: expected 4 bytes, got 4; first difference at byte 2']);
  });

  const paramError = {
    n: 1,
    step: 'expect INVALID_PARAMETER_VALUE',
    request: { method: 'POST', path: '/api/2.0/mlflow/runs/log-parameter', headers: { 'content-type': 'application/json' }, body: { json: { key: 'a' } } },
    response: {
      status: 400,
      content_type: 'application/json',
      error_code: 'INVALID_PARAMETER_VALUE',
      body: { json: { error_code: 'INVALID_PARAMETER_VALUE', message: "Changing param values is not allowed. Param with key='a'" } },
    },
  };

  it('compares error messages in strict mode', async () => {
    // Prepare
    const fixture = fixtureOf([paramError]);
    const target = scripted([json({ error_code: 'INVALID_PARAMETER_VALUE', message: 'param a is immutable' }, 400)]);

    // Act
    const report = await replayFixture(fixture, target, { messages: 'strict' });

    // Assess
    expect(report.results[0]?.problems).toHaveLength(1);
    expect(report.results[0]?.problems[0]).toMatch(/^body\.message: expected "Changing param values/);
  });

  it('ignores error messages in lenient mode but still checks error_code', async () => {
    // Prepare
    const fixture = fixtureOf([paramError, { ...paramError, n: 2 }]);
    const target = scripted([
      json({ error_code: 'INVALID_PARAMETER_VALUE', message: 'param a is immutable' }, 400),
      json({ error_code: 'BAD_REQUEST', message: "Changing param values is not allowed. Param with key='a'" }, 400),
    ]);

    // Act
    const report = await replayFixture(fixture, target, { messages: 'lenient' });

    // Assess
    expect(report.results[0]?.problems).toEqual([]);
    expect(report.results[1]?.problems).toEqual(['body.error_code: expected "INVALID_PARAMETER_VALUE", got "BAD_REQUEST"']);
  });

  it('reports a body that is not JSON', async () => {
    // Prepare
    const fixture = fixtureOf([{ n: 1, step: 's', request: { method: 'GET', path: '/x', body: null }, response: { status: 200, content_type: 'application/json', body: { json: {} } } }]);
    const target = scripted([() => new Response('{"value": NaN}', { headers: { 'content-type': 'application/json' } })]);

    // Act
    const report = await replayFixture(fixture, target);

    // Assess
    expect(report.results[0]?.problems).toEqual(['body: expected JSON, got "{\\"value\\": NaN}"']);
  });

  it('turns a target that throws into a problem of that exchange', async () => {
    // Prepare
    const fixture = fixtureOf([{ n: 1, step: 's', request: { method: 'GET', path: '/x', body: null }, response: { status: 200, content_type: 'application/json', body: { json: {} } } }]);
    const target: ReplayTarget = { fetch: () => Promise.reject(new Error('connection refused')) };

    // Act
    const report = await replayFixture(fixture, target);

    // Assess
    expect(report.results[0]?.problems).toEqual(['request failed: connection refused']);
  });
});

describe('formatReport', () => {
  it('summarises the counts, then each failing exchange with its problems, truncated', () => {
    // Prepare
    const report = {
      fixture: 'errors',
      results: [
        { n: 1, step: 'ok', method: 'GET', path: '/a', ok: true, problems: [] },
        { n: 2, step: 'bad', method: 'POST', path: '/b', ok: false, problems: ['status: expected 200, got 404', 'p2', 'p3'] },
      ],
      skipped: [{ n: 3, reason: 'too big' }],
    };

    // Act
    const text = formatReport(report, { maxProblems: 2 });

    // Assess
    expect(text.split('\n')).toEqual([
      'errors: 1/2 exchanges ok, 1 failed, 1 skipped',
      '  ✗ #2 POST /b (bad)',
      '      - status: expected 200, got 404',
      '      - p2',
      '      … 1 more problem(s)',
      '  - skipped #3: too big',
    ]);
  });
});
