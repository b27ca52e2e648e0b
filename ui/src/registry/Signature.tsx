import { useAsync } from '../api/use-async';
import { getVersionFile } from './api';

interface Column {
  name?: string;
  type?: string;
  required?: boolean;
  /** Tensor specs: `{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, 4]}}`. */
  'tensor-spec'?: { dtype?: string; shape?: number[] };
  default?: unknown;
  shape?: number[];
}

export interface ModelSignature {
  flavors: string[];
  inputs?: Column[];
  outputs?: Column[];
  params?: Column[];
}

const columns = (text: unknown): Column[] | undefined => {
  if (typeof text !== 'string' || !text.trim() || text.trim() === 'null') return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) ? (parsed.filter((c) => typeof c === 'object' && c !== null) as Column[]) : undefined;
  } catch {
    return undefined;
  }
};

/** The flavors and signature of an MLmodel file (its signature fields are JSON strings inside the YAML). */
export const readSignature = async (mlmodel: string): Promise<ModelSignature> => {
  const { parse } = await import('yaml');
  const doc = (parse(mlmodel) ?? {}) as Record<string, unknown>;
  const signature = (doc.signature ?? {}) as Record<string, unknown>;
  return {
    flavors: Object.keys((doc.flavors ?? {}) as object),
    inputs: columns(signature.inputs),
    outputs: columns(signature.outputs),
    params: columns(signature.params),
  };
};

const typeOf = (column: Column) => {
  const tensor = column['tensor-spec'];
  if (tensor) return `tensor ${tensor.dtype ?? ''}${tensor.shape ? ` [${tensor.shape.join(', ')}]` : ''}`.trim();
  return `${column.type ?? ''}${column.shape ? ` [${column.shape.join(', ')}]` : ''}`;
};

const SchemaTable = ({ title, schema }: { title: string; schema: Column[] }) => (
  <table className="kv schema-table" aria-label={`Signature ${title.toLowerCase()}`}>
    <caption className="schema-caption">{title}</caption>
    <thead>
      <tr>
        <th scope="col">Name</th>
        <th scope="col">Type</th>
        <th scope="col">Required</th>
      </tr>
    </thead>
    <tbody>
      {schema.map((column, index) => (
        <tr key={`${column.name ?? ''}-${index}`}>
          <td className="mono">{column.name ?? <span className="muted">(unnamed)</span>}</td>
          <td className="mono">{typeOf(column)}</td>
          <td>{column.required === false ? 'no' : 'yes'}</td>
        </tr>
      ))}
    </tbody>
  </table>
);

/** The version's signature, read from the MLmodel file of its model (`/model-versions/get-artifact`). */
export const Signature = ({ name, version }: { name: string; version: string }) => {
  const signature = useAsync(async (signal) => {
    const text = await getVersionFile(name, version, 'MLmodel', signal);
    return text === undefined ? null : readSignature(text);
  }, [name, version]);
  const data = signature.data;
  return (
    <section aria-label="Signature" className="stack">
      <h2>Signature</h2>
      {signature.error && <p className="muted">The MLmodel file could not be read: {signature.error.message}</p>}
      {signature.loading && data === undefined && <p className="muted">Reading the MLmodel file…</p>}
      {data === null && <p className="muted">The model has no MLmodel file in Cairn's artifact store.</p>}
      {data && (
        <>
          {data.flavors.length > 0 && (
            <div className="small">
              <span className="muted">Flavors </span>
              <span className="mono">{data.flavors.join(', ')}</span>
            </div>
          )}
          {data.inputs || data.outputs ? (
            <div className="schema-grid">
              {data.inputs && <SchemaTable title="Inputs" schema={data.inputs} />}
              {data.outputs && <SchemaTable title="Outputs" schema={data.outputs} />}
              {data.params && <SchemaTable title="Params" schema={data.params} />}
            </div>
          ) : (
            <p className="muted">No signature was logged with this model.</p>
          )}
        </>
      )}
    </section>
  );
};
