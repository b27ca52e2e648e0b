import { useEffect, useMemo, useRef, useState } from 'react';
import { isVisible, matchesColumnQuery, type ColumnDef, type ColumnLayout } from './column-model';

const GROUPS: { kind: ColumnDef['kind']; label: string }[] = [
  { kind: 'attribute', label: 'Attributes' },
  { kind: 'metric', label: 'Metrics' },
  { kind: 'param', label: 'Parameters' },
  { kind: 'tag', label: 'Tags' },
];
const PER_GROUP = 200;

/** Shows and hides columns; searchable, since runs can carry thousands of keys. */
export const ColumnPicker = ({
  available,
  layout,
  onToggle,
  onReset,
}: {
  available: readonly ColumnDef[];
  layout: ColumnLayout;
  onToggle: (column: ColumnDef, visible: boolean) => void;
  onReset: () => void;
}) => {
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState('');
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const onDown = (event: MouseEvent) => {
      if (!box.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
  }, [open]);
  const matching = useMemo(() => available.filter((c) => matchesColumnQuery(c, query)), [available, query]);
  const shown = available.filter((c) => isVisible(layout, c)).length;

  return (
    <div ref={box} style={{ position: 'relative' }}>
      <button type="button" aria-expanded={open} aria-haspopup="dialog" onClick={() => setOpen((o) => !o)}>
        Columns ({shown}/{available.length})
      </button>
      {open && (
        <div
          className="popover column-picker"
          role="dialog"
          aria-label="Choose columns"
          style={{ top: 32, right: 0, width: 340 }}
          onKeyDown={(event) => event.key === 'Escape' && setOpen(false)}
        >
          <input
            type="search"
            autoFocus
            aria-label="Search columns"
            placeholder="Search columns…"
            value={query}
            onChange={(event) => setQuery(event.target.value)}
            style={{ width: '100%' }}
          />
          <div style={{ maxHeight: 380, overflow: 'auto', marginTop: 8 }}>
            {GROUPS.map(({ kind, label }) => {
              const columns = matching.filter((c) => c.kind === kind);
              if (columns.length === 0) return null;
              return (
                <fieldset key={kind} className="picker-group">
                  <legend>
                    {label} <span className="muted small">({columns.length})</span>
                  </legend>
                  {columns.slice(0, PER_GROUP).map((column) => (
                    <label key={column.id} className="picker-item">
                      <input type="checkbox" checked={isVisible(layout, column)} onChange={(event) => onToggle(column, event.target.checked)} />
                      <span className="mono">{column.label}</span>
                    </label>
                  ))}
                  {columns.length > PER_GROUP && <div className="muted small">…{columns.length - PER_GROUP} more: narrow the search</div>}
                </fieldset>
              );
            })}
          </div>
          <div className="row" style={{ justifyContent: 'space-between', marginTop: 8 }}>
            <button type="button" onClick={onReset}>
              Reset layout
            </button>
            <button type="button" onClick={() => setOpen(false)}>
              Done
            </button>
          </div>
        </div>
      )}
    </div>
  );
};
