import type { Run } from '../../api/types';
import { PARENT_TAG, tagValue } from '../../api/types';

export interface DisplayRow {
  run: Run;
  depth: number;
  childCount: number;
  expanded: boolean;
}

/**
 * Nests child runs (tag `mlflow.parentRunId`) under their parent when the parent is loaded; children of
 * collapsed parents are left out. Runs keep the server's order within each level.
 */
export const buildRows = (runs: readonly Run[], expanded: ReadonlySet<string>): DisplayRow[] => {
  const loaded = new Set(runs.map((r) => r.info.run_id));
  const children = new Map<string, Run[]>();
  const roots: Run[] = [];
  for (const run of runs) {
    const parent = tagValue(run.data.tags, PARENT_TAG);
    if (parent && parent !== run.info.run_id && loaded.has(parent)) {
      const list = children.get(parent) ?? [];
      list.push(run);
      children.set(parent, list);
    } else roots.push(run);
  }
  const rows: DisplayRow[] = [];
  const visit = (run: Run, depth: number, path: Set<string>) => {
    const id = run.info.run_id;
    const kids = children.get(id) ?? [];
    const open = expanded.has(id);
    rows.push({ run, depth, childCount: kids.length, expanded: open });
    if (!open || path.has(id)) return;
    const next = new Set(path).add(id);
    for (const kid of kids) visit(kid, depth + 1, next);
  };
  for (const run of roots) visit(run, 0, new Set());
  return rows;
};

/** The ids between two rows, both included: what a shift-click selects. */
export const rangeIds = (rows: readonly DisplayRow[], from: number, to: number): string[] => {
  const [start, end] = from <= to ? [from, to] : [to, from];
  return rows.slice(Math.max(0, start), end + 1).map((row) => row.run.info.run_id);
};
