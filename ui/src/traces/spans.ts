import type { Span } from './types';

/** The spans as a tree, the rows the tree shows, the timeline's geometry and the span search. */

export interface SpanNode {
  span: Span;
  children: SpanNode[];
}

const byStart = (a: SpanNode, b: SpanNode) => a.span.startMs - b.span.startMs || a.span.name.localeCompare(b.span.name);

/**
 * The spans as a forest: a span whose parent is missing (not yet arrived, or cut off) is a root, and so is
 * every span of a parent cycle, so a broken trace still shows all its spans. Children run in start order.
 */
export const buildTree = (spans: readonly Span[]): SpanNode[] => {
  const nodes = new Map<string, SpanNode>();
  for (const span of spans) if (!nodes.has(span.id)) nodes.set(span.id, { span, children: [] });
  const roots: SpanNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.span.parentId === undefined ? undefined : nodes.get(node.span.parentId);
    if (parent && parent !== node) parent.children.push(node);
    else roots.push(node);
  }
  const reached = new Set<SpanNode>();
  const walk = (node: SpanNode) => {
    reached.add(node);
    node.children.sort(byStart);
    for (const child of node.children) if (!reached.has(child)) walk(child);
  };
  roots.forEach(walk);
  for (const node of nodes.values()) {
    if (reached.has(node)) continue;
    // A cycle: cut it at this node, which becomes a root.
    const parent = node.span.parentId === undefined ? undefined : nodes.get(node.span.parentId);
    if (parent) parent.children = parent.children.filter((child) => child !== node);
    roots.push(node);
    walk(node);
  }
  return roots.sort(byStart);
};

export interface SpanRow {
  node: SpanNode;
  depth: number;
  expanded: boolean;
  /** 1-based position among its siblings, and their count (for the tree's aria attributes). */
  position: number;
  siblings: number;
}

/**
 * The visible rows of the tree in display order: children of a collapsed span are left out. With `only` (a
 * search), just those spans are shown, all branches open.
 */
export const visibleRows = (roots: readonly SpanNode[], collapsed: ReadonlySet<string>, only?: ReadonlySet<string>): SpanRow[] => {
  const rows: SpanRow[] = [];
  const visit = (all: readonly SpanNode[], depth: number) => {
    const nodes = only ? all.filter((node) => only.has(node.span.id)) : all;
    nodes.forEach((node, index) => {
      const expanded = only !== undefined || !collapsed.has(node.span.id);
      rows.push({ node, depth, expanded, position: index + 1, siblings: nodes.length });
      if (expanded) visit(node.children, depth + 1);
    });
  };
  visit(roots, 0);
  return rows;
};

const searchText = (span: Span): string =>
  [span.name, span.type, JSON.stringify(span.inputs ?? ''), JSON.stringify(span.outputs ?? ''), JSON.stringify(span.attributes)].join('\n').toLowerCase();

/**
 * A search over the spans (name, type, inputs, outputs, attributes; case-insensitive): the spans that match, and
 * those plus their ancestors, which the tree shows so each match keeps its place.
 */
export const searchSpans = (spans: readonly Span[], query: string): { matches: Set<string>; shown: Set<string> } | undefined => {
  const needle = query.trim().toLowerCase();
  if (!needle) return undefined;
  const matches = new Set(spans.filter((span) => searchText(span).includes(needle)).map((span) => span.id));
  const parentOf = new Map(spans.map((span) => [span.id, span.parentId]));
  const shown = new Set<string>();
  for (const id of matches) {
    // Up to the root, or to a span already shown (its ancestors are too); a parent cycle stops there as well.
    for (let at: string | undefined = id; at !== undefined && parentOf.has(at) && !shown.has(at); at = parentOf.get(at)) shown.add(at);
  }
  return { matches, shown };
};

/** Spans with a failed span somewhere below them, to mark them when collapsed. */
export const spansWithFailingDescendants = (roots: readonly SpanNode[]): Set<string> => {
  const out = new Set<string>();
  const visit = (node: SpanNode, seen: Set<SpanNode>): boolean => {
    let failing = false;
    for (const child of node.children) {
      if (seen.has(child)) continue;
      seen.add(child);
      if (visit(child, seen) || child.span.status === 'ERROR') failing = true;
    }
    if (failing) out.add(node.span.id);
    return failing;
  };
  const seen = new Set<SpanNode>();
  roots.forEach((root) => visit(root, seen));
  return out;
};

export interface TimeRange {
  startMs: number;
  endMs: number;
}

/** From the earliest start to the latest end (or start, for spans still open); never empty. */
export const timeRange = (spans: readonly Span[]): TimeRange => {
  if (spans.length === 0) return { startMs: 0, endMs: 1 };
  let startMs = Infinity;
  let endMs = -Infinity;
  for (const span of spans) {
    startMs = Math.min(startMs, span.startMs);
    endMs = Math.max(endMs, span.endMs ?? span.startMs);
  }
  return { startMs, endMs: Math.max(endMs, startMs + 0.001) };
};

/** Where a span's bar sits on the timeline, as fractions of its width; an open span reaches the end. */
export const barOf = (span: Span, range: TimeRange): { left: number; width: number } => {
  const total = range.endMs - range.startMs;
  const left = Math.min(1, Math.max(0, (span.startMs - range.startMs) / total));
  const end = span.endMs ?? range.endMs;
  return { left, width: Math.min(1 - left, Math.max(0, (end - span.startMs) / total)) };
};

/** The ids of a span's ancestors, so selecting a deep span can open the branches above it. */
export const ancestorsOf = (spans: readonly Span[], id: string): string[] => {
  const byId = new Map(spans.map((span) => [span.id, span]));
  const out: string[] = [];
  let current = byId.get(id)?.parentId;
  while (current !== undefined && byId.has(current) && !out.includes(current)) {
    out.push(current);
    current = byId.get(current)?.parentId;
  }
  return out;
};
