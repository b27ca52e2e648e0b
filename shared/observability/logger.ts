import { Logger } from '@aws-lambda-powertools/logger';

/**
 * Structured JSON logs for the Lambdas (CloudWatch Logs Insights can filter on `level`, `service`, `error`).
 * POWERTOOLS_SERVICE_NAME and POWERTOOLS_LOG_LEVEL, when set, override these defaults. Local mode keeps its
 * plain console output and never builds one.
 */
export const createLogger = (serviceName: string): Logger => new Logger({ serviceName });

/**
 * The `logError` callback of createApi and the webhook dispatcher: Powertools formats an Error (name, message,
 * stack, cause); anything else thrown is logged as its string form rather than lost.
 */
export const errorLogger =
  (logger: Logger, message: string) =>
  (error: unknown): void => {
    if (error instanceof Error) logger.error(message, error);
    else logger.error(message, { error: String(error) });
  };
