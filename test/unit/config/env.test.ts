import { describe, expect, it } from 'vitest';
import { ENV, loadSettings } from '../../../shared/config/env.js';

describe('settings from the environment', () => {
  it('needs only the table name, and serves no artifacts without a bucket', () => {
    // Act
    const settings = loadSettings({ [ENV.tableName]: 'cairn' });

    // Assess
    expect(settings).toMatchObject({ tableName: 'cairn', defaultArtifactRoot: 'mlflow-artifacts:/' });
    expect(settings.artifacts).toBeUndefined();
  });

  it('reads the artifact bucket with AWS defaults: redirected downloads, 15-minute URLs, 4 MiB proxied uploads', () => {
    // Act
    const settings = loadSettings({ [ENV.tableName]: 'cairn', [ENV.artifactBucket]: 'bucket', [ENV.artifactPrefix]: '/mlflow/' });

    // Assess
    expect(settings.artifacts).toEqual({
      bucket: 'bucket',
      prefix: 'mlflow',
      s3Endpoint: undefined,
      downloads: 'redirect',
      urlExpirySeconds: 900,
      maxProxyUploadBytes: 4 * 1024 * 1024,
    });
  });

  it('stops with the name of a wrong setting', () => {
    // Act & Assess
    expect(() => loadSettings({ [ENV.tableName]: 'cairn', [ENV.artifactDownloads]: 'teleport' })).toThrow(
      /CAIRN_ARTIFACT_DOWNLOADS/,
    );
    expect(() => loadSettings({})).toThrow(/CAIRN_TABLE_NAME/);
  });
});
