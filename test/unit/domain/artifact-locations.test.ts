import { describe, expect, it } from 'vitest';
import { ownersOfPath, storeKeyOf } from '../../../shared/domain/artifacts/artifact-locations.js';
import { errorOf } from '../../support/error-of.js';

const RUN = 'a'.repeat(32);
const MODEL = `m-${'b'.repeat(32)}`;

describe('artifact locations', () => {
  it('maps mlflow-artifacts URIs, with or without a host, to store keys', () => {
    // Act & Assess
    expect(storeKeyOf(`mlflow-artifacts:/1/${RUN}/artifacts`, {})).toBe(`1/${RUN}/artifacts`);
    expect(storeKeyOf(`mlflow-artifacts://cairn.example/1/${RUN}/artifacts`, {})).toBe(`1/${RUN}/artifacts`);
  });

  it("maps s3 URIs inside Cairn's own bucket and prefix, and refuses others", () => {
    // Prepare
    const location = { s3: { bucket: 'cairn-artifacts', prefix: 'mlflow' } };

    // Act & Assess
    expect(storeKeyOf(`s3://cairn-artifacts/mlflow/7/${RUN}/artifacts`, location)).toBe(`7/${RUN}/artifacts`);
    expect(errorOf(() => storeKeyOf(`s3://someone-else/7/${RUN}/artifacts`, location))).toMatchObject({
      errorCode: 'INVALID_PARAMETER_VALUE',
    });
    expect(errorOf(() => storeKeyOf('mlflow-artifacts:/../x', {}))).toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE' });
  });

  it('finds the runs and logged models a proxied path lies under', () => {
    // Act & Assess
    expect(ownersOfPath(`1/${RUN}/artifacts/model/MLmodel`)).toEqual([{ kind: 'run', id: RUN }]);
    expect(ownersOfPath(`1/models/${MODEL}/artifacts/MLmodel`)).toEqual([{ kind: 'model', id: MODEL }]);
    expect(ownersOfPath(`1/${RUN}/artifacts/x/${'c'.repeat(32)}/artifacts/f`)).toEqual([
      { kind: 'run', id: RUN },
      { kind: 'run', id: 'c'.repeat(32) },
    ]);
    expect(ownersOfPath('1/elsewhere/file.txt')).toEqual([]);
  });
});
