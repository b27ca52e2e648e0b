/**
 * Groups a trace filter's tokens into comparisons, as sqlparse and SearchTraceUtils._process_statement do, with
 * the forms only trace search takes: `identifier IS NULL` and `identifier IS NOT NULL` (assessments). The lexer
 * is the one every search shares (shared/domain/search/tokenizer.ts).
 */
import { expectedIdentifier, invalidParameter, multipleExpressions } from './messages.js';
import { lex, type Token } from '../../search/tokenizer.js';

export interface TraceComparison {
  readonly left: Token;
  /** Upper-cased: `=`, `!=`, `<`, ..., `LIKE`, `ILIKE`, `IN`, `NOT IN`, `IS NULL`, `IS NOT NULL`. */
  readonly comparator: string;
  /** Absent for IS [NOT] NULL. */
  readonly right?: Token;
}

const isKeyword = (token: Token | undefined, word: string): boolean =>
  token?.kind === 'keyword' && token.text.toUpperCase() === word;

const isOperand = (token: Token | undefined): boolean =>
  token !== undefined &&
  (token.kind === 'identifier' || token.kind === 'string' || token.kind === 'number' || token.kind === 'parenthesis');

/**
 * @throws MlflowError INVALID_PARAMETER_VALUE for several statements, clauses that are not comparisons joined by
 * AND, and comparisons whose left side is not an identifier.
 */
export const scanTraceFilter = (filter: string): TraceComparison[] => {
  const tokens = lex(filter);
  const comparisons: TraceComparison[] = [];
  const invalid: Token[] = [];
  let statements = 0;
  let pending = false;
  for (let i = 0; i < tokens.length; ) {
    const token = tokens[i] as Token;
    const [next, third, fourth] = [tokens[i + 1], tokens[i + 2], tokens[i + 3]];
    pending = true;
    if (isOperand(token) && next?.kind === 'comparator' && isOperand(third)) {
      comparisons.push({ left: token, comparator: next.text.toUpperCase().replace(/\s+/gu, ' '), right: third as Token });
      i += 3;
    } else if (token.kind === 'identifier' && isKeyword(next, 'IN') && third?.kind === 'parenthesis') {
      comparisons.push({ left: token, comparator: 'IN', right: third });
      i += 3;
    } else if (token.kind === 'identifier' && isKeyword(next, 'NOT') && isKeyword(third, 'IN') && fourth?.kind === 'parenthesis') {
      comparisons.push({ left: token, comparator: 'NOT IN', right: fourth });
      i += 4;
    } else if (token.kind === 'identifier' && isKeyword(next, 'IS') && isKeyword(third, 'NULL')) {
      comparisons.push({ left: token, comparator: 'IS NULL' });
      i += 3;
    } else if (token.kind === 'identifier' && isKeyword(next, 'IS') && isKeyword(third, 'NOT') && isKeyword(fourth, 'NULL')) {
      comparisons.push({ left: token, comparator: 'IS NOT NULL' });
      i += 4;
    } else {
      if (token.kind === 'punctuation' && token.text === ';') {
        statements++;
        pending = false;
      }
      if (!isKeyword(token, 'AND')) invalid.push(token);
      i += 1;
    }
  }
  if (pending) statements++;
  if (statements > 1) throw multipleExpressions(filter);
  if (invalid.length > 0) {
    throw invalidParameter(`Invalid clause(s) in filter string: ${invalid.map((t) => `'${t.text}'`).join(', ')}`);
  }
  for (const { left } of comparisons) {
    if (left.kind !== 'identifier') throw expectedIdentifier(left.text);
  }
  return comparisons;
};
