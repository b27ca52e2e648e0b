import { useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent, type RefObject } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { chooseTicks } from './axis';
import { spansWithFailingDescendants, type SpanNode, type SpanRow, type TimeRange } from './spans';
import { Axis, GridLines, Legend, rowDomId, SpanRowView } from './SpanRows';
import { treeKeyAction } from './tree-keys';
import type { Span } from './types';

const ROW_HEIGHT = 28;
const HEADER_HEIGHT = 24;
/** Past this many visible rows only those in view are in the DOM (an agent's trace can hold thousands of spans). */
export const VIRTUALIZE_OVER = 150;

/** An element's laid-out width, kept current as the page resizes; 0 until measured (and in jsdom). */
const useWidth = (ref: RefObject<HTMLElement | null>): number => {
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    setWidth(element.clientWidth);
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => setWidth(element.clientWidth));
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref]);
  return width;
};

/**
 * The span tree beside its timeline, one row per span: the tree (collapsible, keyboard as WAI-ARIA's tree
 * pattern with the focus on the tree and the current row as its active descendant) on the left, a Gantt bar by
 * start and end on the right, colored by span type and red for errors. Selection follows the keyboard; a
 * search (its text and rows kept by the page, which picks the selection) narrows the tree to the matching
 * spans and their ancestors.
 */
export const SpanTimeline = ({
  roots,
  rows,
  matches,
  query,
  spans,
  range,
  selectedId,
  assessedSpans,
  onQuery,
  onSelect,
  onToggle,
}: {
  roots: readonly SpanNode[];
  /** The rows the tree shows, folded branches and the search applied. */
  rows: readonly SpanRow[];
  /** The spans the search found; undefined without a search. */
  matches: ReadonlySet<string> | undefined;
  query: string;
  /** Current assessments per span id. */
  assessedSpans: ReadonlyMap<string, number>;
  spans: readonly Span[];
  range: TimeRange;
  selectedId: string | undefined;
  onQuery: (text: string) => void;
  onSelect: (id: string) => void;
  onToggle: (id: string, open?: boolean) => void;
}) => {
  const failing = useMemo(() => spansWithFailingDescendants(roots), [roots]);
  const scroller = useRef<HTMLDivElement>(null);
  const axis = useRef<HTMLDivElement>(null);
  const axisWidth = useWidth(axis);
  const ticks = useMemo(() => chooseTicks(range.endMs - range.startMs, axisWidth), [range, axisWidth]);
  const index = Math.max(0, rows.findIndex((row) => row.node.span.id === selectedId));
  const virtual = rows.length > VIRTUALIZE_OVER;

  const virtualizer = useVirtualizer({
    count: virtual ? rows.length : 0,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 16,
    scrollMargin: HEADER_HEIGHT,
  });
  const items = virtual
    ? virtualizer.getVirtualItems().map((item) => ({ row: rows[item.index], top: item.start - HEADER_HEIGHT }))
    : rows.map((row) => ({ row, top: undefined }));
  const rendered = items.some((item) => item.row?.node.span.id === selectedId);

  // A keyboard move scrolls its row into view; a click has it in view already.
  const scrollWanted = useRef(false);
  useEffect(() => {
    if (!scrollWanted.current || virtual) return;
    scrollWanted.current = false;
    if (selectedId) document.getElementById(rowDomId(selectedId))?.scrollIntoView?.({ block: 'nearest' });
  }, [selectedId, virtual]);

  // A search that starts, changes or ends brings the selected row into view: clearing it keeps the user's place.
  const searched = useRef(matches);
  useEffect(() => {
    if (searched.current === matches) return;
    searched.current = matches;
    const at = rows.findIndex((row) => row.node.span.id === selectedId);
    if (at < 0 || !selectedId) return;
    if (virtual) virtualizer.scrollToIndex(at, { align: 'center' });
    else document.getElementById(rowDomId(selectedId))?.scrollIntoView?.({ block: 'nearest' });
  }, [matches, rows, selectedId, virtual, virtualizer]);

  const moveTo = (next: number) => {
    const row = rows[next];
    if (!row) return;
    if (virtual) virtualizer.scrollToIndex(next, { align: 'auto' });
    else scrollWanted.current = true;
    onSelect(row.node.span.id);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLUListElement>) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const action = treeKeyAction(event.key, rows, index);
    if (!action) return;
    event.preventDefault();
    if ('move' in action) moveTo(action.move);
    else if ('toggle' in action) onToggle(action.toggle, action.open);
  };

  return (
    <div className="span-timeline">
      <div className="row timeline-head">
        <input
          type="search"
          data-search
          className="span-search"
          aria-label="Find spans"
          placeholder="Find spans…"
          value={query}
          onChange={(event) => onQuery(event.target.value)}
        />
        <span className="muted small" role="status">
          {matches ? `${matches.size} of ${spans.length} spans` : ''}
        </span>
        <Legend spans={spans} />
      </div>
      <div className="timeline-grid" ref={scroller}>
        <div className="timeline-header" aria-hidden="true">
          <span className="span-label muted small">Span</span>
          <Axis ticks={ticks} axisRef={axis} />
        </div>
        <div className="timeline-body">
          <GridLines ticks={ticks} />
          <ul
            role="tree"
            aria-label="Spans"
            className="span-tree"
            tabIndex={0}
            aria-activedescendant={rendered && selectedId ? rowDomId(selectedId) : undefined}
            onKeyDown={onKeyDown}
            style={virtual ? { position: 'relative', height: virtualizer.getTotalSize() } : undefined}
          >
            {items.map(
              ({ row, top }) =>
                row && (
                  <SpanRowView
                    key={row.node.span.id}
                    row={row}
                    range={range}
                    selected={row.node.span.id === selectedId}
                    errorInside={!row.expanded && failing.has(row.node.span.id)}
                    match={matches?.has(row.node.span.id) ?? false}
                    assessments={assessedSpans.get(row.node.span.id) ?? 0}
                    top={top}
                    onSelect={onSelect}
                    onToggle={onToggle}
                  />
                ),
            )}
          </ul>
        </div>
      </div>
    </div>
  );
};
