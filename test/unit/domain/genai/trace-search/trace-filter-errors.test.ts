import { describe, expect, it } from 'vitest';
import { parseTraceFilter, parseTraceOrderBy } from '../../../../../shared/domain/genai/trace-search/index.js';
import { MAX_LIKE_PATTERN_LENGTH } from '../../../../../shared/domain/search/like.js';
import { aTrace, errorOf, search, viewsOf } from './builders.js';

describe('trace filter: errors in MLflow words (test_search_traces_with_invalid_filter and others)', () => {
  it.each([
    { filter: 'invalid', message: /^Invalid clause\(s\) in filter string: 'invalid'$/u },
    { filter: "name = 'foo' AND invalid", message: /^Invalid clause\(s\) in filter string: 'invalid'$/u },
    { filter: "foo.bar = 'baz'", message: /^Invalid entity type 'foo'\. Valid values are \{'attribute', /u },
    { filter: "invalid = 'foo'", message: /^Invalid attribute key 'invalid' specified\. Valid keys are '\{'request_id', /u },
    { filter: "trace.tags.foo = 'bar'", message: /^Invalid attribute key 'tags\.foo' specified/u },
    { filter: "trace.status < 'OK'", message: /^Invalid comparator '<' not one of '\{'!=', '=', 'IN', 'NOT IN', 'LIKE', 'ILIKE'\}'$/u },
    { filter: "name IN ('foo', 'bar')", message: /^Invalid comparator 'IN' not one of '\{'!=', '=', 'LIKE', 'ILIKE'\}'$/u },
    { filter: 'span.duration = "1000"', message: /^Invalid span attribute 'duration'\. Supported attributes: name, status, type, attributes\.<attribute_name>\.$/u },
    { filter: 'span.parent_id = "123"', message: /^Invalid span attribute 'parent_id'\./u },
    { filter: 'span.content = "test"', message: /^span\.content comparator '=' not one of \{'LIKE', 'ILIKE'\}$/u },
    { filter: 'feedback.score > "high"', message: /^Expected a numeric value for feedback/u },
    { filter: 'feedback.quality = 3', message: /^Expected a quoted string value for feedback/u },
    { filter: "timestamp_ms > 'yesterday'", message: /^Expected numeric value type for numeric attribute: timestamp_ms\. Found 'yesterday'$/u },
    { filter: 'status = 1', message: /^Only the '\{'timestamp_ms', 'execution_time_ms', 'end_time_ms'\}' attributes support comparison with numeric values\.$/u },
    { filter: "client_request_id IN ('a')", message: /^Only attributes in \{'request_id', 'status'\} supports comparison with a list/u },
    { filter: "status = ('OK')", message: /^Invalid comparator '=' for a list of values\. Use 'IN' or 'NOT IN'/u },
    { filter: 'tag.env = production', message: /^Parameter value is either not quoted or unidentified quote types used for string value production\./u },
    { filter: "status = 'OK'; status = 'ERROR'", message: /^Search filter contained multiple expression/u },
    { filter: "status = 'OK' OR status = 'ERROR'", message: /^Invalid clause\(s\) in filter string: 'OR'/u },
    { filter: "'OK' = status", message: /^Invalid comparison clause\. Expected 'Identifier' found ''OK''$/u },
    { filter: "tag.env IS NULL", message: /^Invalid comparator 'IS NULL' not one of /u },
    { filter: "trace.text = 'x'", message: /^Invalid comparator '=' not one of '\{'LIKE', 'ILIKE'\}'$/u },
    { filter: "status == 'OK'", message: /^Invalid comparator '==' not one of /u },
    { filter: Array.from({ length: 101 }, (_, i) => `tags.t${i} = 'v'`).join(' AND '), message: /^Invalid filter: it has 101 clauses, the most allowed is 100\.$/u },
  ])('`$filter` is refused', ({ filter, message }) => {
    // Prepare
    const act = () => parseTraceFilter(filter);

    // Act
    const error = errorOf(act);

    // Assess
    expect(error).toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE', message: expect.stringMatching(message) });
  });

  it.each([
    { orderBy: ['span.name'], message: /^Invalid order_by entity `span` with key `name`$/u },
    { orderBy: ['feedback.quality DESC'], message: /^Invalid order_by entity `feedback` with key `quality`$/u },
    { orderBy: ['text'], message: /^Invalid attribute key 'text' specified/u },
    { orderBy: ['timestamp sideways'], message: /^Invalid ordering key in order_by clause 'timestamp sideways'\.$/u },
    { orderBy: ["timestamp DESC, name"], message: /^Invalid order_by clause/u },
  ])('order_by $orderBy is refused', ({ orderBy, message }) => {
    // Prepare
    const act = () => parseTraceOrderBy(orderBy);

    // Act
    const error = errorOf(act);

    // Assess
    expect(error).toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE', message: expect.stringMatching(message) });
  });

  it('a LIKE pattern longer than the bound is refused; a hostile one within it goes to the bounded matcher (like-complexity.test.ts)', () => {
    // Prepare
    const long = `%${'a%'.repeat(MAX_LIKE_PATTERN_LENGTH)}`;
    const hostile = `${'%a'.repeat(400)}%b`;
    const views = viewsOf(
      Array.from({ length: 200 }, (_, i) => aTrace({ id: `tr-${i}`, time: i, tags: { 'mlflow.traceName': 'a'.repeat(500) } })),
    );

    // Act
    const error = errorOf(() => parseTraceFilter(`name LIKE '${long}'`));
    const ids = search(views, `name LIKE '${hostile}' AND tag.x ILIKE '${hostile}'`);

    // Assess
    expect(error).toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE', message: expect.stringMatching(/^Invalid LIKE pattern: it has \d+ characters/u) });
    expect(ids).toEqual([]);
  });
});
