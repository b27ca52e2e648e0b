import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

/**
 * Request counts by outcome, as CloudWatch metrics (Powertools' embedded metric format, written with the
 * logs, so no API call per request): what the 5xx and 4xx alarms and dashboards read per function.
 * Namespace and service come from POWERTOOLS_METRICS_NAMESPACE and POWERTOOLS_SERVICE_NAME.
 */
export const withRequestMetrics = <E, C, R extends { statusCode?: number }>(
  handler: (event: E, context: C) => Promise<R>,
  metrics = new Metrics({ defaultDimensions: {} }),
) =>
  async (event: E, context: C): Promise<R> => {
    try {
      const result = await handler(event, context);
      const status = result.statusCode ?? 200;
      metrics.addMetric(status >= 500 ? 'ServerErrors' : status >= 400 ? 'ClientErrors' : 'Successes', MetricUnit.Count, 1);
      return result;
    } catch (error) {
      metrics.addMetric('ServerErrors', MetricUnit.Count, 1);
      throw error;
    } finally {
      metrics.publishStoredMetrics();
    }
  };
