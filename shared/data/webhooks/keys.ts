/**
 * Webhook keys.
 *   WEBHOOK#<webhookId> / WEBHOOK                      a webhook (gsi1: WEBHOOKS / <creation ms, 15 digits>#<webhookId>,
 *                                                       removed on delete, so the listing holds live webhooks only)
 *   WHDEL#<webhookId> / <started ms, 15 digits>#<deliveryId>   one delivery's outcome and attempts
 *   WHEVT#<webhookId> / <eventId>                      marker: this registry event reached a final outcome here
 *   DISPATCH#webhooks / CURSOR                         the dispatcher's position in the registry event log
 */
const pad15 = (ms: number) => String(ms).padStart(15, '0');

export const webhookKey = (webhookId: string) => ({ pk: `WEBHOOK#${webhookId}`, sk: 'WEBHOOK' }) as const;
export const WEBHOOK_LISTING = 'WEBHOOKS';
export const webhookListingSortKey = (creationMs: number, webhookId: string) => `${pad15(creationMs)}#${webhookId}`;
export const webhookListingKey = (creationMs: number, webhookId: string) =>
  ({ gsi1pk: WEBHOOK_LISTING, gsi1sk: webhookListingSortKey(creationMs, webhookId) }) as const;
/** A listing sort key as page tokens carry it. */
export const WEBHOOK_LISTING_SORT_KEY = /^\d{15}#[\w-]{1,64}$/;

export const deliveryPartition = (webhookId: string) => `WHDEL#${webhookId}`;
export const deliveryKey = (webhookId: string, startedMs: number, deliveryId: string) =>
  ({ pk: deliveryPartition(webhookId), sk: `${pad15(startedMs)}#${deliveryId}` }) as const;

export const deliveryMarkerKey = (webhookId: string, eventId: string) => ({ pk: `WHEVT#${webhookId}`, sk: eventId }) as const;

export const dispatchCursorKey = () => ({ pk: 'DISPATCH#webhooks', sk: 'CURSOR' }) as const;
