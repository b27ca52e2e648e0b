import { describe, expect, it } from 'vitest';
import { OTLP_SPANS, IDS } from './fixtures';
import { readSpans } from './span-read';
import { buildTree, visibleRows } from './spans';
import { treeKeyAction } from './tree-keys';

// chat_agent > (retrieve, ChatOpenAI > get_weather)
const rows = (collapsed: string[] = []) => visibleRows(buildTree(readSpans(OTLP_SPANS)), new Set(collapsed));

describe('tree keys', () => {
  it('moves with arrows, j/k, Home and End, stopping at the ends', () => {
    const all = rows();
    expect(treeKeyAction('ArrowDown', all, 0)).toEqual({ move: 1 });
    expect(treeKeyAction('j', all, 3)).toEqual({ move: 3 });
    expect(treeKeyAction('k', all, 0)).toEqual({ move: 0 });
    expect(treeKeyAction('ArrowUp', all, 2)).toEqual({ move: 1 });
    expect(treeKeyAction('Home', all, 3)).toEqual({ move: 0 });
    expect(treeKeyAction('End', all, 0)).toEqual({ move: 3 });
  });

  it('opens, enters, closes and goes up as a tree does', () => {
    expect(treeKeyAction('ArrowRight', rows([IDS.llm.hex]), 2)).toEqual({ toggle: IDS.llm.hex, open: true });
    expect(treeKeyAction('ArrowRight', rows(), 2)).toEqual({ move: 3 });
    expect(treeKeyAction('ArrowRight', rows(), 1)).toEqual({ none: true });
    expect(treeKeyAction('ArrowLeft', rows(), 2)).toEqual({ toggle: IDS.llm.hex, open: false });
    expect(treeKeyAction('ArrowLeft', rows(), 3)).toEqual({ move: 2 });
    expect(treeKeyAction('ArrowLeft', rows(), 1)).toEqual({ move: 0 });
    expect(treeKeyAction('ArrowLeft', rows([IDS.root.hex]), 0)).toEqual({ none: true });
  });

  it('leaves other keys alone', () => {
    expect(treeKeyAction('x', rows(), 0)).toBeUndefined();
    expect(treeKeyAction('ArrowDown', [], 0)).toBeUndefined();
  });
});
