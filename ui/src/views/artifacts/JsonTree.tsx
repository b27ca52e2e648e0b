/** Collapsible JSON: objects and arrays fold with <details>, the first levels open. */
export const JsonTree = ({ value, name, depth = 0 }: { value: unknown; name?: string; depth?: number }) => {
  const label = name !== undefined ? <span className="json-key">{JSON.stringify(name)}: </span> : null;
  if (value === null || typeof value !== 'object') {
    const cls = value === null ? 'json-null' : `json-${typeof value}`;
    return (
      <div className="json-leaf" style={{ paddingLeft: 14 }}>
        {label}
        <span className={cls}>{JSON.stringify(value)}</span>
      </div>
    );
  }
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
  const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  const shown = entries.slice(0, 1000);
  return (
    <details open={depth < 2} className="json-node">
      <summary>
        {label}
        {open}
        <span className="muted small"> {entries.length} {Array.isArray(value) ? 'items' : 'keys'} </span>
        {close}
      </summary>
      <div style={{ paddingLeft: 14 }}>
        {shown.map(([key, child]) => (
          <JsonTree key={key} name={Array.isArray(value) ? undefined : key} value={child} depth={depth + 1} />
        ))}
        {entries.length > shown.length && <div className="muted small">…{entries.length - shown.length} more</div>}
      </div>
    </details>
  );
};
