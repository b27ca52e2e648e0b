/**
 * Audit log keys: one partition per UTC day, entries newest last.
 *   AUDIT#<yyyy-mm-dd> / <at ms, 15 digits>#<request id>#<8 hex>   one entry (TTL attribute `expiresAt`)
 * The random part keeps two entries of one request in one millisecond apart. A listing walks day partitions
 * backwards; a day's partition takes about 1,000 writes per second, far above what refusals and permission
 * changes produce unless a flood of refused requests is under way (then writes are throttled and reported,
 * never failing the request).
 */
const DAY_MS = 86_400_000;
const pad15 = (ms: number) => String(ms).padStart(15, '0');

/** What of a request id goes into a key: its safe characters, bounded (the entry keeps the whole id). */
const requestIdPart = (requestId: string) => requestId.replace(/[^A-Za-z0-9._:-]/g, '_').slice(0, 128);

export const auditDayOf = (atMs: number): string => new Date(atMs).toISOString().slice(0, 10);
export const auditDayBefore = (day: string): string => auditDayOf(Date.parse(`${day}T00:00:00.000Z`) - DAY_MS);

export const auditDayPartition = (day: string) => `AUDIT#${day}`;

export const auditSortKey = (atMs: number, requestId: string, random: string) => `${pad15(atMs)}#${requestIdPart(requestId)}#${random}`;

export const auditEntryKey = (atMs: number, requestId: string, random: string) =>
  ({ pk: auditDayPartition(auditDayOf(atMs)), sk: auditSortKey(atMs, requestId, random) }) as const;

/** The lowest sort key of an entry at or after `atMs`. */
export const auditSortFloor = (atMs: number) => pad15(atMs);

const SORT_KEY = /^(\d{15})#[A-Za-z0-9._:-]{0,128}#[0-9a-f]{8}$/;

/** An entry's key from its sort key alone (a listing's cursor); undefined for anything auditSortKey never makes. */
export const auditKeyOfSortKey = (sk: string): { pk: string; sk: string; atMs: number } | undefined => {
  const match = SORT_KEY.exec(sk);
  if (!match?.[1]) return undefined;
  const atMs = Number(match[1]);
  if (!Number.isSafeInteger(atMs) || atMs > 8.64e15) return undefined;
  return { pk: auditDayPartition(auditDayOf(atMs)), sk, atMs };
};
