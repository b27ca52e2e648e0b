/**
 * Metric history keys: one partition per (run, metric key), holding compact chunks of points.
 *   MH#<runId>#<metric key> / C#<content hash>
 * A chunk's sort key is the hash of its content, so a retried request rewrites the same chunk instead of
 * adding a second copy, and concurrent writers never touch the same item.
 */
export const metricHistoryPartition = (runId: string, key: string) => `MH#${runId}#${key}`;
export const metricChunkKey = (runId: string, key: string, contentHash: string) =>
  ({ pk: metricHistoryPartition(runId, key), sk: `C#${contentHash}` }) as const;
