import type { DynamoDBStreamEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { DispatchSummary } from '../../../shared/domain/webhooks/dispatcher.js';
import { createScheduledDispatch, createStreamDispatch, isRegistryEventRecord } from '../../../functions/webhooks/lambda-dispatch.js';
import { fixtureEvent } from '../../support/fakes/auth.js';

const registryBatch = () => fixtureEvent<DynamoDBStreamEvent>('dynamodb-stream-registry-events');
const runBatch = () => fixtureEvent<DynamoDBStreamEvent>('dynamodb-stream-run-writes');

/** The newest event of the registry fixture and the sequence number of its first registry event record. */
const NEWEST = '001767608100456#3f0c6a52-8d1e-4b7a-9c2d-5e4f3a2b1c0d#0000000008';
const FIRST_EVENT_SEQUENCE = '4421584600000000017450439092';

/** A dispatcher whose runs answer the given results in turn (an Error is thrown). */
const fakeDispatcher = (...results: (Partial<DispatchSummary> | Error)[]) => {
  const dispatcher = {
    runs: 0,
    async runOnce(): Promise<DispatchSummary> {
      const result = results[Math.min(dispatcher.runs, results.length - 1)];
      dispatcher.runs += 1;
      if (result instanceof Error) throw result;
      return { events: 0, delivered: 0, stalled: false, ...result };
    },
  };
  return dispatcher;
};

const options = (errors: unknown[] = []) => ({ logError: (e: unknown) => errors.push(e), sleep: async () => undefined });

describe('webhook dispatch from the table stream', () => {
  it('picks out registry event items by their NEW_IMAGE entity type', async () => {
    // Act
    const picked = (await registryBatch()).Records.filter(isRegistryEventRecord).map((r) => r.dynamodb?.SequenceNumber);

    // Assess
    expect(picked).toEqual([FIRST_EVENT_SEQUENCE, '4421584900000000017450439095']);
  });

  it('acknowledges a batch without registry events and does not run the dispatcher', async () => {
    // Prepare
    const dispatcher = fakeDispatcher({});

    // Act
    const result = await createStreamDispatch(dispatcher, options())(await runBatch());

    // Assess
    expect(result).toEqual({ batchItemFailures: [] });
    expect(dispatcher.runs).toBe(0);
  });

  it('runs the dispatcher once and acknowledges the batch when its cursor passed the newest event', async () => {
    // Prepare
    const dispatcher = fakeDispatcher({ events: 2, delivered: 2, cursor: NEWEST });

    // Act
    const result = await createStreamDispatch(dispatcher, options())(await registryBatch());

    // Assess
    expect(result).toEqual({ batchItemFailures: [] });
    expect(dispatcher.runs).toBe(1);
  });

  it('runs again while the event log (gsi1) has not caught up with the stream', async () => {
    // Prepare
    const dispatcher = fakeDispatcher({ cursor: '001767608100000#older#0000000001' }, { cursor: NEWEST });

    // Act
    const result = await createStreamDispatch(dispatcher, options())(await registryBatch());

    // Assess
    expect(result).toEqual({ batchItemFailures: [] });
    expect(dispatcher.runs).toBe(2);
  });

  it.each([
    ['the run throws', new Error('ProvisionedThroughputExceededException')],
    ['the run stalls on an event', { stalled: true, cursor: '001767608100000#older#0000000001' }],
  ])('reports the first registry event record as failed when %s', async (_case, outcome) => {
    // Prepare
    const errors: unknown[] = [];
    const dispatcher = fakeDispatcher(outcome);

    // Act
    const result = await createStreamDispatch(dispatcher, options(errors))(await registryBatch());

    // Assess: Lambda retries from that sequence number; the metric write before it is acknowledged
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: FIRST_EVENT_SEQUENCE }] });
    expect(dispatcher.runs).toBe(1);
    expect(errors).toHaveLength(outcome instanceof Error ? 1 : 0);
  });

  it('reports failure after its catch-up runs when the cursor never reaches the batch', async () => {
    // Prepare
    const errors: unknown[] = [];
    const dispatcher = fakeDispatcher({});

    // Act
    const result = await createStreamDispatch(dispatcher, { ...options(errors), catchUpAttempts: 3 })(await registryBatch());

    // Assess
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: FIRST_EVENT_SEQUENCE }] });
    expect(dispatcher.runs).toBe(3);
    expect(String(errors[0])).toContain(NEWEST);
  });
});

describe('scheduled webhook dispatch', () => {
  it('answers the run summary', async () => {
    // Act & Assess
    await expect(createScheduledDispatch(fakeDispatcher({ events: 3, delivered: 1 }))()).resolves.toMatchObject({ events: 3 });
  });

  it('fails the invocation when the run throws or stalls, so it shows in the Errors metric', async () => {
    // Act & Assess
    await expect(createScheduledDispatch(fakeDispatcher(new Error('boom')))()).rejects.toThrow('boom');
    await expect(createScheduledDispatch(fakeDispatcher({ stalled: true }))()).rejects.toThrow(/stalled/);
  });
});
