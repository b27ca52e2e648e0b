import { readdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalServer, type LocalServer } from '../../functions/local/server.js';

const DIST = new URL('../../ui/dist/', import.meta.url).pathname;
const HTML = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };

describe('npm start serves the web UI next to the API', () => {
  let server: LocalServer;
  beforeAll(async () => {
    server = await startLocalServer({ port: 0 });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('answers / and any history route with index.html, not cached', async () => {
    const root = await fetch(`${server.url}/`, { headers: HTML });
    const deep = await fetch(`${server.url}/experiments/1/runs/abc`, { headers: HTML });
    const rootBody = await root.text();

    expect(root.status).toBe(200);
    expect(root.headers.get('content-type')).toContain('text/html');
    expect(root.headers.get('cache-control')).toBe('no-cache');
    expect(rootBody).toContain('<div id="root">');
    expect(deep.status).toBe(200);
    expect(await deep.text()).toBe(rootBody);
  });

  it('serves hashed assets with a long cache lifetime', async () => {
    const asset = (await readdir(`${DIST}assets`)).find((name) => name.endsWith('.js'));
    const response = await fetch(`${server.url}/assets/${asset}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('javascript');
    expect(response.headers.get('cache-control')).toContain('immutable');
  });

  it("keeps MLflow's JSON 404 for unknown API paths and for non-HTML requests", async () => {
    const api = await fetch(`${server.url}/api/2.0/mlflow/nope`, { headers: HTML });
    const plain = await fetch(`${server.url}/nope`);
    expect(api.status).toBe(404);
    expect(await api.json()).toMatchObject({ error_code: 'ENDPOINT_NOT_FOUND' });
    expect(plain.status).toBe(404);
    expect(await plain.json()).toMatchObject({ error_code: 'ENDPOINT_NOT_FOUND' });
  });

  it('does not serve files outside the build', async () => {
    const response = await fetch(`${server.url}/%2e%2e/package.json`);
    expect(response.status).toBe(404);
  });

  it('still answers the API and health', async () => {
    expect(await (await fetch(`${server.url}/health`, { headers: HTML })).text()).toBe('OK');
    const list = await fetch(`${server.url}/api/2.0/mlflow/experiments/search?max_results=10`);
    expect(list.status).toBe(200);
  });
});
