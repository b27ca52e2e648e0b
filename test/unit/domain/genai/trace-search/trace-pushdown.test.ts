import { describe, expect, it } from 'vitest';
import { parseTraceFilter } from '../../../../../shared/domain/genai/trace-search/index.js';

describe('trace filter: what the listing can check in DynamoDB', () => {
  it.each([
    { filter: "tag.env = 'prod'", where: [{ path: ['tags', 'env'], op: '=', value: 'prod' }] },
    { filter: "name LIKE 'agent%'", where: [{ path: ['tags', 'mlflow.traceName'], op: 'begins_with', value: 'agent' }] },
    { filter: "metadata.user LIKE '%bob%'", where: [{ path: ['metadata', 'user'], op: 'contains', value: 'bob' }] },
    { filter: "tag.env LIKE '%prod'", where: [{ path: ['tags', 'env'], op: 'contains', value: 'prod' }] },
    { filter: "tag.env LIKE 'prod'", where: [{ path: ['tags', 'env'], op: '=', value: 'prod' }] },
    { filter: 'execution_time > 50', where: [{ path: ['executionDuration'], op: '>', value: 50 }] },
    { filter: "client_request_id LIKE 'req-%'", where: [{ path: ['clientRequestId'], op: 'begins_with', value: 'req-' }] },
    { filter: "trace_id = 'tr-1'", where: [{ path: ['traceId'], op: '=', value: 'tr-1' }] },
    {
      filter: "run_id = 'r1'",
      where: [{ anyOf: [{ path: ['metadata', 'mlflow.sourceRun'], op: '=', value: 'r1' }, { path: ['linkedRunIds'], op: 'contains', value: 'r1' }] }],
    },
  ])('`$filter` passes down $where', ({ filter, where }) => {
    // Act
    const parsed = parseTraceFilter(filter);

    // Assess
    expect(parsed.where).toEqual(where);
  });

  it.each([
    "tag.env != 'prod'",
    "tag.env ILIKE 'prod%'",
    "tag.env LIKE 'pr_d%'",
    "tag.env LIKE 'p%d'",
    "tag.env LIKE '%'",
    "run_id LIKE 'r%'",
    "request_id IN ('tr-1')",
    'execution_time != 5',
    "span.name = 'x'",
    "feedback.quality = 'good'",
    "trace.text LIKE '%x%'",
  ])('`%s` passes nothing down (DynamoDB could not check it exactly enough)', (filter) => {
    // Act
    const parsed = parseTraceFilter(filter);

    // Assess
    expect(parsed.where).toEqual([]);
  });

  it('leaves to the clauses what DynamoDB would refuse: long names and values, and conditions past eight', () => {
    // Prepare
    const longKey = `tags.\`${'k'.repeat(256)}\` = 'x'`;
    const longValue = `tags.env = '${'v'.repeat(1025)}'`;
    const many = Array.from({ length: 12 }, (_, i) => `tags.t${i} = 'v'`).join(' AND ');

    // Act
    const where = [longKey, longValue, many].map((filter) => parseTraceFilter(filter).where);

    // Assess
    expect(where[0]).toEqual([]);
    expect(where[1]).toEqual([]);
    expect(where[2]).toHaveLength(8);
  });
});
