import { useState } from 'react';

/** A titled two-column table with a quick filter once it grows past a screenful. */
export const KeyValueTable = ({ title, rows, extra }: { title: string; rows: [string, string][]; extra?: (key: string) => React.ReactNode }) => {
  const [query, setQuery] = useState('');
  const shown = rows.filter(([key]) => key.toLowerCase().includes(query.toLowerCase())).sort(([a], [b]) => a.localeCompare(b));
  return (
    <section aria-label={title}>
      <div className="row" style={{ justifyContent: 'space-between' }}>
        <h2>
          {title} <span className="muted small">({rows.length})</span>
        </h2>
        {rows.length > 12 && <input type="search" aria-label={`Filter ${title.toLowerCase()}`} placeholder="Filter…" value={query} onChange={(e) => setQuery(e.target.value)} />}
      </div>
      <table className="kv">
        <tbody>
          {shown.map(([key, value]) => (
            <tr key={key}>
              <th scope="row" className="mono">{key}</th>
              <td className="mono">{value}</td>
              {extra && <td style={{ width: 130 }}>{extra(key)}</td>}
            </tr>
          ))}
          {rows.length === 0 && (
            <tr>
              <td className="muted">None</td>
            </tr>
          )}
        </tbody>
      </table>
    </section>
  );
};
