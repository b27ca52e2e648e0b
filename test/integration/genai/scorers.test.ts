/**
 * Registered scorers through the wire on both engines, as MLflow 3.6's RestStore calls them (register_scorer,
 * list_scorers, list_scorer_versions, get_scorer, delete_scorer under /api/3.0/mlflow/scorers) and its SQL store
 * answers: versions max + 1, the latest of each name by name, MLflow's messages for a missing name or version.
 */
import { describe, expect, it } from 'vitest';
import { createTestApi, ENGINES, type TestApi } from '../../support/test-api.js';

const API = '/api/3.0/mlflow';

const serialized = (name: string, instructions: string) =>
  JSON.stringify({ name, aggregations: [], mlflow_version: '3.6.0', serialization_version: 1, instructions_judge_pydantic_data: { instructions } });

const register = (api: TestApi, experimentId: string, name: string, body: string) =>
  api.call('POST', `${API}/scorers/register`, { experiment_id: experimentId, name, serialized_scorer: body });

const createExperiment = async (api: TestApi, name: string): Promise<string> =>
  (await api.call('POST', '/api/2.0/mlflow/experiments/create', { name })).body.experiment_id;

describe.each(ENGINES)('registered scorers (%s)', (engine) => {
  it('registers versions 1, 2, 3 of a name and answers them as MLflow does', async () => {
    // Prepare
    const api = await createTestApi(engine);
    const experimentId = await createExperiment(api, 'judges');

    // Act
    const first = await register(api, experimentId, 'relevance', serialized('relevance', 'v1'));
    const second = await register(api, experimentId, 'relevance', serialized('relevance', 'v2'));
    const third = await register(api, experimentId, 'relevance', serialized('relevance', 'v3'));
    const latest = await api.call('GET', `${API}/scorers/get`, { experiment_id: experimentId, name: 'relevance' });
    const v2 = await api.call('GET', `${API}/scorers/get`, { experiment_id: experimentId, name: 'relevance', version: 2 });
    const versions = await api.call('GET', `${API}/scorers/versions`, { experiment_id: experimentId, name: 'relevance' });

    // Assess
    expect(first.body).toEqual({
      version: 1,
      scorer_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      experiment_id: experimentId,
      name: 'relevance',
      serialized_scorer: serialized('relevance', 'v1'),
      creation_time: expect.any(Number),
    });
    expect([second.body.version, third.body.version]).toEqual([2, 3]);
    expect(new Set([first.body.scorer_id, second.body.scorer_id, third.body.scorer_id]).size).toBe(1);
    expect(latest.body).toEqual({
      scorer: {
        experiment_id: Number(experimentId),
        scorer_name: 'relevance',
        scorer_version: 3,
        serialized_scorer: serialized('relevance', 'v3'),
        creation_time: third.body.creation_time,
        scorer_id: first.body.scorer_id,
      },
    });
    expect(v2.body.scorer).toMatchObject({ scorer_version: 2, serialized_scorer: serialized('relevance', 'v2') });
    expect(versions.body.scorers.map((s: any) => s.scorer_version)).toEqual([1, 2, 3]);
  });

  it('lists the latest version of each name, by name, per experiment', async () => {
    // Prepare
    const api = await createTestApi(engine);
    const [e1, e2] = [await createExperiment(api, 'one'), await createExperiment(api, 'two')];
    await register(api, e1, 'safety', serialized('safety', 'a'));
    await register(api, e1, 'Correctness', serialized('Correctness', 'a'));
    await register(api, e1, 'safety', serialized('safety', 'b'));
    await register(api, e2, 'other', serialized('other', 'a'));

    // Act
    const listed = await api.call('GET', `${API}/scorers/list`, { experiment_id: e1 });
    const empty = await api.call('GET', `${API}/scorers/list`, { experiment_id: '0' });

    // Assess
    expect(listed.body.scorers.map((s: any) => [s.scorer_name, s.scorer_version])).toEqual([
      ['Correctness', 1],
      ['safety', 2],
    ]);
    expect(empty).toEqual({ status: 200, body: {} });
  });

  it('deletes one version (the next registration takes max + 1) or all of them; a name without versions is not found', async () => {
    // Prepare
    const api = await createTestApi(engine);
    const experimentId = await createExperiment(api, 'deletes');
    for (const v of ['a', 'b', 'c']) await register(api, experimentId, 'tone', serialized('tone', v));

    // Act
    const deleteLatest = await api.call('DELETE', `${API}/scorers/delete`, { experiment_id: experimentId, name: 'tone', version: 3 });
    const reRegistered = await register(api, experimentId, 'tone', serialized('tone', 'd'));
    const deleteMiddle = await api.call('DELETE', `${API}/scorers/delete`, { experiment_id: experimentId, name: 'tone', version: 2 });
    const missingVersion = await api.call('DELETE', `${API}/scorers/delete`, { experiment_id: experimentId, name: 'tone', version: 2 });
    const remaining = await api.call('GET', `${API}/scorers/versions`, { experiment_id: experimentId, name: 'tone' });
    const deleteAll = await api.call('DELETE', `${API}/scorers/delete`, { experiment_id: experimentId, name: 'tone' });
    const afterAll = await api.call('GET', `${API}/scorers/get`, { experiment_id: experimentId, name: 'tone' });
    const again = await register(api, experimentId, 'tone', serialized('tone', 'e'));
    const oneByOne = await register(api, experimentId, 'solo', serialized('solo', 'a'));
    await api.call('DELETE', `${API}/scorers/delete`, { experiment_id: experimentId, name: 'solo', version: 1 });
    const soloGet = await api.call('GET', `${API}/scorers/get`, { experiment_id: experimentId, name: 'solo' });
    const soloVersions = await api.call('GET', `${API}/scorers/versions`, { experiment_id: experimentId, name: 'solo' });
    const soloAgain = await register(api, experimentId, 'solo', serialized('solo', 'b'));

    // Assess
    expect(deleteLatest).toEqual({ status: 200, body: {} });
    expect(reRegistered.body.version).toBe(3);
    expect(deleteMiddle.status).toBe(200);
    expect(missingVersion).toEqual({
      status: 404,
      body: { error_code: 'RESOURCE_DOES_NOT_EXIST', message: `Scorer with name 'tone' and version 2 not found for experiment ${experimentId}.` },
    });
    expect(remaining.body.scorers.map((s: any) => s.scorer_version)).toEqual([1, 3]);
    expect(deleteAll.status).toBe(200);
    expect(afterAll).toEqual({
      status: 404,
      body: { error_code: 'RESOURCE_DOES_NOT_EXIST', message: `Scorer with name 'tone' not found for experiment ${experimentId}.` },
    });
    expect(again.body.version).toBe(1);
    expect(again.body.scorer_id).not.toBe(reRegistered.body.scorer_id);
    expect(soloGet.status).toBe(404);
    expect(soloVersions.status).toBe(404);
    expect(soloAgain.body).toMatchObject({ version: 1, scorer_id: oneByOne.body.scorer_id });
  });

  it('answers missing fields, unknown and deleted experiments and unknown names with MLflow errors', async () => {
    // Prepare
    const api = await createTestApi(engine);
    const deleted = await createExperiment(api, 'gone');
    await api.call('POST', '/api/2.0/mlflow/experiments/delete', { experiment_id: deleted });

    // Act
    const noName = await api.call('POST', `${API}/scorers/register`, { experiment_id: '0', serialized_scorer: '{}' });
    const noBody = await api.call('POST', `${API}/scorers/register`, { experiment_id: '0', name: 'x' });
    const unknownExperiment = await register(api, '424242', 'x', '{}');
    const deletedExperiment = await api.call('GET', `${API}/scorers/list`, { experiment_id: deleted });
    const unknownName = await api.call('GET', `${API}/scorers/versions`, { experiment_id: '0', name: 'nope' });
    const badVersion = await api.call('GET', `${API}/scorers/get`, { experiment_id: '0', name: 'nope', version: 'two' });

    // Assess
    expect(noName.body).toEqual({
      error_code: 'INVALID_PARAMETER_VALUE',
      message: "Missing value for required parameter 'name'. See the API docs for more information about request parameters.",
    });
    expect(noBody.body.message).toContain("'serialized_scorer'");
    expect(unknownExperiment).toEqual({ status: 404, body: { error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'No Experiment with id=424242 exists' } });
    expect(deletedExperiment).toEqual({
      status: 400,
      body: { error_code: 'INVALID_PARAMETER_VALUE', message: `The experiment ${deleted} must be in the 'active' state. Current state is deleted.` },
    });
    expect(unknownName).toEqual({ status: 404, body: { error_code: 'RESOURCE_DOES_NOT_EXIST', message: "Scorer with name 'nope' not found for experiment 0." } });
    expect(badVersion.status).toBe(400);
    expect(badVersion.body.error_code).toBe('INVALID_PARAMETER_VALUE');
  });

  it('gives 20 concurrent registrations of one name the versions 1..20, each once, and loses none', async () => {
    // Prepare
    const api = await createTestApi(engine);
    const experimentId = await createExperiment(api, 'race');

    // Act
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => register(api, experimentId, 'judge', serialized('judge', `v${i}`))));
    const versions = await api.call('GET', `${API}/scorers/versions`, { experiment_id: experimentId, name: 'judge' });

    // Assess
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    expect(answers.map((a) => a.body.version).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(versions.body.scorers.map((s: any) => s.scorer_version)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const bodies = new Map(answers.map((a) => [a.body.version, a.body.serialized_scorer]));
    for (const scorer of versions.body.scorers) expect(scorer.serialized_scorer).toBe(bodies.get(scorer.scorer_version));
  });
});
