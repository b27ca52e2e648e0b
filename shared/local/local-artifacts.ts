import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { requireWritableKey, type ArtifactDeps } from '../domain/artifacts/artifacts.js';
import type { TrackingDeps } from '../domain/dependencies.js';
import { createLocalArtifactStore, handleLocalSignedRequest } from '../storage/local-artifact-store.js';
import { createUrlSigner } from '../storage/url-signer.js';

export interface LocalArtifacts {
  readonly deps: ArtifactDeps;
  readonly signedUrlHandler: (request: Request) => Promise<Response | undefined>;
}

/**
 * The artifact store of `npm start`: files under `<dataDir>/artifacts`, and URLs to the server itself
 * signed with a key kept in `<dataDir>/artifact-url-key`, so that URLs stay valid across a restart.
 * With `tracking`, the signed URLs refuse uploads under a deleted run or logged model, as the API does.
 */
export const createLocalArtifacts = async (options: {
  dataDir: string;
  baseUrl: () => string;
  urlExpirySeconds?: number;
  tracking?: TrackingDeps;
}): Promise<LocalArtifacts> => {
  const root = join(options.dataDir, 'artifacts');
  await mkdir(root, { recursive: true });
  const signer = createUrlSigner(await signingKey(join(options.dataDir, 'artifact-url-key')));
  const store = createLocalArtifactStore({ root, baseUrl: options.baseUrl, signer });
  const { tracking } = options;
  const canWrite = tracking ? (key: string) => requireWritableKey(tracking, key) : undefined;
  return {
    deps: { store, downloads: 'stream', urlExpirySeconds: options.urlExpirySeconds ?? 900 },
    signedUrlHandler: (request) => handleLocalSignedRequest(store, signer, request, canWrite),
  };
};

const signingKey = async (file: string): Promise<Uint8Array> => {
  try {
    return await readFile(file);
  } catch {
    const key = randomBytes(32);
    await writeFile(file, key, { mode: 0o600, flag: 'wx' }).catch(() => undefined);
    return readFile(file);
  }
};
