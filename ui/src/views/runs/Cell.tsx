import type { CSSProperties } from 'react';
import { hrefFor, runPath } from '../../app/router';
import type { ResolvedColumn } from './column-model';
import { cellText, cellTitle } from './cells';
import type { DisplayRow } from './rows';

export const Cell = ({
  row,
  column,
  style,
  colIndex,
  onToggleExpand,
}: {
  row: DisplayRow;
  column: ResolvedColumn;
  style: CSSProperties;
  colIndex: number;
  onToggleExpand: (runId: string) => void;
}) => {
  const { run } = row;
  const text = cellText(run, column);
  let content: React.ReactNode = text;
  if (column.id === 'attributes.run_name') {
    content = (
      <span className="name-cell" style={{ paddingLeft: row.depth * 16 }}>
        {row.childCount > 0 ? (
          <button
            type="button"
            className="expander"
            aria-expanded={row.expanded}
            aria-label={`${row.expanded ? 'Collapse' : 'Expand'} ${row.childCount} child runs of ${text}`}
            onClick={(event) => {
              event.stopPropagation();
              onToggleExpand(run.info.run_id);
            }}
          >
            {row.expanded ? '▾' : '▸'}
          </button>
        ) : (
          <span className="expander-space" />
        )}
        <a href={hrefFor(runPath(run.info.experiment_id, run.info.run_id))} tabIndex={-1}>
          {text}
        </a>
        {row.childCount > 0 && <span className="child-count muted small"> ({row.childCount})</span>}
      </span>
    );
  } else if (column.id === 'attributes.status') {
    content = <span className={`badge ${run.info.status}`}>{text}</span>;
  } else if (column.id === 'attributes.models') {
    const models = run.outputs?.model_outputs ?? [];
    content = models.map((m, i) => (
      <a key={m.model_id} href={hrefFor(`/experiments/${run.info.experiment_id}/models/${m.model_id}`)} tabIndex={-1}>
        {i > 0 ? ', ' : ''}
        {m.model_id}
      </a>
    ));
  }
  const title = cellTitle(run, column);
  // One line, cut with an ellipsis: the name cell lays out its own parts; every other value sits in one
  // clipping span (a flex container's bare text cannot take an ellipsis). The title gives it in full.
  return (
    <div
      role="gridcell"
      aria-colindex={colIndex}
      className={`td kind-${column.kind}${column.pinned ? ' pinned' : ''}`}
      style={style}
      title={title || undefined}
    >
      {column.id === 'attributes.run_name' ? content : <span className="cell-text">{content}</span>}
    </div>
  );
};
