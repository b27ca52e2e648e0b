import {
  ConditionalCheckFailedException,
  TransactionCanceledException,
  type CancellationReason,
} from '@aws-sdk/client-dynamodb';
import { temporarilyUnavailable } from '../errors/index.js';

export const isConditionalCheckFailed = (error: unknown): error is ConditionalCheckFailedException =>
  error instanceof ConditionalCheckFailedException ||
  (error instanceof Error && error.name === 'ConditionalCheckFailedException');

export const isTransactionCanceled = (error: unknown): error is TransactionCanceledException =>
  error instanceof TransactionCanceledException ||
  (error instanceof Error && error.name === 'TransactionCanceledException');

/** The cancellation reason codes of a cancelled transaction, by transaction item index. */
export const cancellationCodes = (error: TransactionCanceledException): (string | undefined)[] =>
  (error.CancellationReasons ?? []).map((reason: CancellationReason) => reason.Code);

const THROTTLING = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
]);

/**
 * Throttling that survived the SDK's own retries becomes TEMPORARILY_UNAVAILABLE (503), which the MLflow
 * client retries with backoff. Anything else is returned unchanged for the caller to re-throw.
 */
export const translateDynamoError = (error: unknown): unknown => {
  if (error instanceof Error && THROTTLING.has(error.name)) {
    return temporarilyUnavailable('The tracking store is busy, retry later.', error);
  }
  if (isTransactionCanceled(error) && cancellationCodes(error).some((code) => code === 'ThrottlingError')) {
    return temporarilyUnavailable('The tracking store is busy, retry later.', error);
  }
  return error;
};
