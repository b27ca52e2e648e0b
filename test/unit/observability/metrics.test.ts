import { describe, expect, it } from 'vitest';
import { withRequestMetrics } from '../../../shared/observability/metrics.js';

/** Records what the wrapper adds and publishes, in place of Powertools' EMF output. */
const recorder = () => {
  const added: string[] = [];
  let published = 0;
  const metrics = {
    addMetric: (name: string) => void added.push(name),
    publishStoredMetrics: () => void (published += 1),
  };
  return { metrics: metrics as never, added, published: () => published };
};

describe('request metrics', () => {
  it('counts answers by outcome and publishes after every invocation', async () => {
    // Prepare
    const { metrics, added, published } = recorder();
    const statuses = [200, 404, 503];
    const handler = withRequestMetrics(async (status: number) => ({ statusCode: status }), metrics);

    // Act
    for (const status of statuses) await handler(status, {});

    // Assess
    expect(added).toEqual(['Successes', 'ClientErrors', 'ServerErrors']);
    expect(published()).toBe(3);
  });

  it('counts a thrown error as a server error and rethrows it', async () => {
    // Prepare
    const { metrics, added } = recorder();
    const handler = withRequestMetrics(async () => {
      throw new Error('boom');
    }, metrics);

    // Act & Assess
    await expect(handler(undefined, {})).rejects.toThrow('boom');
    expect(added).toEqual(['ServerErrors']);
  });
});
