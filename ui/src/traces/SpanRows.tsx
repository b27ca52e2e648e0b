import { memo, type Ref } from 'react';
import type { AxisTick } from './axis';
import { formatSpanDuration } from './format';
import { barOf, type SpanRow, type TimeRange } from './spans';
import { typeClass, typeLabel } from './span-types';
import type { Span } from './types';

/** The span types present, for the legend: people read the colors before the names. */
export const Legend = ({ spans }: { spans: readonly Span[] }) => {
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

/** The time axis above the bars; `axisRef` lets the timeline measure its width to space the ticks. */
export const Axis = ({ ticks, axisRef }: { ticks: readonly AxisTick[]; axisRef: Ref<HTMLDivElement> }) => (
  <div className="timeline-axis" aria-hidden="true" ref={axisRef}>
    {ticks.map((tick) => (
      <span key={tick.ms} className={`tick${tick.align === 'end' ? ' end' : ''}`} style={{ left: `${tick.at * 100}%` }}>
        {tick.label}
      </span>
    ))}
  </div>
);

/** Vertical lines at the axis ticks, behind every row's bar (one layer, not one per row). */
export const GridLines = ({ ticks }: { ticks: readonly AxisTick[] }) => (
  <div className="timeline-lines" aria-hidden="true">
    <span />
    <span className="lines-track">
      {ticks.map((tick) => (
        <span key={tick.ms} className="line" style={{ left: `${tick.at * 100}%` }} />
      ))}
    </span>
  </div>
);

export const rowDomId = (spanId: string) => `span-${spanId}`;

/** One span: its place in the tree on the left, its bar on the timeline on the right. Memoized: moving the selection re-renders two rows. */
export const SpanRowView = memo(function SpanRowView({
  row,
  range,
  selected,
  errorInside,
  match,
  assessments,
  top,
  onSelect,
  onToggle,
}: {
  row: SpanRow;
  range: TimeRange;
  selected: boolean;
  /** A collapsed span hides a failed descendant: say so on the row. */
  errorInside: boolean;
  /** Found by the span search. */
  match: boolean;
  /** How many current assessments were given on this span. */
  assessments: number;
  /** Its offset in a virtualized list; undefined when every row is rendered in flow. */
  top: number | undefined;
  onSelect: (id: string) => void;
  onToggle: (id: string) => void;
}) {
  const { span, children } = row.node;
  const bar = barOf(span, range);
  const duration = span.endMs === undefined ? undefined : span.endMs - span.startMs;
  const open = span.endMs === undefined;
  return (
    <li
      role="treeitem"
      id={rowDomId(span.id)}
      data-span-id={span.id}
      aria-level={row.depth + 1}
      aria-posinset={row.position}
      aria-setsize={row.siblings}
      aria-expanded={children.length > 0 ? row.expanded : undefined}
      aria-selected={selected}
      className={`span-row${selected ? ' selected' : ''}${span.status === 'ERROR' ? ' error' : ''}${match ? ' match' : ''}`}
      style={top === undefined ? undefined : { position: 'absolute', left: 0, right: 0, top: 0, transform: `translateY(${top}px)` }}
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
        {assessments > 0 && (
          <span className="span-assessed" title={`${assessments} assessment${assessments > 1 ? 's' : ''} on this span`}>
            ◆ {assessments}
          </span>
        )}
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
});
