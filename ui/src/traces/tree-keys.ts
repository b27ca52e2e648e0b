import type { SpanRow } from './spans';

export type TreeKeyAction = { move: number } | { toggle: string; open: boolean } | { none: true };

/**
 * What a key does in the span tree (WAI-ARIA's tree pattern, plus j/k as in every Cairn list): arrows and j/k
 * move, Home/End jump, Right opens a closed branch or enters an open one, Left closes an open branch or goes to
 * the parent. Undefined for keys the tree leaves alone.
 */
export const treeKeyAction = (key: string, rows: readonly SpanRow[], index: number): TreeKeyAction | undefined => {
  const row = rows[index];
  if (!row) return undefined;
  const { span, children } = row.node;
  switch (key) {
    case 'ArrowDown':
    case 'j':
      return { move: Math.min(rows.length - 1, index + 1) };
    case 'ArrowUp':
    case 'k':
      return { move: Math.max(0, index - 1) };
    case 'Home':
      return { move: 0 };
    case 'End':
      return { move: rows.length - 1 };
    case 'ArrowRight':
      if (children.length === 0) return { none: true };
      return row.expanded ? { move: index + 1 } : { toggle: span.id, open: true };
    case 'ArrowLeft': {
      if (children.length > 0 && row.expanded) return { toggle: span.id, open: false };
      // The parent is the nearest row above with a smaller depth.
      for (let i = index - 1; i >= 0; i--) if ((rows[i]?.depth ?? 0) < row.depth) return { move: i };
      return { none: true };
    }
    default:
      return undefined;
  }
};
