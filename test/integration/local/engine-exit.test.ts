import { describe, expect, it } from 'vitest';
import { resolveDynoxideBinary, startDynamoEngine } from '../../../shared/local/dynamodb-engine.js';

const waitFor = async (condition: () => boolean, timeoutMs = 10_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
};

describe.runIf(resolveDynoxideBinary() !== undefined)('local engine exit report (dynoxide)', () => {
  it('says when the engine is killed from outside, with the signal, instead of leaving only ECONNREFUSED', async () => {
    // Prepare
    const messages: string[] = [];
    const engine = await startDynamoEngine({ kind: 'dynoxide', onUnexpectedExit: (message) => messages.push(message) });

    // Act
    process.kill(engine.pid!, 'SIGKILL');
    await waitFor(() => messages.length > 0);
    await engine.stop();

    // Assess
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain('dynoxide');
    expect(messages[0]).toContain('signal SIGKILL');
    expect(messages[0]).toContain(engine.endpoint);
  });

  it('says nothing when stopped by its owner', async () => {
    // Prepare
    const messages: string[] = [];
    const engine = await startDynamoEngine({ kind: 'dynoxide', onUnexpectedExit: (message) => messages.push(message) });

    // Act
    await engine.stop();
    await new Promise((resolve) => setTimeout(resolve, 100));

    // Assess
    expect(messages).toEqual([]);
  });
});
