import {
  ConditionalCheckFailedException,
  TransactionCanceledException,
  type CancellationReason,
} from '@aws-sdk/client-dynamodb';
import { invalidParameter, temporarilyUnavailable } from '../errors/index.js';

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

/** DynamoDB's words for an item or key over its limits (400 KB an item, 2048/1024 bytes a key). */
const TOO_LARGE = /item size (to update )?has exceeded|size of (hashkey|rangekey) has exceeded|size of all range keys has exceeded/i;

const isTooLarge = (error: unknown): boolean => {
  if (isTransactionCanceled(error)) return (error.CancellationReasons ?? []).some((r) => TOO_LARGE.test(r.Message ?? ''));
  return error instanceof Error && error.name === 'ValidationException' && TOO_LARGE.test(error.message);
};

/**
 * Throttling that survived the SDK's own retries becomes TEMPORARILY_UNAVAILABLE (503), which the MLflow
 * client retries with backoff; a write over DynamoDB's size limits becomes INVALID_PARAMETER_VALUE. Anything
 * else is returned unchanged for the caller to re-throw.
 */
export const translateDynamoError = (error: unknown): unknown => {
  if (error instanceof Error && THROTTLING.has(error.name)) {
    return temporarilyUnavailable('The tracking store is busy, retry later.', error);
  }
  if (isTransactionCanceled(error) && cancellationCodes(error).some((code) => code === 'ThrottlingError')) {
    return temporarilyUnavailable('The tracking store is busy, retry later.', error);
  }
  // The edge bounds every field; what can still pass is many bounded values on one entity (tags kept
  // inline). DynamoDB refuses the whole write, so nothing changed: the caller's request is what is too large.
  if (isTooLarge(error)) {
    return invalidParameter('The request would make an entity larger than the store can hold (400 KB per item): remove tags or shorten values and retry.');
  }
  return error;
};
