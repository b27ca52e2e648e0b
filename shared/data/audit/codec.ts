import { z } from 'zod';
import type { AuditEntry } from '../../domain/auth/entities.js';
import { entityHeader, parseItem, stamp } from '../codec.js';
import type { Item } from '../dynamo-ops.js';
import { TABLE } from '../table-definition.js';
import { auditEntryKey } from './keys.js';

const ENTITY = 'audit-entry';

/** DynamoDB's TTL deletes an entry some time (up to days) after this; listings stop at the retention by themselves. */
const AUDIT_EXPIRY_ATTRIBUTE = TABLE.timeToLiveAttribute;

/** A request path can be long; an entry stays small whatever it quotes. */
const MAX_TEXT = 2048;
const bounded = (text: string) => (text.length <= MAX_TEXT ? text : `${text.slice(0, MAX_TEXT)}…`);

const AuditItemSchema = z.object({
  ...entityHeader(ENTITY),
  at: z.number(),
  requestId: z.string(),
  username: z.string().optional(),
  principal: z.string(),
  action: z.string(),
  resource: z.string().optional(),
  decision: z.enum(['allowed', 'denied', 'unauthenticated']),
  detail: z.string().optional(),
  [AUDIT_EXPIRY_ATTRIBUTE]: z.number(),
});

export const toAuditItem = (entry: AuditEntry, random: string, retentionDays: number): Item => ({
  ...auditEntryKey(entry.at, entry.requestId, random),
  ...stamp(ENTITY),
  at: entry.at,
  requestId: bounded(entry.requestId),
  ...(entry.username === undefined ? {} : { username: bounded(entry.username) }),
  principal: bounded(entry.principal),
  action: bounded(entry.action),
  ...(entry.resource === undefined ? {} : { resource: bounded(entry.resource) }),
  decision: entry.decision,
  ...(entry.detail === undefined ? {} : { detail: bounded(entry.detail) }),
  [AUDIT_EXPIRY_ATTRIBUTE]: Math.floor(entry.at / 1000) + retentionDays * 86_400,
});

export const fromAuditItem = (item: Item): AuditEntry => {
  const { _et, _v, [AUDIT_EXPIRY_ATTRIBUTE]: _expiresAt, ...entry } = parseItem(AuditItemSchema, item);
  return entry;
};
