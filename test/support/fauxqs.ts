/**
 * fauxqs (in-process S3 emulator, memory only) for API tests: bound to loopback, with the SDK clients Cairn builds
 * for it, and the artifact wiring of an API whose store is S3 on fauxqs.
 */
import { randomUUID } from 'node:crypto';
import { CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { buildApp } from 'fauxqs';
import type { ArtifactDeps } from '../../shared/domain/artifacts/artifacts.js';
import { createS3ArtifactStore, createS3Clients } from '../../shared/storage/s3-artifact-store.js';
import { assertLoopbackEndpoint } from './loopback.js';
import type { TestArtifacts } from './test-api.js';

export interface Fauxqs {
  endpoint: string;
  client: S3Client;
  presignClient: S3Client;
  /** Creates a bucket with a fresh name and answers the name. */
  createBucket(): Promise<string>;
  close(): Promise<void>;
}

export async function startFauxqs(): Promise<Fauxqs> {
  // startFauxqs() always listens on 0.0.0.0; buildApp() lets the test bind to loopback only.
  const app = buildApp({ logger: false });
  const endpoint = assertLoopbackEndpoint(await app.listen({ port: 0, host: '127.0.0.1' }), 'fauxqs endpoint');
  const { client, presignClient } = createS3Clients({ endpoint });
  return {
    endpoint,
    client,
    presignClient,
    async createBucket() {
      const bucket = `cairn-${randomUUID()}`;
      await client.send(new CreateBucketCommand({ Bucket: bucket }));
      return bucket;
    },
    async close() {
      client.destroy();
      presignClient.destroy();
      await app.close();
    },
  };
}

export const S3_PREFIX = 'mlflow';

/** The artifact settings of Cairn in AWS: the S3 store under `mlflow/` of `bucket`, URLs valid 900 s. */
export const s3Artifacts =
  (fauxqs: Fauxqs, bucket: string, downloads: ArtifactDeps['downloads']) =>
  async (): Promise<TestArtifacts> => {
    const store = createS3ArtifactStore({ client: fauxqs.client, presignClient: fauxqs.presignClient, bucket, prefix: S3_PREFIX });
    return { deps: { store, downloads, urlExpirySeconds: 900, s3: { bucket, prefix: S3_PREFIX } }, artifactDir: '' };
  };
