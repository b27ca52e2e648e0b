import { describe, expect, it } from 'vitest';
import { parseTraceOrderBy, readPosition } from '../../../../../shared/domain/genai/trace-search/index.js';
import { aTrace, mlflowFixture, search, viewsOf } from './builders.js';

describe('trace order_by (MLflow test_search_traces_order_by)', () => {
  it.each([
    { orderBy: [], expected: ['tr-4', 'tr-3', 'tr-2', 'tr-1', 'tr-0'] },
    { orderBy: ['timestamp'], expected: ['tr-0', 'tr-1', 'tr-2', 'tr-3', 'tr-4'] },
    { orderBy: ['timestamp DESC'], expected: ['tr-4', 'tr-3', 'tr-2', 'tr-1', 'tr-0'] },
    { orderBy: ['execution_time DESC', 'timestamp ASC'], expected: ['tr-3', 'tr-4', 'tr-0', 'tr-2', 'tr-1'] },
    { orderBy: ['experiment_id'], expected: ['tr-4', 'tr-3', 'tr-2', 'tr-1', 'tr-0'] },
    { orderBy: ['status'], expected: ['tr-1', 'tr-4', 'tr-3', 'tr-0', 'tr-2'] },
    { orderBy: ['name'], expected: ['tr-1', 'tr-2', 'tr-3', 'tr-4', 'tr-0'] },
    { orderBy: ['tag.fruit'], expected: ['tr-2', 'tr-1', 'tr-3', 'tr-4', 'tr-0'] },
    { orderBy: ['tag.fruit', 'tag.color'], expected: ['tr-2', 'tr-1', 'tr-3', 'tr-4', 'tr-0'] },
    { orderBy: ['tag.nonexistent'], expected: ['tr-4', 'tr-3', 'tr-2', 'tr-1', 'tr-0'] },
    { orderBy: ['run_id'], expected: ['tr-0', 'tr-1', 'tr-4', 'tr-3', 'tr-2'] },
    { orderBy: ['tag.fruit DESC'], expected: ['tr-3', 'tr-2', 'tr-1', 'tr-4', 'tr-0'] },
    { orderBy: ['request_time ASC'], expected: ['tr-0', 'tr-1', 'tr-2', 'tr-3', 'tr-4'] },
    { orderBy: ['trace.`execution_time_ms` DESC'], expected: ['tr-4', 'tr-3', 'tr-0', 'tr-2', 'tr-1'] },
  ])('$orderBy orders $expected', ({ orderBy, expected }) => {
    // Prepare
    const views = viewsOf(mlflowFixture());

    // Act
    const ids = search(views, undefined, orderBy);

    // Assess
    expect(ids).toEqual(expected);
  });

  it('ties on time go by trace id ascending (test_search_traces_pagination_tie_breaker)', () => {
    // Prepare
    const ids = ['tr-3', 'tr-0', 'tr-9', 'tr-1', 'tr-6', 'tr-4', 'tr-8', 'tr-2', 'tr-7', 'tr-5'];
    const views = viewsOf(ids.map((id) => aTrace({ id, time: Number(id.slice(3)) >= 5 ? 1 : 0 })));

    // Act
    const ordered = search(views);

    // Assess
    expect(ordered).toEqual(['tr-5', 'tr-6', 'tr-7', 'tr-8', 'tr-9', 'tr-0', 'tr-1', 'tr-2', 'tr-3', 'tr-4']);
  });

  it('an order led by the request time says in which direction to read; others do not', () => {
    // Prepare
    const orders = [[], ['timestamp_ms ASC'], ['timestamp DESC', 'name'], ['name', 'timestamp']];

    // Act
    const directions = orders.map((o) => parseTraceOrderBy(o).byTime);

    // Assess
    expect(directions).toEqual(['descending', 'ascending', 'descending', undefined]);
  });

  it('a page position is a tuple of scalars as long as the order, anything else is not one', () => {
    // Prepare
    const order = parseTraceOrderBy(['name']);
    const read = readPosition(order);

    // Act
    const positions = [read(['aaa', 5, 'tr-1']), read([null, 5, 'tr-1']), read(['aaa', 5]), read(['aaa', {}, 'tr-1']), read('x')];

    // Assess
    expect(positions).toEqual([['aaa', 5, 'tr-1'], [null, 5, 'tr-1'], undefined, undefined, undefined]);
  });
});
