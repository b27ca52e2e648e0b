import { ProvisionedThroughputExceededException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { translateDynamoError } from '../../../shared/data/dynamo-errors.js';
import { MlflowError } from '../../../shared/errors/index.js';

// Throttling cannot be provoked in the local engines, so these errors are built by hand.
describe('DynamoDB error translation', () => {
  it('turns throttling that outlived the SDK retries into a 503 the MLflow client retries', () => {
    // Prepare
    const throttled = new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} });

    // Act
    const translated = translateDynamoError(throttled);

    // Assess
    expect(MlflowError.is(translated, 'TEMPORARILY_UNAVAILABLE')).toBe(true);
    expect((translated as MlflowError).httpStatus).toBe(503);
    expect((translated as MlflowError).cause).toBe(throttled);
  });

  it('turns a transaction cancelled by throttling into a 503', () => {
    // Prepare
    const cancelled = new TransactionCanceledException({
      message: 'cancelled',
      $metadata: {},
      CancellationReasons: [{ Code: 'None' }, { Code: 'ThrottlingError' }],
    });

    // Act & Assess
    expect(MlflowError.is(translateDynamoError(cancelled), 'TEMPORARILY_UNAVAILABLE')).toBe(true);
  });

  it('returns other errors unchanged', () => {
    // Prepare
    const other = new Error('boom');

    // Act & Assess
    expect(translateDynamoError(other)).toBe(other);
  });
});
