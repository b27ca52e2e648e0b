import { Hono } from 'hono';
import type { WebhookDeps } from '../../../shared/domain/webhooks/ports.js';
import * as hooks from '../../../shared/domain/webhooks/use-cases.js';
import { webhookTestResultToJson, webhookToJson } from '../../../shared/http/webhook-serializers.js';
import * as S from '../../../shared/schemas/webhooks.js';
import { rpc } from '../rpc.js';

/**
 * MLflow 3's webhook RPCs (mlflow/protos/webhooks.proto), to be mounted under `/api/2.0/mlflow` and
 * `/ajax-api/2.0/mlflow` like the other routes: `app.route('/api/2.0/mlflow', webhookRoutes(deps))`.
 */
export const webhookRoutes = (deps: WebhookDeps) =>
  new Hono()
    .post(
      '/webhooks',
      rpc(S.CreateWebhookRequest, async (input) => ({
        webhook: webhookToJson(await hooks.createWebhook(deps, input)),
      })),
    )
    .get(
      '/webhooks',
      rpc(S.ListWebhooksRequest, async (input) => {
        const page = await hooks.listWebhooks(deps, input.max_results, input.page_token);
        return {
          ...(page.webhooks.length > 0 ? { webhooks: page.webhooks.map(webhookToJson) } : {}),
          ...(page.nextPageToken ? { next_page_token: page.nextPageToken } : {}),
        };
      }),
    )
    .get(
      '/webhooks/:webhook_id',
      rpc(S.WebhookIdRequest, async (input) => ({ webhook: webhookToJson(await hooks.getWebhook(deps, input.webhook_id)) })),
    )
    .patch(
      '/webhooks/:webhook_id',
      rpc(S.UpdateWebhookRequest, async ({ webhook_id, ...changes }) => ({
        webhook: webhookToJson(await hooks.updateWebhook(deps, webhook_id, changes)),
      })),
    )
    .delete(
      '/webhooks/:webhook_id',
      rpc(S.WebhookIdRequest, async (input) => (await hooks.deleteWebhook(deps, input.webhook_id), {})),
    )
    .post(
      '/webhooks/:webhook_id/test',
      rpc(S.TestWebhookRequest, async (input) => ({
        result: webhookTestResultToJson(await hooks.testWebhook(deps, input.webhook_id, input.event)),
      })),
    );
