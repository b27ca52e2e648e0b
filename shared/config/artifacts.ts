import type { ArtifactDeps } from '../domain/artifacts/artifacts.js';
import { createS3ArtifactStore, createS3Clients } from '../storage/s3-artifact-store.js';
import type { CairnSettings } from './env.js';

/** The artifact use cases on the bucket named in the settings (the API and the deployment Lambdas in AWS). */
export const s3Artifacts = (settings: NonNullable<CairnSettings['artifacts']>): ArtifactDeps => {
  const { client, presignClient } = createS3Clients({ endpoint: settings.s3Endpoint });
  return {
    store: createS3ArtifactStore({ client, presignClient, bucket: settings.bucket, prefix: settings.prefix }),
    downloads: settings.downloads,
    urlExpirySeconds: settings.urlExpirySeconds,
    maxProxyUploadBytes: settings.maxProxyUploadBytes,
    s3: { bucket: settings.bucket, prefix: settings.prefix },
  };
};
