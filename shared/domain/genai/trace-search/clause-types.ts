import type { TraceEntity } from './identifiers.js';

/** What a trace filter's clause is, once parsed (filter.ts): what clauses.ts compiles and pushdown.ts reads. */
export type TraceClauseValue = number | string | readonly string[] | null;

export interface TraceFilterClause {
  readonly type: TraceEntity;
  /** Attributes: MLflow's column name; span: `name`, `type`, `status`, `content` or `attributes.<key>`. */
  readonly key: string;
  readonly comparator: string;
  /** A number, a string, a list (IN / NOT IN), or null for IS [NOT] NULL. */
  readonly value: TraceClauseValue;
  /** Written as `run_id`. */
  readonly runId?: boolean;
}
