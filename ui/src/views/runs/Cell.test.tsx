import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render } from '@testing-library/react';
import type { Run } from '../../api/types';
import { Cell } from './Cell';
import { ATTRIBUTE_COLUMNS, keyColumn, type ColumnDef, type ResolvedColumn } from './column-model';
import type { DisplayRow } from './rows';

const LONG_LR = '0.014285714285714287';
const LONG_NAME = 'resnet50-imagenet-finetune-with-a-very-long-descriptive-run-name';

const run: Run = {
  info: { run_id: 'r1', run_name: LONG_NAME, experiment_id: '1', status: 'FINISHED', lifecycle_stage: 'active' },
  data: {
    params: [{ key: 'lr', value: LONG_LR }],
    metrics: [{ key: 'loss', value: 0.054123456789, timestamp: 1 }],
  },
};
const row: DisplayRow = { run, depth: 0, childCount: 0, expanded: false };
const resolved = (column: ColumnDef): ResolvedColumn => ({ ...column, width: 110, pinned: false, agg: 'last' });
const nameColumn = ATTRIBUTE_COLUMNS.find((c) => c.id === 'attributes.run_name')!;

const renderCell = (column: ColumnDef) =>
  render(<Cell row={row} column={resolved(column)} colIndex={2} style={{ position: 'absolute', left: 0, width: 110 }} onToggleExpand={() => undefined} />)
    .getByRole('gridcell');

/**
 * jsdom loads no stylesheet (vitest empties CSS imports), so this checks the markup's clipping box by its
 * class; test/e2e/ui.test.ts checks in Chromium that the class does clip with an ellipsis.
 */
const clippingBox = (cell: HTMLElement, selector = ':scope > .cell-text') => {
  const boxes = cell.querySelectorAll(selector);
  expect(boxes).toHaveLength(1);
  return boxes[0]!;
};

describe('<Cell> of the runs table', () => {
  afterEach(cleanup);

  it('cuts a long param to one line with an ellipsis and gives the whole value in its title', () => {
    const cell = renderCell(keyColumn('param', 'lr'));
    expect(cell.getAttribute('title')).toBe(LONG_LR);
    expect(clippingBox(cell).textContent).toBe(LONG_LR);
    expect(cell.textContent).toBe(LONG_LR);
  });

  it('shows a metric as before, right-aligned, with the unrounded number in its title', () => {
    const cell = renderCell(keyColumn('metric', 'loss'));
    expect(cell.textContent).toBe('0.0541235');
    expect(cell.getAttribute('title')).toBe('0.054123456789');
    expect(cell.classList.contains('kind-metric')).toBe(true);
    expect(clippingBox(cell).textContent).toBe('0.0541235');
  });

  it('cuts a long run name with an ellipsis, the name in full in the title', () => {
    const cell = renderCell(nameColumn);
    expect(cell.getAttribute('title')).toBe(LONG_NAME);
    expect(clippingBox(cell, '.name-cell > a').textContent).toBe(LONG_NAME);
  });

  it('keeps several model links in one clipping box, all of them in the title', () => {
    const withModels: Run = { ...run, outputs: { model_outputs: [{ model_id: 'm-aaaaaaaaaaaa' }, { model_id: 'm-bbbbbbbbbbbb' }] } };
    const column = ATTRIBUTE_COLUMNS.find((c) => c.id === 'attributes.models')!;
    const cell = render(
      <Cell row={{ ...row, run: withModels }} column={resolved(column)} colIndex={2} style={{}} onToggleExpand={() => undefined} />,
    ).getByRole('gridcell');
    expect(cell.getAttribute('title')).toBe('m-aaaaaaaaaaaa, m-bbbbbbbbbbbb');
    expect(clippingBox(cell).querySelectorAll('a')).toHaveLength(2);
  });

  it('leaves an empty cell without a title', () => {
    const cell = renderCell(keyColumn('param', 'batch_size'));
    expect(cell.hasAttribute('title')).toBe(false);
    expect(cell.textContent).toBe('');
  });
});
