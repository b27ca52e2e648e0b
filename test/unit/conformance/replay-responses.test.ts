import { describe, it, expect } from 'vitest';
import { replayFixture, type ReplayTarget } from '../../support/conformance/replay.js';
import { fixtureOf, json, scripted } from './scripted-target.js';

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
