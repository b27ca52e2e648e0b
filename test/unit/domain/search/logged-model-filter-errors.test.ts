import { describe, it, expect } from 'vitest';
import { parseLoggedModelFilter } from '../../../../shared/domain/search/index.js';
import { errorOf } from './logged-model-builders.js';

describe('logged model filter: errors', () => {
  it.each([
    { filter: 'foo.x = 1', message: "Invalid entity type: 'foo'. Expected one of ['attributes', 'metrics', 'params', 'tags']." },
    { filter: 'metrics.acc LIKE 1', message: "Invalid comparison operator for metrics.acc: 'LIKE'. Expected one of ('<', '<=', '>', '>=', '=', '!=')." },
    {
      filter: 'name > 1',
      message: "Invalid comparison operator for attributes.name: '>'. Expected one of ('=', '!=', 'LIKE', 'ILIKE', 'IN', 'NOT IN').",
    },
    { filter: "metrics.acc > 'high'", message: "Expected numeric value type for metrics.acc. Found 'high'" },
    {
      filter: "name = 'a' OR name = 'b'",
      message: "Invalid filter string: \"name = 'a' OR name = 'b'\". Expected a list of comparisons separated by 'AND' (e.g. 'metrics.loss > 0.1 AND params.lr = 0.01').",
    },
    { filter: "name = 'a'; name = 'b'", message: "Invalid filter string: \"name = 'a'; name = 'b'\". Expected a single SQL expression." },
  ])('`$filter` is rejected: $message', ({ filter, message }) => {
    // Prepare
    const act = () => parseLoggedModelFilter(filter);

    // Act
    const error = errorOf(act);

    // Assess
    expect(error).toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE', message });
  });

  it('an unknown attribute is rejected instead of failing like the reference', () => {
    // Prepare
    const filter = "colour = 'red'";

    // Act
    const error = errorOf(() => parseLoggedModelFilter(filter));

    // Assess
    expect(error).toMatchObject({
      errorCode: 'INVALID_PARAMETER_VALUE',
      message: expect.stringMatching(/^Invalid attribute key 'colour' specified\. Valid keys are '\{'model_id', /u),
    });
  });
});
