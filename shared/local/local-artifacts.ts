import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ArtifactDeps } from '../domain/artifacts.js';
import { createLocalArtifactStore, handleLocalSignedRequest } from '../storage/local-artifact-store.js';
import { createUrlSigner } from '../storage/url-signer.js';

export interface LocalArtifacts {
  readonly deps: ArtifactDeps;
  readonly signedUrlHandler: (request: Request) => Promise<Response | undefined>;
}

/**
 * The artifact store of `npm start`: files under `<dataDir>/artifacts`, and URLs to the server itself
 * signed with a key kept in `<dataDir>/artifact-url-key`, so that URLs stay valid across a restart.
 */
export const createLocalArtifacts = async (options: {
  dataDir: string;
  baseUrl: () => string;
  urlExpirySeconds?: number;
}): Promise<LocalArtifacts> => {
  const root = join(options.dataDir, 'artifacts');
  await mkdir(root, { recursive: true });
  const signer = createUrlSigner(await signingKey(join(options.dataDir, 'artifact-url-key')));
  const store = createLocalArtifactStore({ root, baseUrl: options.baseUrl, signer });
  return {
    deps: { store, downloads: 'stream', urlExpirySeconds: options.urlExpirySeconds ?? 900 },
    signedUrlHandler: (request) => handleLocalSignedRequest(store, signer, request),
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
