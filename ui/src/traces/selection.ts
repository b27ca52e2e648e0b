import type { SpanRow } from './spans';

/**
 * Which span the detail pane shows. The tree can hide the selected span (a search narrows it, a folded branch
 * hides what is below); the pane never shows a span the tree hides, so it always names the highlighted row.
 */

const firstMatch = (rows: readonly SpanRow[], matches: ReadonlySet<string>) => rows.find((row) => matches.has(row.node.span.id))?.node.span.id;

/**
 * The span to select once the search changed to one finding `matches` (undefined: no search). As in MLflow's
 * trace view, a search moves the selection to its first match in tree order, unless the selected span matches
 * too (then it stays, so refining a search does not jump around). Undefined when the search is cleared or finds
 * nothing: the selection stands, and shows again once the search is cleared.
 */
export const selectionAfterSearch = (
  selectedId: string | undefined,
  rows: readonly SpanRow[],
  matches: ReadonlySet<string> | undefined,
): string | undefined => {
  if (!matches || (selectedId !== undefined && matches.has(selectedId))) return undefined;
  return firstMatch(rows, matches);
};

/**
 * The selection as the tree shows it: the span itself when it has a row; during a search, else the first
 * match; else the nearest ancestor with a row (the folded branch it is in); else the first row. Undefined when
 * the tree shows no row (a search that finds nothing).
 */
export const shownSelection = (
  selectedId: string | undefined,
  rows: readonly SpanRow[],
  matches: ReadonlySet<string> | undefined,
  parentOf: (id: string) => string | undefined,
): string | undefined => {
  if (rows.length === 0) return undefined;
  const shown = new Set(rows.map((row) => row.node.span.id));
  if (selectedId !== undefined && shown.has(selectedId)) return selectedId;
  const match = matches && firstMatch(rows, matches);
  if (match !== undefined) return match;
  const seen = new Set<string>(); // a parent cycle ends the walk
  for (let at = selectedId === undefined ? undefined : parentOf(selectedId); at !== undefined && !seen.has(at); at = parentOf(at)) {
    if (shown.has(at)) return at;
    seen.add(at);
  }
  return rows[0]?.node.span.id;
};
