import { describe, expect, it } from 'vitest';
import { createTestApi } from '../../support/test-api.js';

const API = '/api/2.0/mlflow';

describe('request decoding and errors at the edge', () => {
  it('answers /health and /version as text', async () => {
    // Prepare
    const api = await createTestApi('dynoxide');

    // Act
    const health = await api.request('/health');
    const version = await api.request('/version');

    // Assess
    expect(await health.text()).toBe('OK');
    expect(await version.text()).toMatch(/^3\.\d+\.\d+/);
  });

  it('serves the same routes under /ajax-api', async () => {
    // Prepare
    const api = await createTestApi('dynoxide');

    // Act
    const { status, body } = await api.call('GET', '/ajax-api/2.0/mlflow/experiments/get', { experiment_id: '0' });

    // Assess
    expect(status).toBe(200);
    expect(body.experiment.name).toBe('Default');
  });

  it('answers an unknown route with 404 ENDPOINT_NOT_FOUND, which the client treats as a missing endpoint', async () => {
    // Prepare
    const api = await createTestApi('dynoxide');

    // Act
    const { status, body } = await api.call('GET', `${API}/experiments/list`);

    // Assess
    expect(status).toBe(404);
    expect(body.error_code).toBe('ENDPOINT_NOT_FOUND');
  });

  it('refuses a POST without Content-Type with MLflow message', async () => {
    // Prepare
    const api = await createTestApi('dynoxide');

    // Act
    // A byte body, so that fetch adds no Content-Type of its own.
    const response = await api.request(`${API}/experiments/create`, { method: 'POST', body: new TextEncoder().encode('{"name":"x"}') });

    // Assess
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error_code: 'INVALID_PARAMETER_VALUE',
      message: 'Bad Request. Content-Type header is missing.',
    });
  });

  it('treats malformed JSON as an empty request, so the answer names the missing field', async () => {
    // Prepare
    const api = await createTestApi('dynoxide');

    // Act
    const response = await api.request(`${API}/experiments/create`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: '{"name": ',
    });

    // Assess
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toBe(
      "Missing value for required parameter 'name'. See the API docs for more information about request parameters.",
    );
  });

  it('decodes a double-encoded JSON body and numeric experiment ids', async () => {
    // Prepare
    const api = await createTestApi('dynoxide');

    // Act
    const response = await api.request(`${API}/runs/create`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(JSON.stringify({ experiment_id: 0, run_name: 'double' })),
    });

    // Assess
    expect(response.status).toBe(200);
    expect(((await response.json()) as any).run.info).toMatchObject({ experiment_id: '0', run_name: 'double' });
  });

  it('reads repeated query keys as lists and Python-style booleans in GET requests', async () => {
    // Prepare
    const api = await createTestApi('dynoxide');
    await api.call('POST', `${API}/experiments/create`, { name: 'q1' });

    // Act
    const found = await api.request(`${API}/experiments/search?max_results=10&order_by=name%20ASC&order_by=experiment_id&view_type=ALL`);
    const badBool = await api.call('POST', `${API}/logged-models/search`, {
      experiment_ids: ['0'],
      order_by: [{ field_name: 'name', ascending: 'maybe' }],
    });

    // Assess
    expect(found.status).toBe(200);
    expect(((await found.json()) as any).experiments.map((e: any) => e.name)).toEqual(['Default', 'q1']);
    expect(badBool.status).toBe(400);
  });

  it.each([
    ['a string where a number goes', `${API}/runs/log-metric`, { run_id: 'r', key: 'm', value: 'high', timestamp: 1 }],
    ['a list where a string goes', `${API}/experiments/create`, { name: ['a'] }],
    ['an object for a repeated field', `${API}/runs/log-batch`, { run_id: 'r', metrics: { key: 'm' } }],
    ['a bad page token', `${API}/runs/search`, { experiment_ids: ['0'], page_token: '!!!' }],
    ['max_results above the limit', `${API}/runs/search`, { experiment_ids: ['0'], max_results: 50001 }],
    ['an unknown view type', `${API}/runs/search`, { experiment_ids: ['0'], run_view_type: 'SOME' }],
  ])('answers %s with 400 INVALID_PARAMETER_VALUE, never a 5xx', async (_, path, body) => {
    // Prepare
    const api = await createTestApi('dynoxide');

    // Act
    const response = await api.call('POST', path, body);

    // Assess
    expect(response.status).toBe(400);
    expect(response.body.error_code).toBe('INVALID_PARAMETER_VALUE');
  });

  it('answers runs/get for an unknown run with 404 and MLflow message', async () => {
    // Prepare
    const api = await createTestApi('dynoxide');

    // Act
    const { status, body } = await api.call('GET', `${API}/runs/get`, { run_uuid: 'f'.repeat(32) });

    // Assess
    expect(status).toBe(404);
    expect(body).toEqual({ error_code: 'RESOURCE_DOES_NOT_EXIST', message: `Run with id=${'f'.repeat(32)} not found` });
  });
});
