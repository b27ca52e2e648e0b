import { describe, expect, it } from 'vitest';
import { clientFileName, safeArtifactFolder, safeArtifactPath } from '../../../shared/storage/artifact-paths.js';
import { artifactContentType } from '../../../shared/storage/mime-types.js';
import { errorOf } from '../../support/error-of.js';

describe('artifact paths', () => {
  it.each([
    ['1/abc/artifacts/model/MLmodel', '1/abc/artifacts/model/MLmodel'],
    ['1/abc/artifacts/my%20file.txt', '1/abc/artifacts/my file.txt'],
    ['1/abc/artifacts/%C3%A9t%C3%A9.csv', '1/abc/artifacts/été.csv'],
    ['1/abc/artifacts/a+b', '1/abc/artifacts/a+b'],
    ['1/abc/artifacts/top%205%.csv', '1/abc/artifacts/top 5%.csv'],
    ['1/abc/artifacts/50%25zz.txt', '1/abc/artifacts/50%zz.txt'],
  ])('accepts %s as %s', (path, expected) => {
    // Act & Assess
    expect(safeArtifactPath(path)).toBe(expected);
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
    expect(error).toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE', message: `Invalid path: ${path}` });
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
