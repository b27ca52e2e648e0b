import { useEffect, useRef, useState, type CSSProperties } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { SortSpec } from '../../app/url-state';
import { isTyping, listStep } from '../../app/keyboard';
import type { ResolvedColumn } from './column-model';
import type { DisplayRow } from './rows';
import { rangeIds } from './rows';
import { HeaderCell, type HeaderActions } from './HeaderCell';
import { Cell } from './Cell';

export const ROW_HEIGHT = 32;
const HEADER_HEIGHT = 34;
const SELECT_WIDTH = 36;

export interface RunsTableProps {
  rows: DisplayRow[];
  columns: { pinned: ResolvedColumn[]; scrolling: ResolvedColumn[] };
  sort: SortSpec | undefined;
  summaries: boolean;
  selected: ReadonlySet<string>;
  onSelectionChange: (ids: string[]) => void;
  onOpen: (row: DisplayRow) => void;
  onToggleExpand: (runId: string) => void;
  onEndReached: () => void;
  actions: HeaderActions;
  footer?: React.ReactNode;
}

/**
 * The runs grid, virtualized both ways: only the rows and the scrolling columns in view are in the DOM;
 * pinned columns stick to the left. Row keys: j/k or arrows move, x or Space selects, Shift extends, Enter opens.
 */
export const RunsTable = ({ rows, columns, sort, summaries, selected, onSelectionChange, onOpen, onToggleExpand, onEndReached, actions, footer }: RunsTableProps) => {
  const scroll = useRef<HTMLDivElement>(null);
  const [active, setActive] = useState(0);
  const anchor = useRef<number>(0);
  const pinnedWidth = SELECT_WIDTH + columns.pinned.reduce((sum, c) => sum + c.width, 0);

  const rowVirtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroll.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    scrollMargin: HEADER_HEIGHT,
  });
  const colVirtualizer = useVirtualizer({
    horizontal: true,
    count: columns.scrolling.length,
    getScrollElement: () => scroll.current,
    estimateSize: (index) => columns.scrolling[index]?.width ?? 120,
    overscan: 3,
    scrollMargin: pinnedWidth,
  });
  const widthsKey = columns.scrolling.map((c) => `${c.id}:${c.width}`).join('|');
  useEffect(() => colVirtualizer.measure(), [widthsKey, pinnedWidth, colVirtualizer]);

  const virtualRows = rowVirtualizer.getVirtualItems();
  const lastIndex = virtualRows[virtualRows.length - 1]?.index ?? 0;
  useEffect(() => {
    if (rows.length > 0 && lastIndex >= rows.length - 20) onEndReached();
  }, [lastIndex, rows.length, onEndReached]);
  useEffect(() => setActive((a) => Math.min(a, Math.max(0, rows.length - 1))), [rows.length]);

  // The sum, not the virtualizer's total: that one already leaves out the scroll margin, and rows cut short
  // by the pinned width left their bottom borders ending before the last columns.
  const scrollingWidth = columns.scrolling.reduce((sum, c) => sum + c.width, 0);
  const totalWidth = pinnedWidth + scrollingWidth;
  const virtualColumns = colVirtualizer.getVirtualItems();
  const colCount = 1 + columns.pinned.length + columns.scrolling.length;

  const toggle = (index: number, shift: boolean) => {
    const row = rows[index];
    if (!row) return;
    const id = row.run.info.run_id;
    if (shift) {
      const ids = new Set(selected);
      for (const other of rangeIds(rows, anchor.current, index)) ids.add(other);
      onSelectionChange([...ids]);
    } else {
      anchor.current = index;
      onSelectionChange(selected.has(id) ? [...selected].filter((s) => s !== id) : [...selected, id]);
    }
    setActive(index);
  };

  const onKeyDown = (event: React.KeyboardEvent) => {
    if (isTyping(event.target) || event.metaKey || event.ctrlKey || event.altKey) return;
    const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
    const next = listStep(key, active, rows.length);
    if (next !== undefined) {
      event.preventDefault();
      if (event.shiftKey) {
        const ids = new Set(selected);
        for (const id of rangeIds(rows, active, next)) ids.add(id);
        onSelectionChange([...ids]);
      }
      setActive(next);
      rowVirtualizer.scrollToIndex(next, { align: 'auto' });
    } else if (key === 'x' || key === ' ') {
      event.preventDefault();
      toggle(active, false);
    } else if (key === 'Enter') {
      const row = rows[active];
      if (row) onOpen(row);
    }
  };

  const allSelected = rows.length > 0 && rows.every((r) => selected.has(r.run.info.run_id));
  const pinnedCells = (render: (column: ResolvedColumn, left: number, index: number) => React.ReactNode) => {
    let left = SELECT_WIDTH;
    return columns.pinned.map((column, index) => {
      const node = render(column, left, index);
      left += column.width;
      return node;
    });
  };
  const cellStyle = (column: ResolvedColumn, left: number): CSSProperties => ({ position: 'absolute', left, width: column.width, top: 0, bottom: 0 });

  return (
    <div
      ref={scroll}
      className="grid-scroll"
      role="grid"
      aria-label="Runs"
      aria-rowcount={rows.length + 1}
      aria-colcount={colCount}
      aria-multiselectable="true"
      tabIndex={0}
      onKeyDown={onKeyDown}
    >
      <div style={{ width: totalWidth, height: HEADER_HEIGHT + rowVirtualizer.getTotalSize() + 40, position: 'relative' }}>
        <div role="row" aria-rowindex={1} className="grid-header" style={{ width: totalWidth, height: HEADER_HEIGHT }}>
          <div className="pinned-group" style={{ width: pinnedWidth }}>
            <div role="columnheader" aria-colindex={1} className="th select-cell" style={{ position: 'absolute', left: 0, width: SELECT_WIDTH, top: 0, bottom: 0 }}>
              <input
                type="checkbox"
                aria-label="Select all loaded runs"
                checked={allSelected}
                onChange={() => onSelectionChange(allSelected ? [] : rows.map((r) => r.run.info.run_id))}
              />
            </div>
            {pinnedCells((column, left, index) => (
              <HeaderCell key={column.id} column={column} sort={sort} summaries={summaries} actions={actions} colIndex={index + 2} style={cellStyle(column, left)} />
            ))}
          </div>
          <div className="scrolling-group" style={{ width: scrollingWidth }}>
            {virtualColumns.map((vc) => {
              const column = columns.scrolling[vc.index]!;
              return (
                <HeaderCell
                  key={column.id}
                  column={column}
                  sort={sort}
                  summaries={summaries}
                  actions={actions}
                  colIndex={columns.pinned.length + 2 + vc.index}
                  style={cellStyle(column, vc.start - pinnedWidth)}
                />
              );
            })}
          </div>
        </div>
        {virtualRows.map((vr) => {
          const row = rows[vr.index]!;
          const id = row.run.info.run_id;
          const isSelected = selected.has(id);
          return (
            <div
              key={id}
              role="row"
              aria-rowindex={vr.index + 2}
              aria-selected={isSelected}
              data-run-id={id}
              className={`grid-row${isSelected ? ' selected' : ''}${vr.index === active ? ' active' : ''}${row.run.info.lifecycle_stage === 'deleted' ? ' deleted' : ''}`}
              style={{ top: vr.start, width: totalWidth, height: ROW_HEIGHT }}
              onClick={() => setActive(vr.index)}
            >
              <div className="pinned-group" style={{ width: pinnedWidth }}>
                <div role="gridcell" aria-colindex={1} className="td select-cell" style={{ position: 'absolute', left: 0, width: SELECT_WIDTH, top: 0, bottom: 0 }}>
                  <input
                    type="checkbox"
                    tabIndex={-1}
                    aria-label={`Select run ${id}`}
                    checked={isSelected}
                    onClick={(event) => event.stopPropagation()}
                    // React delivers a checkbox's change from the click, so the click's Shift key is there.
                    onChange={(event) => toggle(vr.index, (event.nativeEvent as MouseEvent).shiftKey === true)}
                  />
                </div>
                {pinnedCells((column, left, index) => (
                  <Cell key={column.id} row={row} column={column} colIndex={index + 2} style={cellStyle(column, left)} onToggleExpand={onToggleExpand} />
                ))}
              </div>
              <div className="scrolling-group" style={{ width: scrollingWidth }}>
                {virtualColumns.map((vc) => {
                  const column = columns.scrolling[vc.index]!;
                  return (
                    <Cell
                      key={column.id}
                      row={row}
                      column={column}
                      colIndex={columns.pinned.length + 2 + vc.index}
                      style={cellStyle(column, vc.start - pinnedWidth)}
                      onToggleExpand={onToggleExpand}
                    />
                  );
                })}
              </div>
            </div>
          );
        })}
        <div className="grid-footer" style={{ top: HEADER_HEIGHT + rowVirtualizer.getTotalSize() }}>
          {footer}
        </div>
      </div>
    </div>
  );
};
