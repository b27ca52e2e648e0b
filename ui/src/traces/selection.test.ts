import { describe, expect, it } from 'vitest';
import { selectionAfterSearch, shownSelection } from './selection';
import { buildTree, searchSpans, visibleRows } from './spans';
import type { Span } from './types';

const span = (id: string, parentId: string | undefined, startMs: number): Span => ({
  id,
  parentId,
  name: id,
  type: 'UNKNOWN',
  status: 'OK',
  statusMessage: undefined,
  startMs,
  endMs: startMs + 1,
  inputs: undefined,
  outputs: undefined,
  attributes: {},
  events: [],
});

/** An agent loop as in the e2e test: root, two steps, each with act and parse. */
const SPANS = [
  span('root', undefined, 0),
  span('step_1', 'root', 1),
  span('act_1', 'step_1', 2),
  span('parse_1', 'step_1', 3),
  span('step_2', 'root', 4),
  span('act_2', 'step_2', 5),
  span('parse_2', 'step_2', 6),
];
const ROOTS = buildTree(SPANS);
const parentOf = (id: string) => SPANS.find((s) => s.id === id)?.parentId;

/** The tree's rows and the search's matches for a query, folding `collapsed`. */
const tree = (query: string, collapsed: string[] = []) => {
  const found = searchSpans(SPANS, query);
  return { rows: visibleRows(ROOTS, new Set(collapsed), found?.shown), matches: found?.matches };
};

describe('selectionAfterSearch', () => {
  it('moves a selection the search does not match to its first match in tree order', () => {
    const { rows, matches } = tree('act');
    expect(selectionAfterSearch('parse_2', rows, matches)).toBe('act_1');
    // The root is still shown (as the path to each match) but does not match: the search still moves on.
    expect(selectionAfterSearch('root', rows, matches)).toBe('act_1');
  });

  it('keeps a selection the search matches, so refining a search does not jump', () => {
    const { rows, matches } = tree('act');
    expect(selectionAfterSearch('act_2', rows, matches)).toBeUndefined();
  });

  it('leaves the selection alone when the search finds nothing or is cleared', () => {
    const none = tree('nothing here');
    expect(none.rows).toEqual([]);
    expect(selectionAfterSearch('parse_2', none.rows, none.matches)).toBeUndefined();
    const cleared = tree('');
    expect(selectionAfterSearch('act_1', cleared.rows, cleared.matches)).toBeUndefined();
  });
});

describe('shownSelection', () => {
  it('is the selected span while the tree shows it, a matching one or not', () => {
    expect(shownSelection('parse_2', tree('').rows, undefined, parentOf)).toBe('parse_2');
    const { rows, matches } = tree('act_2');
    // step_2 is on the path to the match: clicking it selects it.
    expect(shownSelection('step_2', rows, matches, parentOf)).toBe('step_2');
  });

  it('never a span the search hides: the first match instead', () => {
    const { rows, matches } = tree('act_2');
    expect(shownSelection('parse_1', rows, matches, parentOf)).toBe('act_2');
  });

  it('never a span a folded branch hides: the branch instead', () => {
    expect(shownSelection('parse_2', tree('', ['step_2']).rows, undefined, parentOf)).toBe('step_2');
    expect(shownSelection('parse_2', tree('', ['root']).rows, undefined, parentOf)).toBe('root');
  });

  it('none when the search finds nothing; the first row for an unknown span', () => {
    const none = tree('nothing here');
    expect(shownSelection('parse_2', none.rows, none.matches, parentOf)).toBeUndefined();
    expect(shownSelection(undefined, tree('').rows, undefined, parentOf)).toBe('root');
  });

  it('stops at a parent cycle', () => {
    const cyclic = (id: string) => ({ a: 'b', b: 'a' })[id];
    expect(shownSelection('a', tree('').rows, undefined, cyclic)).toBe('root');
  });
});
