/**
 * Assessment keys (MLflow 3). An assessment lives in its trace's partition (shared/data/traces/keys.ts), so reading
 * a trace's assessments is one query and deleting the trace takes them along; gsi1 lists an experiment's
 * assessments by kind and name, for search's `feedback.<name>` / `expectation.<name>` filters.
 *   TRACE#<traceId> / ASMT#<assessmentId>   one assessment
 *       (gsi1: ASMTS#<experimentId> / <kind>#<name, URI-encoded>#<traceId>#<assessmentId>)
 *   TRACE#<traceId> / ASMT                  how many assessments the trace has (`count`), written in the same
 *       transaction as each create and delete: a page of 100 traces learns which have any with one BatchGetItem
 */
import { tracePartition } from '../traces/keys.js';

export const ASSESSMENT_SORT_PREFIX = 'ASMT#';

export const assessmentKey = (traceId: string, assessmentId: string) =>
  ({ pk: tracePartition(traceId), sk: `${ASSESSMENT_SORT_PREFIX}${assessmentId}` }) as const;

/** The trace's assessment count. */
export const assessmentCountKey = (traceId: string) => ({ pk: tracePartition(traceId), sk: 'ASMT' }) as const;

export const assessmentIndexPartition = (experimentId: string) => `ASMTS#${experimentId}`;

/** The sort prefix of every assessment of one kind and name; the name is encoded so that `#` in it cannot end it. */
export const assessmentIndexPrefix = (kind: string, name: string) => `${kind}#${encodeURIComponent(name)}#`;

export const assessmentIndexKey = (experimentId: string, kind: string, name: string, traceId: string, assessmentId: string) =>
  ({
    gsi1pk: assessmentIndexPartition(experimentId),
    gsi1sk: `${assessmentIndexPrefix(kind, name)}${traceId}#${assessmentId}`,
  }) as const;
