import { useRef, useState, type CSSProperties } from 'react';
import type { MetricAgg, SortSpec } from '../../app/url-state';
import type { ResolvedColumn } from './column-model';
import { ColumnMenu } from './ColumnMenu';

export interface HeaderActions {
  sort: (column: ResolvedColumn, desc: boolean, agg: MetricAgg) => void;
  agg: (column: ResolvedColumn, agg: MetricAgg) => void;
  pin: (column: ResolvedColumn, pinned: boolean) => void;
  step: (column: ResolvedColumn, step: -1 | 1) => void;
  hide: (column: ResolvedColumn) => void;
  resize: (column: ResolvedColumn, width: number) => void;
  /** Drag and drop: `id` lands before `beforeId`. */
  drop: (id: string, beforeId: string) => void;
}

const DRAG_TYPE = 'application/x-cairn-column';

export const HeaderCell = ({
  column,
  sort,
  summaries,
  actions,
  style,
  colIndex,
}: {
  column: ResolvedColumn;
  sort: SortSpec | undefined;
  summaries: boolean;
  actions: HeaderActions;
  style: CSSProperties;
  colIndex: number;
}) => {
  const [menuOpen, setMenuOpen] = useState(false);
  const menuButton = useRef<HTMLButtonElement>(null);
  const [dragOver, setDragOver] = useState(false);
  const [liveWidth, setLiveWidth] = useState<number>();
  const sorted = sort?.columnId === column.id ? sort : undefined;
  const kindLabel = column.kind === 'attribute' ? '' : column.kind === 'metric' ? `${column.agg === 'last' ? '' : `${column.agg} `}` : '';

  const onResizeStart = (event: React.PointerEvent) => {
    event.preventDefault();
    event.stopPropagation();
    const startX = event.clientX;
    const startWidth = column.width;
    const target = event.currentTarget as HTMLElement;
    target.setPointerCapture(event.pointerId);
    const onMove = (move: PointerEvent) => setLiveWidth(Math.max(60, startWidth + move.clientX - startX));
    const onUp = (up: PointerEvent) => {
      target.removeEventListener('pointermove', onMove);
      target.removeEventListener('pointerup', onUp);
      setLiveWidth(undefined);
      actions.resize(column, startWidth + up.clientX - startX);
    };
    target.addEventListener('pointermove', onMove);
    target.addEventListener('pointerup', onUp);
  };

  const nextSort = () => {
    if (!column.sortable) return;
    if (!sorted) actions.sort(column, true, column.agg);
    else actions.sort(column, !sorted.desc, sorted.agg);
  };

  return (
    <div
      role="columnheader"
      aria-colindex={colIndex}
      aria-sort={sorted ? (sorted.desc ? 'descending' : 'ascending') : undefined}
      className={`th kind-${column.kind}${dragOver ? ' drag-over' : ''}${column.pinned ? ' pinned' : ''}`}
      style={{ ...style, width: liveWidth ?? column.width }}
      draggable
      data-column={column.id}
      onDragStart={(event) => {
        event.dataTransfer.setData(DRAG_TYPE, column.id);
        event.dataTransfer.effectAllowed = 'move';
      }}
      onDragOver={(event) => {
        if (event.dataTransfer.types.includes(DRAG_TYPE)) {
          event.preventDefault();
          setDragOver(true);
        }
      }}
      onDragLeave={() => setDragOver(false)}
      onDrop={(event) => {
        setDragOver(false);
        const id = event.dataTransfer.getData(DRAG_TYPE);
        if (id) actions.drop(id, column.id);
      }}
    >
      <button
        type="button"
        className="th-label"
        onClick={nextSort}
        title={`${column.id}${column.sortable ? ' (click to sort)' : ''}`}
        // The visible text (the summary shown, then the key) starts the name, as speech-input users say it.
        aria-label={`${kindLabel}${column.label}${column.sortable ? ', sort' : ''}`}
      >
        {column.kind !== 'attribute' && <span className={`kind-dot ${column.kind}`} aria-hidden="true" />}
        <span className="th-text">
          {kindLabel}
          {column.label}
        </span>
      </button>
      {/* Outside the button, whose name is its visible text; the header's aria-sort says the direction. */}
      {sorted && (
        <span className="th-sorted" aria-hidden="true">
          {sorted.desc ? '↓' : '↑'}
          {sorted.agg !== 'last' ? sorted.agg : ''}
        </span>
      )}
      <button
        type="button"
        ref={menuButton}
        className="th-menu"
        aria-haspopup="menu"
        aria-expanded={menuOpen}
        aria-label={`Column options for ${column.label}`}
        onClick={() => setMenuOpen((open) => !open)}
      >
        ⋮
      </button>
      <span className="th-resize" onPointerDown={onResizeStart} aria-hidden="true" />
      {menuOpen && (
        <ColumnMenu
          column={column}
          summaries={summaries}
          onSort={(desc, agg) => actions.sort(column, desc, agg)}
          onAgg={(agg) => actions.agg(column, agg)}
          onPin={(pinned) => actions.pin(column, pinned)}
          onStep={(step) => actions.step(column, step)}
          onHide={() => actions.hide(column)}
          onClose={() => {
            setMenuOpen(false);
            menuButton.current?.focus();
          }}
          anchor={menuButton.current}
        />
      )}
    </div>
  );
};
