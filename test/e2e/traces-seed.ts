import { ROOT_CONTEXT, SpanStatusCode, trace, type Attributes, type Span } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';

/**
 * Traces for the Traces UI's e2e test, sent as MLflow 3's client sends them from 3.4 on: OTLP protobuf to
 * `/v1/traces` with the experiment in `x-mlflow-experiment-id`, MLflow's span attributes JSON-encoded. Tags and
 * assessments then go through the v3 REST API, as `mlflow.set_trace_tag` and `mlflow.log_feedback` do.
 */

export interface SeededTrace {
  traceId: string;
  name: string;
}

export interface SeededTraces {
  agent: SeededTrace;
  failed: SeededTrace;
  embed: SeededTrace;
  /** The agent trace's failing tool span, hex. */
  toolSpanId: string;
}

const json = (value: unknown) => JSON.stringify(value);

/** MLflow's attributes on a span: type, inputs and outputs, each JSON-encoded as MLflow's client writes them. */
const mlflowAttributes = (traceId: string, type: string, inputs: unknown, outputs?: unknown): Attributes => ({
  'mlflow.traceRequestId': json(traceId),
  'mlflow.spanType': json(type),
  'mlflow.spanInputs': json(inputs),
  ...(outputs === undefined ? {} : { 'mlflow.spanOutputs': json(outputs) }),
});

const call = async (baseUrl: string, method: 'POST' | 'PATCH', path: string, body: unknown) => {
  const response = await fetch(`${baseUrl}/api/3.0/mlflow/${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
};

export const seedTraces = async (baseUrl: string, experimentId: string): Promise<SeededTraces> => {
  const exporter = new OTLPTraceExporter({ url: `${baseUrl}/v1/traces`, headers: { 'x-mlflow-experiment-id': experimentId } });
  const provider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(exporter)] });
  const tracer = provider.getTracer('cairn-e2e');
  const t0 = Date.now() - 10 * 60_000;
  const traceIdOf = (span: Span) => `tr-${span.spanContext().traceId}`;
  const child = (parent: Span, name: string, start: number) => tracer.startSpan(name, { startTime: start }, trace.setSpan(ROOT_CONTEXT, parent));

  // An agent: retrieval, then a chat model that called a tool which failed (and was handled).
  const agent = tracer.startSpan('chat_agent', { startTime: t0 });
  const agentId = traceIdOf(agent);
  agent.setAttributes(mlflowAttributes(agentId, 'AGENT', { question: 'What is the capital of France?' }, 'Paris is the capital of France.'));
  const retrieve = child(agent, 'retrieve', t0 + 10);
  retrieve.setAttributes(
    mlflowAttributes(agentId, 'RETRIEVER', { query: 'capital of France' }, [{ page_content: 'Paris is the capital of France.', metadata: { doc_uri: 'wiki/Paris' } }]),
  );
  retrieve.setStatus({ code: SpanStatusCode.OK });
  retrieve.end(t0 + 250);
  const llm = child(agent, 'ChatOpenAI', t0 + 300);
  llm.setAttributes({
    ...mlflowAttributes(
      agentId,
      'CHAT_MODEL',
      { messages: [{ role: 'system', content: 'Answer briefly.' }, { role: 'user', content: 'What is the capital of France?' }] },
      { choices: [{ message: { role: 'assistant', content: 'Paris is the capital of France.' } }] },
    ),
    temperature: 0.2,
  });
  const tool = child(llm, 'get_weather', t0 + 600);
  tool.setAttributes(mlflowAttributes(agentId, 'TOOL', { city: 'Paris' }));
  tool.recordException({ name: 'ConnectionError', message: 'weather service unreachable', stack: 'Traceback (most recent call last):\n  File "tools.py", line 3' }, t0 + 639);
  tool.setStatus({ code: SpanStatusCode.ERROR, message: 'ConnectionError: weather service unreachable' });
  const toolSpanId = tool.spanContext().spanId;
  tool.end(t0 + 640);
  llm.setStatus({ code: SpanStatusCode.OK });
  llm.end(t0 + 1100);
  agent.setStatus({ code: SpanStatusCode.OK });
  agent.end(t0 + 1250);

  // A chain that failed.
  const failed = tracer.startSpan('summarize', { startTime: t0 + 60_000 });
  const failedId = traceIdOf(failed);
  failed.setAttributes(mlflowAttributes(failedId, 'CHAIN', { text: 'A very long document…' }));
  const parse = child(failed, 'parse_document', t0 + 60_005);
  parse.setAttributes(mlflowAttributes(failedId, 'PARSER', { bytes: 20480 }, { pages: 12 }));
  parse.setStatus({ code: SpanStatusCode.OK });
  parse.end(t0 + 60_300);
  failed.recordException({ name: 'ValueError', message: 'context window exceeded' }, t0 + 60_400);
  failed.setStatus({ code: SpanStatusCode.ERROR, message: 'ValueError: context window exceeded' });
  failed.end(t0 + 60_410);

  // A quick embedding call.
  const embed = tracer.startSpan('embed_documents', { startTime: t0 + 120_000 });
  const embedId = traceIdOf(embed);
  embed.setAttributes(mlflowAttributes(embedId, 'EMBEDDING', { texts: ['a', 'b'] }, [[0.1, 0.2], [0.3, 0.4]]));
  embed.setStatus({ code: SpanStatusCode.OK });
  embed.end(t0 + 120_030);

  await provider.forceFlush();
  await provider.shutdown();

  await call(baseUrl, 'PATCH', `traces/${agentId}/tags`, { key: 'environment', value: 'production' });
  await call(baseUrl, 'POST', `traces/${agentId}/assessments`, {
    assessment: {
      trace_id: agentId,
      assessment_name: 'correctness',
      source: { source_type: 'LLM_JUDGE', source_id: 'gpt-4o-judge' },
      feedback: { value: 'yes' },
      rationale: 'The answer names the capital correctly.',
    },
  });
  await call(baseUrl, 'POST', `traces/${agentId}/assessments`, {
    assessment: {
      trace_id: agentId,
      assessment_name: 'tool_ok',
      span_id: toolSpanId,
      source: { source_type: 'CODE', source_id: 'check_tools' },
      feedback: { value: false },
      rationale: 'The weather tool raised.',
    },
  });
  await call(baseUrl, 'POST', `traces/${agentId}/assessments`, {
    assessment: {
      trace_id: agentId,
      assessment_name: 'expected_answer',
      source: { source_type: 'HUMAN', source_id: 'ana@example.com' },
      expectation: { value: 'Paris' },
    },
  });

  return {
    agent: { traceId: agentId, name: 'chat_agent' },
    failed: { traceId: failedId, name: 'summarize' },
    embed: { traceId: embedId, name: 'embed_documents' },
    toolSpanId,
  };
};

/**
 * An agent loop of `steps` iterations (a chain with a chat model, a tool and a parser each): 1 + 4 × steps spans
 * in one trace, one tool failing, for the virtualized tree.
 */
export const seedLongTrace = async (baseUrl: string, experimentId: string, steps: number): Promise<{ traceId: string; failingStep: number }> => {
  const exporter = new OTLPTraceExporter({ url: `${baseUrl}/v1/traces`, headers: { 'x-mlflow-experiment-id': experimentId } });
  const provider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(exporter, { maxQueueSize: 8192, maxExportBatchSize: 1000 })] });
  const tracer = provider.getTracer('cairn-e2e');
  const t0 = Date.now() - 5 * 60_000;
  const failingStep = Math.floor(steps * 0.7);
  const root = tracer.startSpan('agent_loop', { startTime: t0 });
  const traceId = `tr-${root.spanContext().traceId}`;
  root.setAttributes(mlflowAttributes(traceId, 'AGENT', { goal: 'plan a trip' }, 'done'));
  const under = (parent: Span) => trace.setSpan(ROOT_CONTEXT, parent);
  for (let i = 0; i < steps; i++) {
    const start = t0 + i * 10;
    const step = tracer.startSpan(`step_${i}`, { startTime: start }, under(root));
    step.setAttributes(mlflowAttributes(traceId, 'CHAIN', { step: i }, { ok: i !== failingStep }));
    for (const [j, [name, type]] of [['think', 'CHAT_MODEL'], ['act', 'TOOL'], ['parse', 'PARSER']].entries()) {
      const child = tracer.startSpan(`${name}_${i}`, { startTime: start + j * 3 }, under(step));
      child.setAttributes(mlflowAttributes(traceId, type as string, { step: i }));
      if (type === 'TOOL' && i === failingStep) child.setStatus({ code: SpanStatusCode.ERROR, message: 'tool failed' });
      child.end(start + j * 3 + 2);
    }
    step.end(start + 9);
  }
  root.end(t0 + steps * 10);
  await provider.forceFlush();
  await provider.shutdown();
  return { traceId, failingStep };
};
