import { describe, expect, it } from 'vitest';
import type { TraceSearchView } from '../../../../../shared/domain/genai/trace-search/index.js';
import { aSpan, anAssessment, aTrace, search } from './builders.js';

const traces = (n: number) => Array.from({ length: n }, (_, i) => aTrace({ id: `trace${i + 1}`, time: n - i }));

describe('trace filter: spans (MLflow test_search_traces_with_span_*_filter)', () => {
  const [t1, t2, t3, t4] = traces(4);
  const views: TraceSearchView[] = [
    {
      info: t1!,
      spans: [
        aSpan({ traceId: 'trace1', name: 'llm_success', type: 'LLM', status: 'OK', attributes: { model: 'gpt-4', temperature: 0.7, 'llm.inputs': "what's MLflow?" } }),
      ],
    },
    { info: t2!, spans: [aSpan({ traceId: 'trace2', name: 'llm_error', type: 'LLM', status: 'ERROR', attributes: { model: 'gpt-3.5' } })] },
    {
      info: t3!,
      spans: [
        aSpan({ traceId: 'trace3', name: 'retriever_success', type: 'RETRIEVER', status: 'OK', attributes: { database: 'pinecone', 'similarity.threshold': 0.8 } }),
        aSpan({ traceId: 'trace3', name: 'result', spanId: '2'.repeat(16), type: 'WORKFLOW', attributes: { test: '"the number increased 90%"' } }),
      ],
    },
    { info: t4!, spans: [] },
  ];

  it.each([
    { filter: 'span.name = "llm_error"', expected: ['trace2'] },
    { filter: 'span.name LIKE "llm%"', expected: ['trace1', 'trace2'] },
    { filter: 'span.name != "llm_error"', expected: ['trace1', 'trace3'] },
    { filter: 'span.type = "LLM"', expected: ['trace1', 'trace2'] },
    { filter: 'span.type IN ("LLM", "RETRIEVER")', expected: ['trace1', 'trace2', 'trace3'] },
    { filter: 'span.type NOT IN ("LLM", "RETRIEVER")', expected: ['trace3'] },
    { filter: 'span.type ILIKE "llm"', expected: ['trace1', 'trace2'] },
    { filter: 'span.status = "OK"', expected: ['trace1', 'trace3'] },
    { filter: 'span.status != "ERROR"', expected: ['trace1', 'trace3'] },
    { filter: 'span.type = "LLM" AND span.status = "OK"', expected: ['trace1'] },
    { filter: 'span.type = "LLM" AND span.type = "RETRIEVER"', expected: [] },
    { filter: 'span.name = "result" AND span.status = "OK"', expected: [] },
    { filter: 'span.attributes.model LIKE "%gpt-4%"', expected: ['trace1'] },
    { filter: 'span.attributes.model = "gpt-3.5"', expected: ['trace2'] },
    { filter: 'span.attributes.temperature LIKE "%0.7%"', expected: ['trace1'] },
    { filter: 'span.attributes.similarity.threshold LIKE "%0.8%"', expected: ['trace3'] },
    { filter: 'span.attributes.nonexistent LIKE "%value%"', expected: [] },
    { filter: 'span.content LIKE "%pinecone%"', expected: ['trace3'] },
    { filter: 'span.content ILIKE "%GPT%"', expected: ['trace1', 'trace2'] },
    { filter: 'trace.text LIKE "%llm_success%"', expected: ['trace1'] },
    { filter: 'trace.text LIKE "%WORKFLOW%"', expected: ['trace3'] },
    { filter: `trace.text LIKE "%what's MLflow?%"`, expected: ['trace1'] },
    { filter: 'trace.text LIKE "%90%%"', expected: ['trace3'] },
  ])('`$filter` keeps $expected', ({ filter, expected }) => {
    // Act
    const ids = search(views, filter);

    // Assess
    expect(ids).toEqual(expected);
  });
});

describe('trace filter: assessments (MLflow test_search_traces_with_feedback_and_expectation_filters and others)', () => {
  const infos = traces(6);
  const feedback = (traceId: string, name: string, value: Parameters<typeof anAssessment>[3], extra = {}) =>
    anAssessment(traceId, 'feedback', name, value, extra);
  const expectation = (traceId: string, name: string, value: Parameters<typeof anAssessment>[3]) =>
    anAssessment(traceId, 'expectation', name, value);
  const assessments = [
    feedback('trace1', 'correctness', true),
    feedback('trace1', 'quality', 'high'),
    feedback('trace1', 'score', 2),
    feedback('trace2', 'correctness', false),
    feedback('trace2', 'helpfulness', 5),
    feedback('trace2', 'score', 3.5),
    feedback('trace2', 'comment', 'Great response! Very helpful.'),
    feedback('trace3', 'score', Number.NaN),
    feedback('trace3', 'correctness', 'no', { valid: false }),
    feedback('trace3', 'correctness', 'yes'),
    expectation('trace3', 'response_length', 150),
    expectation('trace4', 'response_length', 200),
    expectation('trace4', 'latency_ms', 1000),
    expectation('trace4', 'priority', 'urgent'),
    feedback('trace5', 'score', Number.POSITIVE_INFINITY),
  ];
  const views: TraceSearchView[] = infos.map((info) => ({
    info,
    assessments: assessments.filter((a) => a.traceId === info.traceId),
  }));

  it.each([
    { filter: 'feedback.correctness = "true"', expected: ['trace1'] },
    { filter: 'feedback.correctness = "false"', expected: ['trace2'] },
    { filter: 'feedback.helpfulness = "5"', expected: ['trace2'] },
    { filter: 'feedback.helpfulness = "5.0"', expected: ['trace2'] },
    { filter: 'feedback.quality = "high"', expected: ['trace1'] },
    { filter: 'expectation.response_length = "150"', expected: ['trace3'] },
    { filter: 'expectation.priority = "urgent"', expected: ['trace4'] },
    { filter: 'expectation.response_length = "200" AND expectation.latency_ms = "1000"', expected: ['trace4'] },
    { filter: 'feedback.nonexistent = "value"', expected: [] },
    { filter: 'feedback.score > 3', expected: ['trace2'] },
    { filter: 'feedback.score <= 3', expected: ['trace1'] },
    { filter: 'feedback.score < 4', expected: ['trace1', 'trace2'] },
    { filter: 'feedback.score > 0 AND feedback.quality = "high"', expected: ['trace1'] },
    { filter: 'feedback.comment LIKE "%helpful%"', expected: ['trace2'] },
    { filter: 'feedback.comment ILIKE "%GREAT%"', expected: ['trace2'] },
    { filter: 'feedback.correctness = "no"', expected: [] },
    { filter: 'feedback.correctness = "yes"', expected: ['trace3'] },
    { filter: 'feedback.quality IS NOT NULL', expected: ['trace1'] },
    { filter: 'feedback.quality IS NULL', expected: ['trace2', 'trace3', 'trace4', 'trace5', 'trace6'] },
    { filter: 'expectation.response_length IS NOT NULL', expected: ['trace3', 'trace4'] },
    { filter: 'feedback.response_length IS NOT NULL', expected: [] },
  ])('`$filter` keeps $expected', ({ filter, expected }) => {
    // Act
    const ids = search(views, filter);

    // Assess
    expect(ids).toEqual(expected);
  });
});
