import { describe, expect, it } from 'vitest';
import {
  EMPTY_LAYOUT,
  availableColumns,
  loadLayout,
  moveColumn,
  resizeColumn,
  resolveColumns,
  saveLayout,
  setAgg,
  setPinned,
  setVisible,
  stepColumn,
  matchesColumnQuery,
  MAX_WIDTH,
  MIN_WIDTH,
} from './column-model';

const available = availableColumns({ metrics: ['loss', 'acc'], params: ['lr'], tags: ['team', 'mlflow.user'] });
const ids = (layout = EMPTY_LAYOUT) => {
  const { pinned, scrolling } = resolveColumns(available, layout);
  return [...pinned, ...scrolling].map((c) => c.id);
};

describe('the runs table column model', () => {
  it('orders attributes, metrics and params, then the rest; tags start hidden; the run name is pinned', () => {
    expect(ids()).toEqual([
      'attributes.run_name',
      'attributes.start_time',
      'attributes.status',
      'attributes.duration',
      'metrics.acc',
      'metrics.loss',
      'params.lr',
      'attributes.user_id',
      'tags.mlflow.source.name',
      'tags.mlflow.source.git.commit',
    ]);
    expect(resolveColumns(available, EMPTY_LAYOUT).pinned.map((c) => c.id)).toEqual(['attributes.run_name']);
  });

  it('moves a column before another and one step left or right', () => {
    const moved = moveColumn(available, EMPTY_LAYOUT, 'params.lr', 'metrics.acc');
    expect(ids(moved).slice(3, 7)).toEqual(['attributes.duration', 'params.lr', 'metrics.acc', 'metrics.loss']);
    const stepped = stepColumn(available, moved, 'params.lr', 1);
    expect(ids(stepped).slice(4, 6)).toEqual(['metrics.acc', 'params.lr']);
    expect(stepColumn(available, EMPTY_LAYOUT, 'attributes.start_time', -1)).toBe(EMPTY_LAYOUT);
  });

  it('steps over hidden columns', () => {
    const hidden = setVisible(EMPTY_LAYOUT, available.find((c) => c.id === 'metrics.loss')!, false);
    const stepped = stepColumn(available, hidden, 'params.lr', -1);
    expect(ids(stepped).slice(4, 6)).toEqual(['params.lr', 'metrics.acc']);
  });

  it('hides and shows columns against their defaults', () => {
    const team = available.find((c) => c.id === 'tags.team')!;
    const shown = setVisible(EMPTY_LAYOUT, team, true);
    expect(ids(shown)).toContain('tags.team');
    expect(setVisible(shown, team, false).visible).toEqual({});
  });

  it('pins to the left, clamps widths, keeps a metric summary choice', () => {
    const layout = setAgg(resizeColumn(setPinned(EMPTY_LAYOUT, 'metrics.loss', true), 'metrics.loss', 5000), 'metrics.loss', 'min');
    const { pinned } = resolveColumns(available, layout);
    expect(pinned.map((c) => c.id)).toEqual(['attributes.run_name', 'metrics.loss']);
    expect(pinned[1]).toMatchObject({ width: MAX_WIDTH, agg: 'min' });
    expect(resizeColumn(EMPTY_LAYOUT, 'x', 1).widths.x).toBe(MIN_WIDTH);
    expect(setAgg(layout, 'metrics.loss', 'last').agg).toEqual({});
  });

  it('keeps the order of columns that the loaded page lacks', () => {
    const layout = { ...EMPTY_LAYOUT, order: ['params.gone', 'params.lr'] };
    const moved = moveColumn(available, layout, 'metrics.acc', undefined);
    expect(moved.order).toContain('params.gone');
    expect(moved.order.at(-1)).toBe('metrics.acc');
  });

  it('survives a reload through storage, and ignores garbage there', () => {
    const store = new Map<string, string>();
    const storage = { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v) };
    const layout = setPinned(moveColumn(available, EMPTY_LAYOUT, 'params.lr', 'attributes.start_time'), 'params.lr', true);
    saveLayout('7', layout, storage);
    expect(loadLayout('7', storage)).toEqual(layout);
    expect(loadLayout('8', storage)).toEqual(EMPTY_LAYOUT);
    store.set('cairn.runs.columns.9', '{not json');
    expect(loadLayout('9', storage)).toEqual(EMPTY_LAYOUT);
  });

  it('finds columns by every word of a search', () => {
    const loss = available.find((c) => c.id === 'metrics.loss')!;
    expect(matchesColumnQuery(loss, 'metrics LO')).toBe(true);
    expect(matchesColumnQuery(loss, 'params lo')).toBe(false);
  });
});
