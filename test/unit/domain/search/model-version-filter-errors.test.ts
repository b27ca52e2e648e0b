import { describe, it, expect } from 'vitest';
import { parseModelVersionFilter } from '../../../../shared/domain/search/index.js';
import { errorOf } from './registry-builders.js';

const VALID_KEYS = "'{'name', 'version_number', 'run_id', 'source_path'}'";
const NUMERIC = "'{'version_number', 'creation_timestamp', 'last_updated_timestamp'}'";

describe('model version filter: errors', () => {
  it.each([
    { filter: "metrics.x = 'a'", message: "Invalid entity type 'metrics'. Valid entity types are ('attribute', 'tag', 'tags')" },
    { filter: "source = 'a'", message: `Invalid attribute key 'source' specified. Valid keys are ${VALID_KEYS}` },
    { filter: 'creation_timestamp > 1', message: `Invalid attribute key 'creation_timestamp' specified. Valid keys are ${VALID_KEYS}` },
    { filter: "attribute.`run_id` = 'a'", message: `Invalid attribute key '\`run_id\`' specified. Valid keys are ${VALID_KEYS}` },
    { filter: 'run_id = 1', message: `Only the ${NUMERIC} attributes support comparison with numeric values.` },
    { filter: 'name = 1.5', message: `Only the ${NUMERIC} attributes support comparison with numeric values.` },
    { filter: 'version_number = NULL', message: 'Expected a quoted string value or a list of quoted string values for attributes. Got value NULL' },
    { filter: "name IN ('a')", message: "Only the 'run_id' attribute supports comparison with a list of quoted string values." },
    { filter: "version_number IN ('1')", message: "Only the 'run_id' attribute supports comparison with a list of quoted string values." },
    { filter: 'run_id IN ()', message: 'While parsing a list in the query, expected a non-empty list of string values, but got empty list' },
    { filter: 'run_id IN (1, 2)', message: 'While parsing a list in the query, expected string value, punctuation, or whitespace, but got different type in list: (1, 2)' },
    { filter: "run_id IN ('a' 'b' c)", message: 'While parsing a list in the query, expected a non-empty list of string values, but got ill-formed list.' },
    { filter: 'run_id = abc', message: 'Parameter value is either not quoted or unidentified quote types used for string value abc. Use either single or double quotes.' },
    { filter: "tags.t IN ('a')", message: "Expected a quoted string value for tag (e.g. 'my-value'). Got value ('a')" },
    { filter: 'tags.t = 2', message: "Expected a quoted string value for tag (e.g. 'my-value'). Got value 2" },
    { filter: "version_number LIKE '1%'", message: 'Invalid comparator for attribute version_number: LIKE' },
    { filter: 'version_number == 1', message: 'Invalid comparator for attribute version_number: ==' },
    { filter: "name > 'a'", message: 'Invalid comparator for attribute: >' },
    { filter: "run_id <= 'a'", message: 'Invalid comparator for attribute: <=' },
    { filter: "tags.t < 'a'", message: 'Invalid comparator for tag: <' },
    { filter: "tags.t NOT ILIKE 'a'", message: 'Invalid comparator for tag: NOT ILIKE' },
    { filter: "run_id = ('a', 'b')", message: "Invalid comparator '=' for a list of values. Use 'IN' or 'NOT IN' to compare with a list." },
    { filter: "1 = version_number", message: "Invalid comparison clause. Expected 'Identifier' found '1'" },
    { filter: "name = 'a' OR version_number = 1", message: 'Invalid clause(s) in filter string: OR' },
    { filter: "(name = 'a')", message: "Invalid clause(s) in filter string: (name = 'a')" },
    { filter: "name = 'a';", message: 'Invalid clause(s) in filter string: ;' },
    { filter: "name = 'a'; version_number = 1", message: "Search filter contained multiple expression \"name = 'a'; version_number = 1\". Provide AND-ed expression list." },
  ])('`$filter` is rejected: $message', ({ filter, message }) => {
    // Prepare
    const act = () => parseModelVersionFilter(filter);

    // Act
    const error = errorOf(act);

    // Assess
    expect(error).toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE', message });
  });
});
