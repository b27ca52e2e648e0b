import { describe, expect, it } from 'vitest';
import { checkStoreKey, clientFileName, MAX_ARTIFACT_KEY_BYTES, safeArtifactFolder, safeArtifactPath, unquotePath } from '../../../shared/domain/artifacts/artifact-paths.js';
import { createS3ArtifactStore, createS3Clients } from '../../../shared/storage/s3-artifact-store.js';
import { artifactContentType } from '../../../shared/domain/artifacts/mime-types.js';
import { errorOf } from '../../support/error-of.js';

describe('artifact paths', () => {
  it.each([
    ['1/abc/artifacts/model/MLmodel', '1/abc/artifacts/model/MLmodel'],
    ['1/abc/artifacts/my%20file.txt', '1/abc/artifacts/my file.txt'],
    ['1/abc/artifacts/%C3%A9t%C3%A9.csv', '1/abc/artifacts/été.csv'],
    ['1/abc/artifacts/a+b', '1/abc/artifacts/a+b'],
    ['1/abc/artifacts/top%205%.csv', '1/abc/artifacts/top 5%.csv'],
    ['1/abc/artifacts/50%25zz.txt', '1/abc/artifacts/50%zz.txt'],
    ['1/abc/artifacts/a%2525b%2541.txt', '1/abc/artifacts/a%25b%41.txt'],
    ['1/abc/artifacts/dog%25step%25100%25timestamp%25.png', '1/abc/artifacts/dog%step%100%timestamp%.png'],
  ])('accepts the URL path %s decoded once, as Werkzeug hands it to MLflow: %s', (path, expected) => {
    // Act & Assess
    expect(safeArtifactPath(unquotePath(path))).toBe(expected);
  });

  it.each([
    '../etc/passwd',
    '1/../../x',
    '1/%2e%2e/x',
    '1/%252e%252e/x',
    '/etc/passwd',
    '%2Fetc',
    'C:/windows',
    '1\\x',
    '1/%5cx',
    '1//x',
    '1/./x',
    '1/x%00',
    '1/x#frag',
    '',
  ])('refuses %j with INVALID_PARAMETER_VALUE', (path) => {
    // Act
    const error = errorOf(() => safeArtifactPath(path));

    // Assess
    expect(error).toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE', message: 'Invalid path' });
  });

  it('reads an empty folder or a trailing slash as the folder itself', () => {
    // Act & Assess
    expect(safeArtifactFolder(undefined)).toBe('');
    expect(safeArtifactFolder('1/run/artifacts/')).toBe('1/run/artifacts');
  });

  it("takes the file name of a client's Windows or POSIX path", () => {
    // Act & Assess
    expect(clientFileName('C:\\data\\weights.bin')).toBe('weights.bin');
    expect(clientFileName('/tmp/x/model.pkl')).toBe('model.pkl');
  });
});

describe('artifact content types', () => {
  it.each([
    ['MLmodel', 'text/plain'],
    ['conda.yaml', 'text/plain'],
    ['input_example.json', 'text/plain'],
    ['requirements.txt', 'text/plain'],
    ['model.pkl', 'application/octet-stream'],
    ['plot.png', 'image/png'],
    ['report.html', 'text/html'],
    ['noextension', 'application/octet-stream'],
  ])('answers %s as %s, as MLflow does', (name, type) => {
    // Act & Assess
    expect(artifactContentType(name)).toBe(type);
  });
});

describe('the store-key rule', () => {
  it.each([
    ['.uploads', /reserved/],
    ['.uploads/abc/manifest.json', /reserved/],
    ['1/run/artifacts/.cairn-tmp-00112233', /reserved/],
    [`1/${'n'.repeat(256)}`, /256 bytes long; the limit is 255/],
    [`1/${'é'.repeat(128)}`, /256 bytes long; the limit is 255/],
    [Array.from({ length: 10 }, () => 'd'.repeat(120)).join('/'), /1209 bytes long; the limit is 1024/],
    ['a//b', /^Invalid path/],
    ['../x', /^Invalid path/],
    ['', /^Invalid path/],
  ])('refuses %j with INVALID_PARAMETER_VALUE', (key, message) => {
    // Act
    const error = errorOf(() => checkStoreKey(key, MAX_ARTIFACT_KEY_BYTES));

    // Assess
    expect(error).toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE', message: expect.stringMatching(message) });
  });

  it('takes a reserved name below the top, a 255-byte name and a key of exactly the limit', () => {
    // Prepare
    const exact = `${'d'.repeat(255)}/${'d'.repeat(255)}/${'d'.repeat(255)}/${'d'.repeat(255)}`;

    // Act & Assess
    expect(checkStoreKey('1/run/artifacts/.uploads/x', MAX_ARTIFACT_KEY_BYTES)).toBe('1/run/artifacts/.uploads/x');
    expect(checkStoreKey(exact, 1023)).toBe(exact);
    expect(checkStoreKey('', MAX_ARTIFACT_KEY_BYTES, true)).toBe('');
  });

  it('counts an S3 store prefix in the 1024 bytes of a key', async () => {
    // Prepare
    const { client, presignClient } = createS3Clients({ region: 'eu-west-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' } });
    const store = createS3ArtifactStore({ client, presignClient, bucket: 'cairn-artifacts', prefix: 'mlartifacts' });
    const fits = Array.from({ length: 8 }, () => 'd'.repeat(126)).join('/').slice(0, 1012);

    // Act
    const refused = await store.presignPut(`${fits}xx`, 60).catch((error: unknown) => error);

    // Assess
    expect(store.maxKeyBytes).toBe(1024 - 'mlartifacts/'.length);
    expect(await store.presignPut(fits, 60)).toContain('cairn-artifacts');
    expect(refused).toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE', message: expect.stringMatching(/1014 bytes long; the limit is 1012/) });
  });
});
