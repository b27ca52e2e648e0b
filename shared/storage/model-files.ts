import { storeKeyOf } from '../domain/artifacts/artifact-locations.js';
import type { ArtifactDeps } from '../domain/artifacts/artifacts.js';
import type { ModelFiles } from '../domain/deployments/ports.js';
import { joinArtifactPath } from '../domain/artifacts/artifact-paths.js';

const text = async (body: AsyncIterable<Uint8Array>) => {
  const chunks: Uint8Array[] = [];
  for await (const chunk of body) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
};

/** A model version's files, read through Cairn's artifact store; SageMaker gets the S3 prefix they live under. */
export const createModelFiles = (artifacts: ArtifactDeps): ModelFiles => ({
  async readText(uri, path) {
    const object = await artifacts.store.get(joinArtifactPath(storeKeyOf(uri, artifacts), path));
    return object ? text(object.body) : undefined;
  },
  s3Prefix(uri) {
    if (!artifacts.s3) throw new Error('the artifact store is not S3');
    const key = storeKeyOf(uri, artifacts);
    const prefix = artifacts.s3.prefix ? `${artifacts.s3.prefix}/` : '';
    return `s3://${artifacts.s3.bucket}/${prefix}${key}/`;
  },
});
