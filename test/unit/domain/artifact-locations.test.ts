import { describe, expect, it } from 'vitest';
import { ownerOfPath, storeKeyOf } from '../../../shared/domain/artifact-locations.js';
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
      errorCode: 'NOT_IMPLEMENTED',
    });
    expect(errorOf(() => storeKeyOf('mlflow-artifacts:/../x', {}))).toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE' });
  });

  it('finds the run or logged model a proxied path belongs to', () => {
    // Act & Assess
    expect(ownerOfPath(`1/${RUN}/artifacts/model/MLmodel`)).toEqual({ kind: 'run', id: RUN });
    expect(ownerOfPath(`1/models/${MODEL}/artifacts/MLmodel`)).toEqual({ kind: 'model', id: MODEL });
    expect(ownerOfPath('1/elsewhere/file.txt')).toBeUndefined();
  });
});
