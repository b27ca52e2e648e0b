/**
 * The whole API with the S3 artifact store on fauxqs (in-process), as Cairn runs in AWS: the recorded MLflow flows
 * replayed with streamed downloads, downloads redirected to presigned GETs, multipart parts PUT straight to S3, and
 * experiments whose artifact_location is an s3:// URI inside Cairn's bucket.
 */
import { randomBytes } from 'node:crypto';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replayWithKnownGaps } from '../../conformance/known-gaps.js';
import {
  bytesOf,
  createRun,
  listArtifacts,
  MiB,
  MLFLOW,
  multipartUpload,
  PROXY,
  sha256,
  split,
  uploadArtifact,
} from '../../support/artifact-client.js';
import { appTarget, formatReport, loadFixtures } from '../../support/conformance/index.js';
import { type Fauxqs, S3_PREFIX, s3Artifacts, startFauxqs } from '../../support/fauxqs.js';
import { createTestApiWith, type TestApi } from '../../support/test-api.js';

let fauxqs: Fauxqs;

beforeAll(async () => {
  fauxqs = await startFauxqs();
});

afterAll(async () => {
  await fauxqs?.close();
});

/** A fresh Cairn whose artifacts go to a fresh bucket under `mlflow/`. */
async function s3Api(downloads: 'stream' | 'redirect'): Promise<{ api: TestApi; bucket: string }> {
  const bucket = await fauxqs.createBucket();
  return { api: await createTestApiWith('dynoxide', s3Artifacts(fauxqs, bucket, downloads)), bucket };
}

/** Requests to presigned S3 URLs go to fauxqs over real HTTP, with no MLflow auth. */
const s3Fetch = (url: string, init?: RequestInit) => fetch(url, init);

const checksumParams = (url: string): string[] => [...new URL(url).searchParams.keys()].filter((name) => /^x-amz-(sdk-)?checksum/i.test(name));

const isArtifactExchange = (path: string) => path.includes('artifacts');

const FLOWS = ['training_loop', 'wine_classification', 'datasets_and_autolog'];
const fixtures = (await loadFixtures()).filter((fixture) => FLOWS.includes(fixture.flow));

describe('recorded MLflow flows against Cairn on S3, downloads streamed', () => {
  it('the fixtures of every flow are present', () => {
    // Assess
    expect(fixtures.map((fixture) => fixture.flow).sort()).toEqual([...FLOWS].sort());
  });

  it.each(fixtures.map((fixture) => [fixture.flow, fixture] as const))(
    'every exchange of %s, artifact uploads, listings and downloads included, answers as the reference did',
    async (flow, fixture) => {
      // Prepare
      const { api, bucket } = await s3Api('stream');
      // Act
      const { report, unexpected } = await replayWithKnownGaps(fixture, appTarget({ request: (r: Request) => api.request(r.url, r) }));
      // Assess
      const artifactExchanges = report.results.filter((result) => isArtifactExchange(result.path));
      expect(unexpected, formatReport(report)).toEqual([]);
      expect(artifactExchanges.length).toBeGreaterThan(0);
      expect(artifactExchanges.filter((result) => !result.ok)).toEqual([]);
      const stored = await fauxqs.client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: `${S3_PREFIX}/` }));
      expect(stored.KeyCount).toBeGreaterThan(0);
    },
  );
});

describe('Cairn on S3, downloads redirected to presigned GETs', () => {
  it('a download answers 302 to a presigned fauxqs URL without checksum parameters that serves the bytes', async () => {
    // Prepare
    const { api } = await s3Api('redirect');
    const { root } = await createRun(api);
    const data = randomBytes(100_000);
    await uploadArtifact(api, `${root}/model/model.pkl`, data);
    // Act
    const response = await api.request(`${PROXY}/artifacts/${root}/model/model.pkl`);
    const location = response.headers.get('location') ?? '';
    const fetched = await s3Fetch(location);
    // Assess
    expect(response.status).toBe(302);
    expect(location.startsWith(`${fauxqs.endpoint}/`)).toBe(true);
    expect(checksumParams(location)).toEqual([]);
    expect(fetched.status).toBe(200);
    expect(sha256(await bytesOf(fetched))).toBe(sha256(data));
  });

  it('mpu/create answers presigned fauxqs UploadPart URLs without checksum parameters', async () => {
    // Prepare
    const { api } = await s3Api('redirect');
    const { root } = await createRun(api);
    // Act
    const created = await api.call('POST', `${PROXY}/mpu/create/${root}/big`, { path: '/home/user/weights.bin', num_parts: 3 });
    // Assess
    const urls: string[] = created.body.credentials.map((credential: { url: string }) => credential.url);
    expect(urls.map((url) => new URL(url).searchParams.get('partNumber'))).toEqual(['1', '2', '3']);
    expect(urls.every((url) => url.startsWith(`${fauxqs.endpoint}/`))).toBe(true);
    expect(urls.flatMap(checksumParams)).toEqual([]);
  });

  it('a 10 MB multipart upload through presigned UploadPart URLs round-trips with the same SHA-256', async () => {
    // Prepare
    const { api } = await s3Api('redirect');
    const { root } = await createRun(api);
    const data = randomBytes(10 * 1000 * 1000);
    // Act
    const completed = await multipartUpload(api, s3Fetch, `${root}/big`, '/home/user/weights.bin', split(data, 5 * MiB));
    const redirect = await api.request(`${PROXY}/artifacts/${root}/big/weights.bin`);
    const fetched = await s3Fetch(redirect.headers.get('location') ?? '');
    // Assess
    expect(completed).toEqual({ status: 200, body: {} });
    expect((await listArtifacts(api, `${root}/big`)).body).toEqual({ files: [{ path: 'weights.bin', is_dir: false, file_size: data.length }] });
    expect(sha256(await bytesOf(fetched))).toBe(sha256(data));
  });
});

describe('Cairn on S3, experiments with an s3:// artifact location in its bucket', () => {
  /** A run of an experiment whose artifact_location is `s3://<bucket>/mlflow/custom`. */
  async function customLocationRun() {
    const { api, bucket } = await s3Api('redirect');
    const location = `s3://${bucket}/${S3_PREFIX}/custom`;
    const experiment = await api.call('POST', `${MLFLOW}/experiments/create`, { name: 'custom-location', artifact_location: location });
    const run = await api.call('POST', `${MLFLOW}/runs/create`, { experiment_id: experiment.body.experiment_id });
    return { api, bucket, location, runId: run.body.run.info.run_id as string, artifactUri: run.body.run.info.artifact_uri as string };
  }

  it('runs get <location>/<run>/artifacts as artifact_uri', async () => {
    // Act
    const { location, runId, artifactUri } = await customLocationRun();
    // Assess
    expect(artifactUri).toBe(`${location}/${runId}/artifacts`);
  });

  it('presigned-upload-url answers a URL that writes the object under that location', async () => {
    // Prepare
    const { api, bucket, runId } = await customLocationRun();
    const data = randomBytes(2048);
    const { body } = await api.call('POST', `${MLFLOW}/artifacts/presigned-upload-url`, { run_id: runId, path: 'model/weights.bin' });
    // Act
    const put = await s3Fetch(body.presigned_url, { method: 'PUT', body: data });
    // Assess
    expect(put.status).toBe(200);
    const object = await fauxqs.client.send(
      new GetObjectCommand({ Bucket: bucket, Key: `${S3_PREFIX}/custom/${runId}/artifacts/model/weights.bin` }),
    );
    expect(sha256(await object.Body!.transformToByteArray())).toBe(sha256(data));
  });

  it('artifacts/list reads the run folder under that location', async () => {
    // Prepare
    const { api, runId, artifactUri } = await customLocationRun();
    const { body } = await api.call('POST', `${MLFLOW}/artifacts/presigned-upload-url`, { run_id: runId, path: 'notes.txt' });
    await s3Fetch(body.presigned_url, { method: 'PUT', body: 'hello' });
    // Act
    const listing = await api.call('GET', `${MLFLOW}/artifacts/list`, { run_id: runId });
    // Assess
    expect(listing).toEqual({ status: 200, body: { root_uri: artifactUri, files: [{ path: 'notes.txt', is_dir: false, file_size: 5 }] } });
  });
});
