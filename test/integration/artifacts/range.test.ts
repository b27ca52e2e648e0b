/**
 * HTTP `Range` on artifact downloads, so previews read only the head of a big file: the API's download routes and
 * the local store's signed door answer one range with 206, an unsatisfiable one with 416 in MLflow's error form,
 * and anything else with the whole file; in AWS downloads redirect to a presigned S3 GET that answers the range.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAdaptorServer } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalArtifacts } from '../../../shared/local/local-artifacts.js';
import { bytesOf, createRun, MLFLOW, PROXY, uploadArtifact } from '../../support/artifact-client.js';
import { type Fauxqs, s3Artifacts, startFauxqs } from '../../support/fauxqs.js';
import { createTestApi, createTestApiWith, ENGINES, type TestApi } from '../../support/test-api.js';

const SIZE = 1000;
const DATA = Uint8Array.from({ length: SIZE }, (_, i) => i % 251);

/** A run with `data.bin` and a registered model version over the run's `model` folder holding `model/head.bin`. */
const seed = async (api: TestApi) => {
  const { runId, root, artifactUri } = await createRun(api);
  await uploadArtifact(api, `${root}/data.bin`, DATA);
  await uploadArtifact(api, `${root}/model/head.bin`, DATA);
  const name = `ranged-${runId}`;
  await api.call('POST', `${MLFLOW}/registered-models/create`, { name });
  const version = await api.call('POST', `${MLFLOW}/model-versions/create`, { name, source: `${artifactUri}/model`, run_id: runId });
  expect(version.status, JSON.stringify(version.body)).toBe(200);
  return {
    runId,
    routes: {
      proxy: `${PROXY}/artifacts/${root}/data.bin`,
      'get-artifact': `/get-artifact?${new URLSearchParams({ run_id: runId, path: 'data.bin' })}`,
      'model-versions/get-artifact': `/model-versions/get-artifact?${new URLSearchParams({ name, version: '1', path: 'head.bin' })}`,
    },
  };
};

const ranged = (fetcher: (url: string, init?: RequestInit) => Promise<Response>, url: string, range?: string) =>
  fetcher(url, range === undefined ? {} : { headers: { range } });

const expectPartial = async (response: Response, start: number, end: number) => {
  expect(response.status).toBe(206);
  expect(response.headers.get('content-range')).toBe(`bytes ${start}-${end}/${SIZE}`);
  expect(response.headers.get('content-length')).toBe(String(end - start + 1));
  expect(response.headers.get('accept-ranges')).toBe('bytes');
  expect(await bytesOf(response)).toEqual(DATA.slice(start, end + 1));
};

const expectWhole = async (response: Response) => {
  expect(response.status).toBe(200);
  expect(response.headers.get('content-range')).toBeNull();
  expect(response.headers.get('accept-ranges')).toBe('bytes');
  expect(await bytesOf(response)).toEqual(DATA);
};

const expectUnsatisfiable = async (response: Response) => {
  expect(response.status).toBe(416);
  expect(response.headers.get('content-range')).toBe(`bytes */${SIZE}`);
  expect(await response.json()).toMatchObject({ error_code: 'INVALID_PARAMETER_VALUE', message: expect.stringContaining(`${SIZE} bytes`) });
};

describe.each(ENGINES)('Range on the download routes, local store (%s)', (engine) => {
  let api: TestApi;
  let routes: Record<string, string>;
  beforeAll(async () => {
    api = await createTestApi(engine);
    ({ routes } = await seed(api));
  });

  it.each(['proxy', 'get-artifact', 'model-versions/get-artifact'])('%s answers bytes=a-b, a- and -n with 206 and only those bytes', async (route) => {
    const url = routes[route] as string;
    const fetcher = (u: string, init?: RequestInit) => api.request(u, init);
    await expectPartial(await ranged(fetcher, url, 'bytes=0-99'), 0, 99);
    await expectPartial(await ranged(fetcher, url, 'bytes=990-'), 990, 999);
    await expectPartial(await ranged(fetcher, url, 'bytes=-5'), 995, 999);
    await expectPartial(await ranged(fetcher, url, 'bytes=900-5000'), 900, 999);
    await expectPartial(await ranged(fetcher, url, 'bytes=-5000'), 0, 999);
  });

  it.each(['proxy', 'get-artifact', 'model-versions/get-artifact'])('%s answers 416 with bytes */size past the end', async (route) => {
    const url = routes[route] as string;
    await expectUnsatisfiable(await api.request(url, { headers: { range: 'bytes=1000-' } }));
    await expectUnsatisfiable(await api.request(url, { headers: { range: 'bytes=-0' } }));
  });

  it.each(['proxy', 'get-artifact', 'model-versions/get-artifact'])('%s sends the whole file for no, a malformed or a multi-range header', async (route) => {
    const url = routes[route] as string;
    for (const range of [undefined, 'bytes=5-1', 'bytes=0-1,5-6', 'items=0-1', 'bytes=x-']) {
      await expectWhole(await ranged((u, init) => api.request(u, init), url, range));
    }
  });
});

describe('Range over real HTTP: the API and the local store signed door (npm start)', () => {
  let server: Server;
  let origin = '';
  let api: TestApi;
  let routes: Record<string, string>;
  let runId: string;
  beforeAll(async () => {
    api = await createTestApiWith('dynoxide', async (tracking) => {
      const artifactDir = await mkdtemp(join(tmpdir(), 'cairn-range-'));
      const artifacts = await createLocalArtifacts({ dataDir: artifactDir, baseUrl: () => origin, tracking });
      return { deps: artifacts.deps, signedUrlHandler: artifacts.signedUrlHandler, artifactDir };
    });
    server = createAdaptorServer({ fetch: (request: Request) => api.request(request.url, { method: request.method, headers: request.headers }) }) as Server;
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    ({ routes, runId } = await seed(api));
  });
  afterAll(async () => {
    await new Promise((closed) => server?.close(closed));
  });

  it('the signed door reads only the asked range, and says 416 past the end', async () => {
    // Prepare
    const presigned = await api.call('POST', `${MLFLOW}/artifacts/presigned-download-url`, { run_id: runId, path: 'data.bin' });
    const url = presigned.body.presigned_url as string;

    // Act
    const head = await fetch(url, { headers: { range: 'bytes=0-15' } });
    const tail = await fetch(url, { headers: { range: 'bytes=-1' } });
    const past = await fetch(url, { headers: { range: 'bytes=4000-4001' } });
    const whole = await fetch(url);

    // Assess
    expect(url.startsWith(`${origin}/_cairn/artifact-store/`)).toBe(true);
    await expectPartial(head, 0, 15);
    await expectPartial(tail, 999, 999);
    await expectUnsatisfiable(past);
    await expectWhole(whole);
  });

  it('the download routes answer a browser-style ranged GET', async () => {
    await expectPartial(await fetch(`${origin}${routes['get-artifact']}`, { headers: { range: 'bytes=10-19' } }), 10, 19);
    await expectPartial(await fetch(`${origin}${routes.proxy}`, { headers: { range: 'bytes=500-' } }), 500, 999);
  });
});

describe('Range with the S3 store (fauxqs)', () => {
  let fauxqs: Fauxqs;
  beforeAll(async () => {
    fauxqs = await startFauxqs();
  });
  afterAll(async () => {
    await fauxqs?.close();
  });

  it('a redirected download keeps working when the client sends Range again to the presigned URL', async () => {
    // Prepare
    const api = await createTestApiWith('dynoxide', s3Artifacts(fauxqs, await fauxqs.createBucket(), 'redirect'));
    const { routes } = await seed(api);

    // Act
    const redirect = await api.request(routes['get-artifact'] as string, { headers: { range: 'bytes=0-99' } });
    const location = redirect.headers.get('location') ?? '';
    const followed = await fetch(location, { headers: { range: 'bytes=0-99' } });

    // Assess
    expect(redirect.status).toBe(302);
    expect(followed.status).toBe(206);
    expect(followed.headers.get('content-range')).toBe(`bytes 0-99/${SIZE}`);
    expect(await bytesOf(followed)).toEqual(DATA.slice(0, 100));
  });

  it('a streamed download from S3 asks S3 for the range only', async () => {
    // Prepare
    const api = await createTestApiWith('dynoxide', s3Artifacts(fauxqs, await fauxqs.createBucket(), 'stream'));
    const { routes } = await seed(api);

    // Act
    const partial = await api.request(routes.proxy as string, { headers: { range: 'bytes=-10' } });
    const past = await api.request(routes.proxy as string, { headers: { range: 'bytes=1000-' } });

    // Assess
    await expectPartial(partial, 990, 999);
    await expectUnsatisfiable(past);
  });
});
