import { describe, expect, it } from 'vitest';
import { createSnapshotMemory, defaultSnapshotMemoryBytes } from '../../../shared/data/snapshots/memory-budget.js';

describe('the search indexes’ shared memory budget', () => {
  it('drops the least recently searched holdings of any index until the total fits, never the one searched', () => {
    // Prepare
    const memory = createSnapshotMemory(1000);
    const dropped: string[] = [];
    const hold = (key: string, bytes: number) => memory.hold(key, bytes, () => dropped.push(key));

    // Act
    hold('run/1', 400);
    hold('trace/1', 400);
    hold('run/1', 400); // searched again: now the most recent
    hold('run/2', 700);
    memory.fit('run/2');

    // Assess: trace/1 went first (least recent), then run/1; run/2 alone stays even though it fits alone
    expect(dropped).toEqual(['trace/1', 'run/1']);
    expect(memory.held()).toBe(700);
  });

  it('keeps the one searched even when it alone is over the budget, and forgets what an index released', () => {
    // Prepare
    const memory = createSnapshotMemory(100);
    const dropped: string[] = [];

    // Act
    memory.hold('run/big', 500, () => dropped.push('run/big'));
    memory.fit('run/big');
    memory.hold('trace/small', 50, () => dropped.push('trace/small'));
    memory.release('run/big');
    memory.fit('trace/small');

    // Assess
    expect(dropped).toEqual([]);
    expect(memory.held()).toBe(50);
  });

  it('is half a Lambda’s memory in Lambda, 1 GiB elsewhere', () => {
    expect(defaultSnapshotMemoryBytes({ AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '1024' })).toBe(512 * 1024 * 1024);
    expect(defaultSnapshotMemoryBytes({})).toBe(1024 * 1024 * 1024);
  });
});
