/**
 * Issue 16, items 2 and 3: request errors worded as MLflow's handlers word them (`_validate_param_against_schema`
 * and the schemas of `_create_experiment`, `_log_batch` and `_search_runs` in mlflow/server/handlers.py), as
 * MLflow's own REST tests match them.
 */
import { describe, expect, it } from 'vitest';
import { createTestApi, ENGINES, type TestApi } from '../../support/test-api.js';

const MLFLOW = '/api/2.0/mlflow';
const API_DOCS = 'See the API docs for more information about request parameters.';

/** POSTs a raw JSON text, so that numbers reach the server written as the test writes them (`9.0`). */
const postRaw = async (api: TestApi, path: string, json: string) => {
  const response = await api.request(`${MLFLOW}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: json });
  return { status: response.status, body: (await response.json()) as { error_code?: string; message?: string } };
};

const createRunId = async (api: TestApi): Promise<string> => {
  const created = await api.call('POST', `${MLFLOW}/runs/create`, { experiment_id: '0' });
  return created.body.run.info.run_id as string;
};

describe.each(ENGINES)("MLflow's wording of type errors (%s)", (engine) => {
  it('experiments/create with artifact_location 9.0 quotes the float as Python prints it: 9.0, of type float', async () => {
    // Prepare
    const api = await createTestApi(engine);
    // Act
    const answer = await postRaw(api, '/experiments/create', '{"name": "e", "artifact_location": 9.0}');
    // Assess
    expect(answer).toEqual({
      status: 400,
      body: {
        error_code: 'INVALID_PARAMETER_VALUE',
        message: `Invalid value 9.0 for parameter 'artifact_location' supplied. Hint: Value was of type 'float'. ${API_DOCS}`,
      },
    });
  });

  it('experiments/create with tags "5" is an invalid value of tags itself, not a missing tags.0', async () => {
    // Prepare
    const api = await createTestApi(engine);
    // Act
    const answer = await postRaw(api, '/experiments/create', '{"name": "e", "tags": "5"}');
    // Assess
    expect(answer.status).toBe(400);
    expect(answer.body.message).toBe(`Invalid value "5" for parameter 'tags' supplied. Hint: Value was of type 'str'. ${API_DOCS}`);
  });

  it.each(['metrics', 'params', 'tags'])('log-batch with %s given a string is an invalid value of that field', async (field) => {
    // Prepare
    const api = await createTestApi(engine);
    const runId = await createRunId(api);
    // Act
    const answer = await postRaw(api, '/runs/log-batch', JSON.stringify({ run_id: runId, [field]: '5' }));
    // Assess
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({
      error_code: 'INVALID_PARAMETER_VALUE',
      message: `Invalid value "5" for parameter '${field}' supplied. Hint: Value was of type 'str'. ${API_DOCS}`,
    });
  });

  it('log-batch with a metric lacking its timestamp names it metrics[0].timestamp', async () => {
    // Prepare
    const api = await createTestApi(engine);
    const runId = await createRunId(api);
    // Act
    const answer = await postRaw(api, '/runs/log-batch', JSON.stringify({ run_id: runId, metrics: [{ key: 'm', value: 1 }] }));
    // Assess
    expect(answer.status).toBe(400);
    expect(answer.body.message).toBe(`Missing value for required parameter 'metrics[0].timestamp'. ${API_DOCS}`);
  });
});

describe.each(ENGINES)("MLflow's bound on runs/search max_results (%s)", (engine) => {
  it('max_results 123456789 is refused with the handler schema message of _search_runs', async () => {
    // Prepare
    const api = await createTestApi(engine);
    // Act
    const answer = await postRaw(api, '/runs/search', '{"experiment_ids": ["0"], "max_results": 123456789}');
    // Assess
    expect(answer).toEqual({
      status: 400,
      body: {
        error_code: 'INVALID_PARAMETER_VALUE',
        message: `Invalid value 123456789 for parameter 'max_results' supplied. Hint: Value was of type 'int'. ${API_DOCS}`,
      },
    });
  });
});
