import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { formatSpanDuration } from './format';
import { axisTicks, barOf, searchSpans, spansWithFailingDescendants, visibleRows, type SpanNode, type SpanRow, type TimeRange } from './spans';
import type { Span } from './types';

/** Span types with a color of their own (traces.css); any other type is drawn in the neutral color. */
const COLORED_TYPES = new Set(['LLM', 'CHAT_MODEL', 'AGENT', 'TOOL', 'RETRIEVER', 'EMBEDDING', 'RERANKER', 'PARSER', 'CHAIN', 'MEMORY']);

export const typeClass = (type: string) => `type-${COLORED_TYPES.has(type) ? type : 'OTHER'}`;

export const TYPE_LABEL: Record<string, string> = {
  LLM: 'LLM',
  CHAT_MODEL: 'Chat model',
  AGENT: 'Agent',
  TOOL: 'Tool',
  RETRIEVER: 'Retriever',
  EMBEDDING: 'Embedding',
  RERANKER: 'Reranker',
  PARSER: 'Parser',
  CHAIN: 'Chain',
  MEMORY: 'Memory',
  FUNCTION: 'Function',
  UNKNOWN: 'Span',
};

export const typeLabel = (type: string) => TYPE_LABEL[type] ?? type.charAt(0) + type.slice(1).toLowerCase().replace(/_/g, ' ');

/** The span types present, for the legend: people read the colors before the names. */
const Legend = ({ spans }: { spans: readonly Span[] }) => {
  const types = [...new Set(spans.map((span) => span.type))].sort();
  const errors = spans.some((span) => span.status === 'ERROR');
  return (
    <ul className="span-legend small" aria-label="Span types">
      {types.map((type) => (
        <li key={type}>
          <span className={`swatch ${typeClass(type)}`} aria-hidden="true" />
          {typeLabel(type)}
        </li>
      ))}
      {errors && (
        <li>
          <span className="swatch status-ERROR" aria-hidden="true" />
          Error
        </li>
      )}
    </ul>
  );
};

const Axis = ({ range }: { range: TimeRange }) => {
  const total = range.endMs - range.startMs;
  return (
    <div className="timeline-axis" aria-hidden="true">
      {axisTicks(total).map((tick) => (
        <span key={tick} className="tick" style={{ left: `${(tick / total) * 100}%` }}>
          {tick === 0 ? '0' : formatSpanDuration(tick)}
        </span>
      ))}
    </div>
  );
};

/** Vertical lines at the axis ticks, behind every row's bar (one layer, not one per row). */
const GridLines = ({ range }: { range: TimeRange }) => {
  const total = range.endMs - range.startMs;
  return (
    <div className="timeline-lines" aria-hidden="true">
      <span />
      <span className="lines-track">
        {axisTicks(total).map((tick) => (
          <span key={tick} className="line" style={{ left: `${(tick / total) * 100}%` }} />
        ))}
      </span>
    </div>
  );
};

const SpanRowView = ({
  row,
  range,
  selected,
  focusable,
  errorInside,
  match,
  onSelect,
  onToggle,
}: {
  row: SpanRow;
  range: TimeRange;
  selected: boolean;
  focusable: boolean;
  /** A collapsed span hides a failed descendant: say so on the row. */
  errorInside: boolean;
  /** Found by the span search. */
  match: boolean;
  onSelect: (id: string) => void;
  onToggle: (id: string) => void;
}) => {
  const { span, children } = row.node;
  const bar = barOf(span, range);
  const duration = span.endMs === undefined ? undefined : span.endMs - span.startMs;
  const open = span.endMs === undefined;
  return (
    <li
      role="treeitem"
      id={`span-${span.id}`}
      data-span-id={span.id}
      aria-level={row.depth + 1}
      aria-posinset={row.position}
      aria-setsize={row.siblings}
      aria-expanded={children.length > 0 ? row.expanded : undefined}
      aria-selected={selected}
      tabIndex={focusable ? 0 : -1}
      className={`span-row${selected ? ' selected' : ''}${span.status === 'ERROR' ? ' error' : ''}${match ? ' match' : ''}`}
      onClick={() => onSelect(span.id)}
    >
      <span className="span-label" style={{ paddingLeft: row.depth * 14 + 4 }}>
        <span
          className="twisty"
          aria-hidden="true"
          onClick={(event) => {
            if (children.length === 0) return;
            event.stopPropagation();
            onToggle(span.id);
          }}
        >
          {children.length === 0 ? '' : row.expanded ? '▾' : '▸'}
        </span>
        <span className={`swatch ${typeClass(span.type)}`} aria-hidden="true" />
        <span className="span-name" title={span.name}>
          {span.name}
        </span>
        {span.status === 'ERROR' && <span className="span-error-mark">error</span>}
        {errorInside && <span className="span-error-mark">error inside</span>}
        <span className="span-duration mono">{open ? 'running' : formatSpanDuration(duration)}</span>
      </span>
      <span className="span-track" aria-hidden="true">
        <span
          className={`span-bar ${typeClass(span.type)}${span.status === 'ERROR' ? ' status-ERROR' : ''}${open ? ' open' : ''}`}
          style={{ left: `${bar.left * 100}%`, width: `max(2px, ${bar.width * 100}%)` }}
        />
      </span>
    </li>
  );
};

/**
 * The span tree beside its timeline, one row per span: the tree (collapsible, keyboard as WAI-ARIA's tree
 * pattern: arrows, Home/End, j/k) on the left, a Gantt bar by start and end on the right, colored by span type
 * and red for errors. Selection follows focus.
 */
export const SpanTimeline = ({
  roots,
  spans,
  range,
  collapsed,
  selectedId,
  onSelect,
  onToggle,
}: {
  roots: readonly SpanNode[];
  spans: readonly Span[];
  range: TimeRange;
  collapsed: ReadonlySet<string>;
  selectedId: string | undefined;
  onSelect: (id: string) => void;
  onToggle: (id: string, open?: boolean) => void;
}) => {
  const [query, setQuery] = useState('');
  const found = useMemo(() => searchSpans(spans, query), [spans, query]);
  const rows = visibleRows(roots, collapsed, found?.shown);
  const failing = useMemo(() => spansWithFailingDescendants(roots), [roots]);
  const tree = useRef<HTMLUListElement>(null);
  const focusWanted = useRef(false);
  const index = Math.max(0, rows.findIndex((row) => row.node.span.id === selectedId));

  // Keyboard moves keep focus on the newly selected row (a click already has it there).
  useEffect(() => {
    if (!focusWanted.current) return;
    focusWanted.current = false;
    tree.current?.querySelector<HTMLElement>('[role="treeitem"][tabindex="0"]')?.focus();
  }, [selectedId]);

  const moveTo = (next: number) => {
    const row = rows[next];
    if (!row) return;
    focusWanted.current = true;
    onSelect(row.node.span.id);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLUListElement>) => {
    const row = rows[index];
    if (!row || event.altKey || event.ctrlKey || event.metaKey) return;
    const { span, children } = row.node;
    const handled = (() => {
      switch (event.key) {
        case 'ArrowDown':
        case 'j':
          moveTo(Math.min(rows.length - 1, index + 1));
          return true;
        case 'ArrowUp':
        case 'k':
          moveTo(Math.max(0, index - 1));
          return true;
        case 'Home':
          moveTo(0);
          return true;
        case 'End':
          moveTo(rows.length - 1);
          return true;
        case 'ArrowRight':
          if (children.length > 0 && !row.expanded) onToggle(span.id, true);
          else if (children.length > 0) moveTo(index + 1);
          return true;
        case 'ArrowLeft': {
          if (children.length > 0 && row.expanded) {
            onToggle(span.id, false);
            return true;
          }
          const parent = rows.findIndex((r) => r.node.span.id === span.parentId);
          if (parent >= 0) moveTo(parent);
          return true;
        }
        default:
          return false;
      }
    })();
    if (handled) event.preventDefault();
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
          onChange={(event) => setQuery(event.target.value)}
        />
        <span className="muted small" role="status">
          {found ? `${found.matches.size} of ${spans.length} spans` : ''}
        </span>
        <Legend spans={spans} />
      </div>
      <div className="timeline-grid">
        <div className="timeline-header" aria-hidden="true">
          <span className="span-label muted small">Span</span>
          <Axis range={range} />
        </div>
        <div className="timeline-body">
        <GridLines range={range} />
        <ul role="tree" aria-label="Spans" className="span-tree" ref={tree} onKeyDown={onKeyDown}>
          {rows.map((row, i) => (
            <SpanRowView
              key={row.node.span.id}
              row={row}
              range={range}
              selected={row.node.span.id === selectedId}
              focusable={i === index}
              errorInside={!row.expanded && failing.has(row.node.span.id)}
              match={found?.matches.has(row.node.span.id) ?? false}
              onSelect={onSelect}
              onToggle={onToggle}
            />
          ))}
        </ul>
        </div>
      </div>
    </div>
  );
};
