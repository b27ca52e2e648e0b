import { vi } from 'vitest';

export interface Call {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
}

export type Handler = (call: Call) => { status?: number; body: unknown } | undefined;

/**
 * A stand-in for the server in jsdom component tests: answers fetches from a route table with fixture JSON
 * (MLflow's wire shapes) and records every call, so tests assert what the view asked for.
 */
export const stubServer = (handler: Handler) => {
  const calls: Call[] = [];
  const fetchMock = vi.fn(async (input: string, init?: RequestInit) => {
    const url = new URL(input, 'http://localhost');
    const call: Call = {
      method: init?.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      body: typeof init?.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined,
    };
    calls.push(call);
    const answer = handler(call) ?? { status: 404, body: { error_code: 'ENDPOINT_NOT_FOUND', message: `No API endpoint for ${call.method} ${call.path}` } };
    return new Response(JSON.stringify(answer.body), { status: answer.status ?? 200, headers: { 'content-type': 'application/json' } });
  });
  vi.stubGlobal('fetch', fetchMock);
  return calls;
};
