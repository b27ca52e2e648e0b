import { useEffect, useRef } from 'react';
import { createPortal } from 'react-dom';
import type { MetricAgg } from '../../app/url-state';
import type { ResolvedColumn } from './column-model';

export interface ColumnMenuProps {
  column: ResolvedColumn;
  summaries: boolean;
  onSort: (desc: boolean, agg: MetricAgg) => void;
  onAgg: (agg: MetricAgg) => void;
  onPin: (pinned: boolean) => void;
  onStep: (step: -1 | 1) => void;
  onHide: () => void;
  onClose: () => void;
  /** The ⋮ button: the menu opens under it, in a portal so no cell clips or covers it. */
  anchor: HTMLElement | null;
}

/** A column's actions, reachable by keyboard (the header's ⋮ button): sort, summary, pin, move, hide. */
export const ColumnMenu = ({ column, summaries, onSort, onAgg, onPin, onStep, onHide, onClose, anchor }: ColumnMenuProps) => {
  const menu = useRef<HTMLDivElement>(null);
  useEffect(() => menu.current?.querySelector<HTMLButtonElement>('button')?.focus(), []);
  useEffect(() => {
    const onDown = (event: MouseEvent) => {
      if (!menu.current?.contains(event.target as Node) && !anchor?.contains(event.target as Node)) onClose();
    };
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
  }, [onClose, anchor]);

  const act = (fn: () => void) => () => {
    fn();
    onClose();
  };
  const aggs: MetricAgg[] = summaries ? ['last', 'min', 'max'] : ['last'];
  const rect = anchor?.getBoundingClientRect();
  const position = rect ? { top: rect.bottom + 4, left: Math.max(8, Math.min(rect.right - 200, window.innerWidth - 216)) } : { top: 0, left: 0 };
  return createPortal(
    <div
      ref={menu}
      role="menu"
      aria-label={`Column ${column.label}`}
      className="popover column-menu"
      style={{ position: 'fixed', ...position }}
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.stopPropagation();
          onClose();
        }
        if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
          event.preventDefault();
          const items = [...(menu.current?.querySelectorAll<HTMLButtonElement>('button') ?? [])];
          const at = items.indexOf(document.activeElement as HTMLButtonElement);
          items[(at + (event.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length]?.focus();
        }
      }}
    >
      {column.sortable &&
        aggs.map((agg) => (
          <div key={agg} className="row" style={{ flexWrap: 'nowrap' }}>
            <button type="button" role="menuitem" onClick={act(() => onSort(false, agg))}>
              Sort ↑{agg !== 'last' ? ` by ${agg}` : ''}
            </button>
            <button type="button" role="menuitem" onClick={act(() => onSort(true, agg))}>
              Sort ↓{agg !== 'last' ? ` by ${agg}` : ''}
            </button>
          </div>
        ))}
      {column.kind === 'metric' && summaries && (
        <div className="row" role="group" aria-label="Show">
          {aggs.map((agg) => (
            <button key={agg} type="button" role="menuitemradio" aria-checked={column.agg === agg} onClick={act(() => onAgg(agg))}>
              Show {agg}
            </button>
          ))}
        </div>
      )}
      <button type="button" role="menuitem" onClick={act(() => onPin(!column.pinned))}>
        {column.pinned ? 'Unpin' : 'Pin left'}
      </button>
      <button type="button" role="menuitem" onClick={act(() => onStep(-1))}>
        Move left
      </button>
      <button type="button" role="menuitem" onClick={act(() => onStep(1))}>
        Move right
      </button>
      <button type="button" role="menuitem" onClick={act(onHide)}>
        Hide column
      </button>
    </div>,
    document.body,
  );
};
