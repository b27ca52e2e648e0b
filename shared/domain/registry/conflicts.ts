import { cancellationCodes, isTransactionCanceled } from '../../data/dynamo-errors.js';

/**
 * True when a registry transaction was cancelled by the condition of its item at `index` (the model item is
 * 0, then the change's own writes in order): e.g. a name guard that is taken.
 */
export const isCancelledBy = (error: unknown, index: number): boolean =>
  isTransactionCanceled(error) && cancellationCodes(error)[index] === 'ConditionalCheckFailed';
