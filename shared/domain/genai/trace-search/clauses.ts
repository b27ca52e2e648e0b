/**
 * Parsed trace filter clauses compiled into predicates over a TraceSearchView. Comparisons follow SQL as MLflow's
 * store runs them: a missing value (no such tag, an in-progress trace's duration) matches nothing, `!=` included;
 * LIKE is case-sensitive and ILIKE not (shared/domain/search/like.ts, linear in the pattern whatever it holds).
 */
import type { Span } from '../entities.js';
import { numberTest, ownValueReader, stringTest, type NumericComparator, type StringComparator } from '../../search/compare.js';
import type { StringMatcher } from '../../search/like.js';
import type { TraceFilterClause } from './clause-types.js';
import {
  assessmentNumber,
  assessmentText,
  attributeValue,
  currentAssessments,
  spanAttributeText,
  spanContent,
  spanType,
  type TraceSearchView,
} from './view.js';

export type TracePredicate = (view: TraceSearchView) => boolean;

const DECIMAL = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/u;

/** One predicate for one clause, or for every `span.` clause of a filter (they must hold on the same span). */
export const compileClause = (clauses: readonly TraceFilterClause[]): TracePredicate => {
  const first = clauses[0] as TraceFilterClause;
  if (first.type === 'span') return spanPredicate(clauses);
  const { type, key, comparator, value } = first;
  switch (type) {
    case 'attribute':
      return key === 'text' ? textPredicate(stringMatcher(comparator, value)) : attributePredicate(key, comparator, value);
    case 'tag': {
      const read = ownValueReader<string>(key);
      const test = stringMatcher(comparator, value);
      return (view) => {
        const v = read(view.info.tags);
        return v !== undefined && test(v);
      };
    }
    case 'request_metadata':
      return metadataPredicate(key, stringMatcher(comparator, value), first.runId === true);
    case 'feedback':
    case 'expectation':
      return assessmentPredicate(type, key, comparator, value);
  }
};

const stringMatcher = (comparator: string, value: TraceFilterClause['value']): StringMatcher =>
  stringTest(comparator as StringComparator, value as string | readonly string[]);

const attributePredicate = (key: string, comparator: string, value: TraceFilterClause['value']): TracePredicate => {
  if (typeof value === 'number') {
    const test = numberTest(comparator as NumericComparator, value);
    return (view) => {
      const v = attributeValue(view.info, key);
      return typeof v === 'number' && test(v);
    };
  }
  const test = stringMatcher(comparator, value);
  return (view) => {
    const v = attributeValue(view.info, key);
    return typeof v === 'string' && test(v);
  };
};

/** `run_id` matches the source-run metadata or, as MLflow's store does, a run the trace was linked to. */
const metadataPredicate = (key: string, test: StringMatcher, runId: boolean): TracePredicate => {
  const read = ownValueReader<string>(key);
  return (view) => {
    const v = read(view.info.metadata);
    if (v !== undefined && test(v)) return true;
    return runId && (view.info.linkedRunIds ?? []).some(test);
  };
};

const textPredicate = (test: StringMatcher): TracePredicate => (view) =>
  (view.spans ?? []).some((span) => test(spanContent(span)));

type SpanTest = (span: Span) => boolean;

const spanPredicate = (clauses: readonly TraceFilterClause[]): TracePredicate => {
  const tests = clauses.map(spanTest);
  return (view) => (view.spans ?? []).some((span) => tests.every((test) => test(span)));
};

const spanTest = ({ key, comparator, value }: TraceFilterClause): SpanTest => {
  const test = stringMatcher(comparator, value);
  if (key === 'name') return (span) => test(span.name);
  if (key === 'status') return (span) => test(span.status.code);
  if (key === 'content') return (span) => test(spanContent(span));
  if (key === 'type') {
    return (span) => {
      const type = spanType(span);
      return type !== undefined && test(type);
    };
  }
  const name = key.slice('attributes.'.length);
  const read = ownValueReader<Span['attributes'][string]>(name);
  return (span) => {
    const v = read(span.attributes);
    return v !== undefined && test(spanAttributeText(v));
  };
};

const assessmentPredicate = (
  kind: 'feedback' | 'expectation',
  name: string,
  comparator: string,
  value: TraceFilterClause['value'],
): TracePredicate => {
  if (comparator === 'IS NULL') return (view) => currentAssessments(view, kind, name).length === 0;
  if (comparator === 'IS NOT NULL') return (view) => currentAssessments(view, kind, name).length > 0;
  if (typeof value === 'number') {
    const test = numberTest(comparator as NumericComparator, value);
    return (view) =>
      currentAssessments(view, kind, name).some((a) => {
        const n = assessmentNumber(a);
        return n !== undefined && test(n);
      });
  }
  const test = stringMatcher(comparator, value);
  // `= '5'` finds the number 5 however it was written (MLflow keeps `5.0` as `5.0`, JavaScript as `5`).
  const literal = typeof value === 'string' && DECIMAL.test(value) ? Number(value) : undefined;
  const numeric = literal !== undefined && (comparator === '=' || comparator === '!=');
  return (view) =>
    currentAssessments(view, kind, name).some((a) => {
      const n = assessmentNumber(a);
      if (numeric && n !== undefined) return comparator === '=' ? n === literal : n !== literal;
      const text = assessmentText(a);
      return text !== undefined && test(text);
    });
};
