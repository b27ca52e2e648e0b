import { Hono } from 'hono';
import { z } from 'zod';
import type { TrackingDeps } from '../../../shared/domain/dependencies.js';
import { PAGE_SIZES, pageSizeOf } from '../../../shared/domain/kernel/pagination.js';
import { requireModel } from '../../../shared/domain/registry/registered-models.js';
import type { WebhookDeliveryLog } from '../../../shared/domain/webhooks/ports.js';
import { registeredModelNotFound } from '../../../shared/domain/registry/validation.js';
import { Int32, requiredKey } from '../../../shared/schemas/common.js';
import { WebhookId } from '../../../shared/schemas/webhooks.js';
import { rpc } from '../rpc.js';

/**
 * Cairn's own read APIs, under `/api/2.0/cairn` so they never collide with MLflow's: what the registry
 * recorded for a model (the events webhooks and deployments act on), and what each webhook delivery did.
 */
export const cairnRoutes = (deps: TrackingDeps, deliveries?: WebhookDeliveryLog) => {
  const app = new Hono().get(
    '/registered-models/events',
    rpc(z.object({ name: requiredKey(registeredModelNotFound) }), async (input) => {
      const model = await requireModel(deps, input.name);
      const events = await deps.registryEvents.forModel(model.modelId);
      return {
        events: events.map((e) => ({
          event_id: e.eventId,
          type: e.type,
          position: e.position,
          timestamp: e.timestamp,
          ...(e.version === undefined ? {} : { version: e.version }),
          data: e.data,
        })),
      };
    }),
  );
  if (deliveries) {
    app.get(
      '/webhooks/:webhook_id/deliveries',
      rpc(z.object({ webhook_id: WebhookId, max_results: Int32.optional() }), async (input) => {
        const records = await deliveries.listRecords(input.webhook_id, pageSizeOf(input.max_results, PAGE_SIZES.webhookDeliveries));
        return {
          deliveries: records.map((r) => ({
            delivery_id: r.deliveryId,
            event_id: r.eventId,
            entity: r.entity,
            action: r.action,
            outcome: r.outcome,
            status_code: r.statusCode,
            error: r.error,
            attempts: r.attempts.length,
            started_at: r.startedAt,
            duration_ms: r.durationMs,
          })),
        };
      }),
    );
  }
  return app;
};
