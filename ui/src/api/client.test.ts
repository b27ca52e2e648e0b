import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, apiFetch, buildQuery } from './client';
import { setAuthorization } from './session';

const respond = (status: number, body: unknown) =>
  vi.fn(async (_url: string, _init?: RequestInit) => new Response(JSON.stringify(body), { status }));

describe('apiFetch', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    setAuthorization(undefined);
    window.location.hash = '';
  });

  it('sends the query, the JSON body and the session Authorization', async () => {
    const fetchMock = respond(200, { ok: true });
    vi.stubGlobal('fetch', fetchMock);
    setAuthorization('Bearer t0k');

    const result = await apiFetch<{ ok: boolean }>('/api/2.0/mlflow/runs/search', {
      method: 'POST',
      query: { a: 'x y', b: ['1', '2'], c: 3, d: undefined },
      body: { experiment_ids: ['1'] },
    });

    expect(result).toEqual({ ok: true });
    const [url, init] = fetchMock.mock.calls[0] ?? [];
    expect(url).toBe('/api/2.0/mlflow/runs/search?a=x+y&b=1&b=2&c=3');
    expect(init?.method).toBe('POST');
    expect(init?.body).toBe('{"experiment_ids":["1"]}');
    expect((init?.headers as Record<string, string>).authorization).toBe('Bearer t0k');
  });

  it("rejects with MLflow's error code and message", async () => {
    vi.stubGlobal('fetch', respond(400, { error_code: 'INVALID_PARAMETER_VALUE', message: 'bad filter' }));
    const error = await apiFetch('/api/x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 400, errorCode: 'INVALID_PARAMETER_VALUE', message: 'bad filter' });
  });

  it('sends the user to sign-in on a 401, remembering where they were', async () => {
    window.location.hash = '#/experiments/3';
    vi.stubGlobal('fetch', respond(401, { error_code: 'UNAUTHENTICATED', message: 'no token' }));
    await expect(apiFetch('/api/x')).rejects.toMatchObject({ status: 401 });
    expect(window.location.hash).toBe(`#/signin?next=${encodeURIComponent('/experiments/3')}`);
  });

  it('builds no query string from an empty query', () => {
    expect(buildQuery({ a: undefined })).toBe('');
  });
});
