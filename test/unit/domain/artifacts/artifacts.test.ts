import { describe, expect, it } from 'vitest';
import {
  completeMultipartUpload,
  createMultipartUpload,
  deleteArtifact,
  listRunArtifacts,
  presignedUploadUrl,
  uploadArtifact,
  type ArtifactDeps,
} from '../../../../shared/domain/artifacts/artifacts.js';
import { ensureDefaultExperiment } from '../../../../shared/domain/tracking/experiments.js';
import { createRun, deleteRun } from '../../../../shared/domain/tracking/runs.js';
import { memoryArtifactStore } from '../../../support/fakes/artifacts.js';
import { createTrackingPorts } from '../../../support/fakes/tracking.js';
import { errorOf } from '../tracking/errors.js';

const setup = async (settings: Partial<ArtifactDeps> = {}) => {
  const tracking = createTrackingPorts();
  await ensureDefaultExperiment(tracking.ports);
  const memory = memoryArtifactStore();
  const artifacts: ArtifactDeps = { store: memory.store, downloads: 'stream', urlExpirySeconds: 900, ...settings };
  const { info } = await createRun(tracking.ports, { tags: [] });
  return { ports: tracking.ports, artifacts, memory, runId: info.runId };
};

const bytes = (text: string) => new Uint8Array(Buffer.from(text));

describe('artifacts (in-memory ports and store)', () => {
  it('stores a proxied upload under the run and lists it relative to the run\'s root', async () => {
    // Prepare
    const { ports, artifacts, runId } = await setup();

    // Act
    await uploadArtifact(ports, artifacts, `0/${runId}/artifacts/model/MLmodel`, 5, async () => bytes('hello'));
    const listing = await listRunArtifacts(ports, artifacts, runId, 'model');

    // Assess
    expect(listing).toEqual({
      rootUri: `mlflow-artifacts:/0/${runId}/artifacts`,
      files: [{ name: 'MLmodel', isDir: false, size: 5, path: 'model/MLmodel' }],
    });
  });

  it('refuses writes to a deleted run, a traversing path, and a body over the proxy limit before reading it', async () => {
    // Prepare
    const { ports, artifacts, memory, runId } = await setup({ maxProxyUploadBytes: 4 });
    let read = false;
    const body = async () => ((read = true), bytes('x'));

    // Act
    const tooLarge = await errorOf(uploadArtifact(ports, artifacts, `0/${runId}/artifacts/big`, 5, body));
    const traversal = await errorOf(uploadArtifact(ports, artifacts, `0/${runId}/artifacts/../x`, 1, body));
    await deleteRun(ports, runId);
    const deleted = await errorOf(uploadArtifact(ports, artifacts, `0/${runId}/artifacts/a`, 1, body));
    const removal = await errorOf(deleteArtifact(ports, artifacts, `0/${runId}/artifacts/a`));

    // Assess
    expect(tooLarge.message).toContain('The artifact is 5 bytes, more than this server takes in one request (4).');
    expect(traversal).toEqual({ code: 'INVALID_PARAMETER_VALUE', message: 'Invalid path' });
    expect(deleted).toEqual({ code: 'INVALID_PARAMETER_VALUE', message: `The run ${runId} must be in the 'active' state. Current state is deleted.` });
    expect(removal.code).toBe('INVALID_PARAMETER_VALUE');
    expect(read).toBe(false);
    expect(memory.objects.size).toBe(0);
  });

  it('completes a multipart upload from its parts, and answers an unknown upload with RESOURCE_DOES_NOT_EXIST', async () => {
    // Prepare
    const { ports, artifacts, memory, runId } = await setup();
    const folder = `0/${runId}/artifacts/data`;
    const started = await createMultipartUpload(ports, artifacts, folder, 'C:\\local\\big.bin', 2);
    const etags = [memory.uploadPart(started.uploadId, 1, bytes('ab')), memory.uploadPart(started.uploadId, 2, bytes('cd'))];

    // Act
    await completeMultipartUpload(ports, artifacts, folder, 'big.bin', started.uploadId, [
      { partNumber: 2, etag: etags[1] ?? '' },
      { partNumber: 1, etag: etags[0] ?? '' },
    ]);
    const unknown = await errorOf(completeMultipartUpload(ports, artifacts, folder, 'big.bin', 'upload-x', []));

    // Assess
    expect(started.credentials.map((c) => c.partNumber)).toEqual([1, 2]);
    expect(Buffer.from(memory.objects.get(`${folder}/big.bin`) ?? []).toString()).toBe('abcd');
    expect(unknown).toEqual({ code: 'RESOURCE_DOES_NOT_EXIST', message: 'Multipart upload not found: upload-x' });
  });

  it('signs upload URLs no longer than the server allows', async () => {
    // Prepare
    const { ports, artifacts, runId } = await setup({ urlExpirySeconds: 60 });

    // Act
    const clamped = await presignedUploadUrl(ports, artifacts, { kind: 'run', id: runId }, 'a.txt', 3600);
    const negative = await errorOf(presignedUploadUrl(ports, artifacts, { kind: 'run', id: runId }, 'a.txt', 0));

    // Assess
    expect(clamped.url).toBe(`memory://put/0/${runId}/artifacts/a.txt?expires=60`);
    expect(negative.message).toBe('expiration must be a positive number of seconds, got 0.');
  });
});
