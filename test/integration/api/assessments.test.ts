import { describe, expect, it } from 'vitest';
import { createTestApi, ENGINES, type TestApi } from '../../support/test-api.js';
import { createExperiment, idsOf, searchV3, startTrace, traceId, V3 } from './trace-search-support.js';

const HUMAN = { source_type: 'HUMAN', source_id: 'alice@example.com' };

/** CreateAssessment as MLflow's client sends it (rest_store.create_assessment). */
const create = (api: TestApi, trace: string, assessment: Record<string, unknown>) =>
  api.call('POST', `${V3}/traces/${trace}/assessments`, { assessment: { trace_id: trace, ...assessment } });

const setup = async (engine: (typeof ENGINES)[number]) => {
  const api = await createTestApi(engine);
  const experimentId = await createExperiment(api, 'assessed');
  for (let i = 0; i < 3; i++) await startTrace(api, { id: traceId(i), experimentId, time: 1000 + i });
  return { api, experimentId };
};

describe.each(ENGINES)('assessments through the API (%s)', (engine) => {
  it('creates feedback and an expectation, gets them, and shows them on the trace and in search', async () => {
    // Prepare
    const { api, experimentId } = await setup(engine);
    const trace = traceId(1);

    // Act
    const feedback = await create(api, trace, {
      assessment_name: 'correctness',
      source: HUMAN,
      feedback: { value: true },
      rationale: 'matches the docs',
      metadata: { chunk: '3' },
      create_time: '2020-01-01T00:00:00Z',
    });
    const expectation = await create(api, trace, {
      assessment_name: 'expected_answer',
      source: { source_type: 'CODE', source_id: 'labeler' },
      expectation: { value: ['MLflow', 'tracking'] },
    });
    const id = feedback.body.assessment.assessment_id as string;
    const got = await api.call('GET', `${V3}/traces/${trace}/assessments/${id}`);
    const info = await api.call('GET', `${V3}/traces/${trace}`);
    const found = await searchV3(api, [experimentId], { filter: "feedback.correctness = 'true'" });
    const ajax = await api.call('GET', `/ajax-api/3.0/mlflow/traces/${trace}/assessments/${id}`);

    // Assess
    expect(feedback.status).toBe(200);
    expect(feedback.body.assessment).toEqual({
      assessment_id: expect.stringMatching(/^a-[0-9a-f]{32}$/u),
      assessment_name: 'correctness',
      trace_id: trace,
      source: HUMAN,
      create_time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z$/u),
      last_update_time: feedback.body.assessment.create_time,
      feedback: { value: true },
      rationale: 'matches the docs',
      metadata: { chunk: '3' },
      valid: true,
    });
    expect(feedback.body.assessment.create_time).not.toBe('2020-01-01T00:00:00Z');
    expect(expectation.body.assessment).toMatchObject({ expectation: { value: ['MLflow', 'tracking'] }, valid: true });
    expect(got.body).toEqual(feedback.body);
    expect(ajax.body).toEqual(feedback.body);
    const names = (list: { assessment_name: string }[]) => list.map((a) => a.assessment_name).sort();
    expect(names(info.body.trace.trace_info.assessments)).toEqual(['correctness', 'expected_answer']);
    expect(idsOf(found.body)).toEqual([trace]);
    expect(names(found.body.traces[0].assessments)).toEqual(['correctness', 'expected_answer']);
  });

  it('updates the fields its mask names, keeps the rest, merges metadata, and refuses a value of the other kind', async () => {
    // Prepare
    const { api } = await setup(engine);
    const trace = traceId(0);
    const created = (
      await create(api, trace, { assessment_name: 'score', source: HUMAN, feedback: { value: 2 }, rationale: 'meh', metadata: { a: '1' } })
    ).body.assessment;
    const path = `${V3}/traces/${trace}/assessments/${created.assessment_id}`;

    // Act: MLflow's client sends the FieldMask as camelCase paths joined by commas
    const updated = await api.call('PATCH', path, {
      assessment: { assessment_name: 'quality', feedback: { value: 4.5 }, rationale: 'ignored', metadata: { b: '2' } },
      update_mask: 'assessmentName,feedback,metadata',
    });
    const rationale = await api.call('PATCH', path, { assessment: { rationale: 'better' }, update_mask: { paths: ['rationale'] } });
    const wrongKind = await api.call('PATCH', path, { assessment: { expectation: { value: 1 } }, update_mask: 'expectation' });
    const missing = await api.call('PATCH', `${V3}/traces/${trace}/assessments/a-${'0'.repeat(32)}`, {
      assessment: { rationale: 'x' },
      update_mask: 'rationale',
    });

    // Assess
    expect(updated.body.assessment).toMatchObject({
      assessment_id: created.assessment_id,
      assessment_name: 'quality',
      feedback: { value: 4.5 },
      rationale: 'meh',
      metadata: { a: '1', b: '2' },
      create_time: created.create_time,
      source: HUMAN,
    });
    expect(rationale.body.assessment).toMatchObject({ assessment_name: 'quality', rationale: 'better', feedback: { value: 4.5 } });
    expect(wrongKind.status).toBe(400);
    expect(wrongKind.body).toEqual({ error_code: 'INVALID_PARAMETER_VALUE', message: 'Cannot update expectation value on a Feedback assessment.' });
    expect(missing.status).toBe(404);
    expect(missing.body.message).toBe(`Assessment with ID 'a-${'0'.repeat(32)}' not found for trace '${trace}'`);
  });

  it('an override makes the overridden one invalid until the override is deleted; search reads only valid ones', async () => {
    // Prepare
    const { api, experimentId } = await setup(engine);
    const trace = traceId(2);
    const original = (await create(api, trace, { assessment_name: 'verdict', source: HUMAN, feedback: { value: 'no' } })).body.assessment;

    // Act
    const override = (
      await create(api, trace, { assessment_name: 'verdict', source: HUMAN, feedback: { value: 'yes' }, overrides: original.assessment_id })
    ).body.assessment;
    const afterOverride = await api.call('GET', `${V3}/traces/${trace}/assessments/${original.assessment_id}`);
    const searchYes = await searchV3(api, [experimentId], { filter: "feedback.verdict = 'yes'" });
    const searchNo = await searchV3(api, [experimentId], { filter: "feedback.verdict = 'no'" });
    const deleted = await api.call('DELETE', `${V3}/traces/${trace}/assessments/${override.assessment_id}`);
    const deletedAgain = await api.call('DELETE', `${V3}/traces/${trace}/assessments/${override.assessment_id}`);
    const restored = await api.call('GET', `${V3}/traces/${trace}/assessments/${original.assessment_id}`);
    const gone = await api.call('GET', `${V3}/traces/${trace}/assessments/${override.assessment_id}`);
    const searchAfter = await searchV3(api, [experimentId], { filter: "feedback.verdict = 'no'" });

    // Assess
    expect(override).toMatchObject({ overrides: original.assessment_id, valid: true });
    expect(afterOverride.body.assessment.valid).toBe(false);
    expect([idsOf(searchYes.body), idsOf(searchNo.body)]).toEqual([[trace], []]);
    expect([deleted.status, deleted.body, deletedAgain.status]).toEqual([200, {}, 200]);
    expect(restored.body.assessment.valid).toBe(true);
    expect(gone.status).toBe(404);
    expect(idsOf(searchAfter.body)).toEqual([trace]);
  });

  it('finds assessments by any name in search: # and % in it, and one long enough to be indexed by its hash', async () => {
    // Prepare
    const { api, experimentId } = await setup(engine);
    const names = ['50%#done', `long-😀-${'n'.repeat(500)}`];
    await create(api, traceId(0), { assessment_name: names[0], feedback: { value: 'x' } });
    await create(api, traceId(1), { assessment_name: names[1], feedback: { value: 'y' } });
    await create(api, traceId(2), { assessment_name: '50%', feedback: { value: 'x' } });

    // Act
    const found = await Promise.all(names.map((name) => searchV3(api, [experimentId], { filter: `feedback.\`${name}\` IS NOT NULL` })));

    // Assess
    expect(found.map((r) => idsOf(r.body))).toEqual([[traceId(0)], [traceId(1)]]);
  });

  it('refuses what MLflow refuses, changing nothing', async () => {
    // Prepare
    const { api } = await setup(engine);
    const trace = traceId(0);

    // Act
    const noTrace = await create(api, 'tr-missing', { assessment_name: 'x', feedback: { value: 1 } });
    const noName = await create(api, trace, { feedback: { value: 1 } });
    const noValue = await create(api, trace, { assessment_name: 'x' });
    const both = await create(api, trace, { assessment_name: 'x', feedback: { value: 1 }, expectation: { value: 1 } });
    const badOverride = await create(api, trace, { assessment_name: 'x', feedback: { value: 1 }, overrides: 'a-nope' });
    const noAssessment = await api.call('POST', `${V3}/traces/${trace}/assessments`, {});
    const getOnMissingTrace = await api.call('GET', `${V3}/traces/tr-missing/assessments/a-1`);
    const deleteMissing = await api.call('DELETE', `${V3}/traces/${trace}/assessments/a-fake`);
    const info = await api.call('GET', `${V3}/traces/${trace}`);

    // Assess
    expect([noTrace.status, noTrace.body.error_code, noTrace.body.message]).toEqual([404, 'RESOURCE_DOES_NOT_EXIST', "Trace with request_id 'tr-missing' not found."]);
    expect([noName.status, noName.body.message]).toEqual([
      400,
      "Missing value for required parameter 'assessment.assessment_name'. See the API docs for more information about request parameters.",
    ]);
    expect([noValue.status, noValue.body.message]).toEqual([400, 'Unknown assessment type: None']);
    expect(both.status).toBe(400);
    expect([badOverride.status, badOverride.body.message]).toEqual([404, `Assessment with ID 'a-nope' not found for trace '${trace}'`]);
    expect(noAssessment.status).toBe(400);
    expect([getOnMissingTrace.status, getOnMissingTrace.body.message]).toEqual([404, "Trace with request_id 'tr-missing' not found."]);
    expect([deleteMissing.status, deleteMissing.body]).toEqual([200, {}]);
    expect(info.status).toBe(200);
    expect(info.body.trace.trace_info.assessments).toBeUndefined();
  });
});
