import { describe, it, expect } from 'vitest';
import { parseRunFilter } from '../../../../shared/domain/search/index.js';
import { errorOf } from '../../../support/error-of.js';

const RUN_ATTRIBUTES =
  "{'artifact_uri', 'end_time', 'run_id', 'run_name', 'start_time', 'status', 'user_id', 'created', 'Created', 'run name', 'Run name', 'Run Name'}";

describe('run filter errors: the messages recorded from the reference server', () => {
  it('an unknown metric comparator names the valid ones', () => {
    // Prepare
    const filter = 'metrics.acc >>> 1';

    // Act
    const error = errorOf(() => parseRunFilter(filter));

    // Assess
    expect(error).toMatchObject({
      errorCode: 'INVALID_PARAMETER_VALUE',
      message: "Invalid comparator '>>>' not one of '{'>', '>=', '!=', '=', '<', '<='}",
    });
  });

  it('a parameter compared with a list asks for a quoted string', () => {
    // Prepare
    const filter = "params.alpha IN ('0.5')";

    // Act
    const error = errorOf(() => parseRunFilter(filter));

    // Assess
    expect(error).toMatchObject({
      errorCode: 'INVALID_PARAMETER_VALUE',
      message: "Expected a quoted string value for parameter (e.g. 'my-value'). Got value ('0.5')",
    });
  });
});

describe('run filter errors: comparators per entity', () => {
  it.each([
    { filter: "params.p > 'a'", message: "Invalid comparator '>' not one of '{'!=', '=', 'LIKE', 'ILIKE'}'" },
    { filter: "tags.t <= 'a'", message: "Invalid comparator '<=' not one of '{'!=', '=', 'LIKE', 'ILIKE'}" },
    { filter: 'metrics.m LIKE 1', message: "Invalid comparator 'LIKE' not one of '{'>', '>=', '!=', '=', '<', '<='}" },
    { filter: "params.p NOT LIKE 'a'", message: "Invalid comparator 'NOT LIKE' not one of '{'!=', '=', 'LIKE', 'ILIKE'}'" },
    {
      filter: "status > 'a'",
      message: "Invalid comparator '>' not one of '{'!=', '=', 'LIKE', 'ILIKE', 'IN', 'NOT IN'}'",
    },
    { filter: 'start_time ILIKE 1', message: "Invalid comparator 'ILIKE' not one of '{'>', '>=', '!=', '=', '<', '<='}" },
    {
      filter: "datasets.name < 'a'",
      message: "Invalid comparator '<' not one of '{'!=', '=', 'LIKE', 'ILIKE', 'IN', 'NOT IN'}",
    },
    { filter: 'metrics.m == 1', message: "Invalid comparator '==' not one of '{'>', '>=', '!=', '=', '<', '<='}" },
  ])('`$filter` is rejected with an invalid comparator message', ({ filter, message }) => {
    // Prepare
    const act = () => parseRunFilter(filter);

    // Act
    const error = errorOf(act);

    // Assess
    expect(error).toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE', message });
  });
});

describe('run filter errors: identifiers', () => {
  it.each([
    { filter: 'm.acc >= 0.94', message: "Invalid entity type 'm'. Valid values are ['metric', 'parameter', 'tag', 'attribute', 'dataset']" },
    { filter: 'Metrics.acc > 1', message: "Invalid entity type 'Metrics'. Valid values are ['metric', 'parameter', 'tag', 'attribute', 'dataset']" },
    { filter: 'acc >= 0.94', message: `Invalid attribute key 'acc' specified. Valid keys are '${RUN_ATTRIBUTES}'` },
    { filter: "attributes.lifecycle_stage = 'active'", message: `Invalid attribute key 'lifecycle_stage' specified. Valid keys are '${RUN_ATTRIBUTES}'` },
    { filter: "attributes.experiment_id = '1'", message: `Invalid attribute key 'experiment_id' specified. Valid keys are '${RUN_ATTRIBUTES}'` },
    { filter: "datasets.profile = 'x'", message: "Invalid dataset key 'profile' specified. Valid keys are '{'name', 'digest', 'context'}'" },
    { filter: '1 = 1', message: "Invalid comparison clause. Expected 'Identifier' found '1'" },
    { filter: "'a' = 'b'", message: "Invalid comparison clause. Expected 'Identifier' found ''a''" },
  ])('`$filter` is rejected: $message', ({ filter, message }) => {
    // Prepare
    const act = () => parseRunFilter(filter);

    // Act
    const error = errorOf(act);

    // Assess
    expect(error).toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE', message });
  });
});

describe('run filter errors: values', () => {
  it.each([
    { filter: "metrics.acc = 'high'", message: "Expected numeric value type for metric. Found 'high'" },
    { filter: 'metrics.acc != metrics.loss', message: 'Expected numeric value type for metric. Found metrics.loss' },
    { filter: 'params.p = 5', message: "Expected a quoted string value for parameter (e.g. 'my-value'). Got value 5" },
    { filter: 'tags.t = 5', message: "Expected a quoted string value for tag (e.g. 'my-value'). Got value 5" },
    {
      filter: 'params.p = LR',
      message: 'Parameter value is either not quoted or unidentified quote types used for string value LR. Use either single or double quotes.',
    },
    {
      filter: 'tags.t = `LR`',
      message: 'Parameter value is either not quoted or unidentified quote types used for string value `LR`. Use either single or double quotes.',
    },
    { filter: 'status = 1', message: 'Expected a quoted string value for attributes. Got value 1' },
    { filter: "start_time > '5'", message: "Expected numeric value type for numeric attribute: start_time. Found '5'" },
    { filter: "created > '5'", message: "Expected numeric value type for numeric attribute: created. Found '5'" },
    { filter: "status IN ('RUNNING')", message: "Only the 'run_id' attribute supports comparison with a list of quoted string values." },
    { filter: 'datasets.name = 1', message: 'Expected a quoted string value for dataset attributes. Got value 1' },
  ])('`$filter` is rejected: $message', ({ filter, message }) => {
    // Prepare
    const act = () => parseRunFilter(filter);

    // Act
    const error = errorOf(act);

    // Assess
    expect(error).toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE', message });
  });

  it.each([
    { filter: 'run_id IN ()', message: 'While parsing a list in the query, expected a non-empty list of string values, but got empty list' },
    { filter: "run_id IN ('a' 'b' x)", message: 'While parsing a list in the query, expected a non-empty list of string values, but got ill-formed list.' },
    { filter: "run_id IN ('a', 1)", message: "While parsing a list in the query, expected string value, punctuation, or whitespace, but got different type in list: ('a', 1)" },
    { filter: "run_id = ('a')", message: "Invalid comparator '=' for a list of values. Use 'IN' or 'NOT IN' to compare with a list." },
  ])('`$filter` is rejected: $message', ({ filter, message }) => {
    // Prepare
    const act = () => parseRunFilter(filter);

    // Act
    const error = errorOf(act);

    // Assess
    expect(error).toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE', message });
  });
});

describe('run filter errors: structure', () => {
  it.each([
    { filter: "metrics.a > 0.1 OR params.b = 'x'", message: "Invalid clause(s) in filter string: 'OR'" },
    { filter: "metrics.a > 0.1 AND (params.b = 'x')", message: "Invalid clause(s) in filter string: '(params.b = 'x')'" },
    { filter: "NOT params.b = 'x'", message: "Invalid clause(s) in filter string: 'NOT'" },
    { filter: 'tags.t IS NULL', message: "Invalid clause(s) in filter string: 'tags.t', 'IS', 'NULL'" },
    { filter: 'attributes.status = true', message: "Invalid clause(s) in filter string: 'attributes.status', '=', 'true'" },
    { filter: 'metrics.acc !=', message: "Invalid clause(s) in filter string: 'metrics.acc', '!='" },
    { filter: "params.p = 'unterminated", message: "Invalid clause(s) in filter string: 'params.p', '=', ''', 'unterminated'" },
    { filter: 'metrics.a > 1;', message: "Invalid clause(s) in filter string: ';'" },
    {
      filter: 'metrics.a > 1; metrics.b < 2',
      message: "Search filter contained multiple expression 'metrics.a > 1; metrics.b < 2'. Provide AND-ed expression list.",
    },
  ])('`$filter` is rejected: $message', ({ filter, message }) => {
    // Prepare
    const act = () => parseRunFilter(filter);

    // Act
    const error = errorOf(act);

    // Assess
    expect(error).toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE', message });
  });

  it('value errors of later clauses come before comparator errors of earlier ones, as in MLflow', () => {
    // Prepare
    const filter = "metrics.a ~ 1 AND params.b = 5";

    // Act
    const error = errorOf(() => parseRunFilter(filter));

    // Assess
    expect(error).toMatchObject({
      message: "Expected a quoted string value for parameter (e.g. 'my-value'). Got value 5",
    });
  });
});
