/**
 * Assessment keys (MLflow 3). An assessment lives in its trace's partition (shared/data/traces/keys.ts), so reading
 * a trace's assessments is one query and deleting the trace takes them along; gsi1 lists an experiment's
 * assessments by kind and name, for search's `feedback.<name>` / `expectation.<name>` filters.
 *   TRACE#<traceId> / ASMT#<assessmentId>   one assessment
 *       (gsi1: ASMTS#<experimentId> / <kind>#<name, % and # escaped, or ~<sha256> past 400 bytes>#<traceId>#<assessmentId>)
 *   TRACE#<traceId> / ASMT                  how many assessments the trace has (`count`), written in the same
 *       transaction as each create and delete: a page of 100 traces learns which have any with one BatchGetItem
 */
import { createHash } from 'node:crypto';
import { tracePartition } from '../traces/keys.js';

export const ASSESSMENT_SORT_PREFIX = 'ASMT#';

export const assessmentKey = (traceId: string, assessmentId: string) =>
  ({ pk: tracePartition(traceId), sk: `${ASSESSMENT_SORT_PREFIX}${assessmentId}` }) as const;

/** The trace's assessment count. */
export const assessmentCountKey = (traceId: string) => ({ pk: tracePartition(traceId), sk: 'ASMT' }) as const;

export const assessmentIndexPartition = (experimentId: string) => `ASMTS#${experimentId}`;

/**
 * A name as the index sorts it: `%` and `#` escaped so that `#` ends it; past 400 bytes its SHA-256, so that a sort
 * key stays under DynamoDB's 1,024 bytes whatever the name (a long name's assessments are still found by it).
 */
const indexName = (name: string): string => {
  const escaped = name.replaceAll('%', '%25').replaceAll('#', '%23');
  return Buffer.byteLength(escaped, 'utf8') <= 400 ? escaped : `~${createHash('sha256').update(name).digest('hex')}`;
};

/** The sort prefix of every assessment of one kind and name. */
export const assessmentIndexPrefix = (kind: string, name: string) => `${kind}#${indexName(name)}#`;

export const assessmentIndexKey = (experimentId: string, kind: string, name: string, traceId: string, assessmentId: string) =>
  ({
    gsi1pk: assessmentIndexPartition(experimentId),
    gsi1sk: `${assessmentIndexPrefix(kind, name)}${traceId}#${assessmentId}`,
  }) as const;
