import type { Assessment, RawSpan, TraceInfo } from './types';

/**
 * Test fixtures in the wire forms MLflow 3.6 answers with: TraceInfoV3 JSON, spans as OTLP proto JSON
 * (`traces/get`) and as MLflow 3 span dicts (`traces.json`, the artifact fallback). One agent trace: a
 * retriever, a chat model, and a tool that failed with an exception.
 */
export const TRACE_ID = 'tr-0af7651916cd43dd8448eb211c80319c';

const T0 = 1_735_000_000_000_000_000n; // ns
const ns = (ms: number) => String(T0 + BigInt(Math.round(ms * 1e6)));

/** Span ids as proto JSON writes bytes (base64) and as hex. */
export const IDS = {
  root: { b64: 'AAAAAAAAAAE=', hex: '0000000000000001' },
  retrieve: { b64: 'AAAAAAAAAAI=', hex: '0000000000000002' },
  llm: { b64: 'AAAAAAAAAAM=', hex: '0000000000000003' },
  tool: { b64: 'AAAAAAAAAAQ=', hex: '0000000000000004' },
};

const str = (value: unknown) => ({ string_value: JSON.stringify(value) });

export const ASSESSMENTS: Assessment[] = [
  {
    assessment_id: 'a-1',
    assessment_name: 'correctness',
    trace_id: TRACE_ID,
    source: { source_type: 'LLM_JUDGE', source_id: 'gpt-4o-judge' },
    create_time: '2024-12-24T00:00:05Z',
    last_update_time: '2024-12-24T00:00:05Z',
    feedback: { value: 'yes' },
    rationale: 'The answer names the capital correctly.',
  },
  {
    assessment_id: 'a-2',
    assessment_name: 'expected_answer',
    trace_id: TRACE_ID,
    source: { source_type: 'HUMAN', source_id: 'ana@example.com' },
    create_time: '2024-12-24T00:00:06Z',
    expectation: { value: 'Paris' },
  },
  {
    assessment_id: 'a-3',
    assessment_name: 'tool_ok',
    trace_id: TRACE_ID,
    span_id: IDS.tool.hex,
    source: { source_type: 'CODE', source_id: 'check_tools' },
    create_time: '2024-12-24T00:00:07Z',
    feedback: { value: false },
    rationale: 'The weather tool raised.',
  },
];

export const TRACE_INFO: TraceInfo = {
  trace_id: TRACE_ID,
  trace_location: { type: 'MLFLOW_EXPERIMENT', mlflow_experiment: { experiment_id: '7' } },
  request_preview: '{"question": "What is the capital of France?"}',
  response_preview: '"Paris is the capital of France."',
  request_time: '2024-12-24T00:00:00Z',
  execution_duration: '1.250s',
  state: 'ERROR',
  trace_metadata: { 'mlflow.sourceRun': 'run0123456789', 'mlflow.trace.tokenUsage': '{"input_tokens": 30, "output_tokens": 12, "total_tokens": 42}' },
  tags: { 'mlflow.traceName': 'chat_agent', environment: 'test' },
  assessments: ASSESSMENTS,
};

const MESSAGES = [
  { role: 'system', content: 'Answer briefly.' },
  { role: 'user', content: 'What is the capital of France?' },
];

/** Spans as `traces/get` sends them: OTLP proto JSON, snake_case, attributes as key-value lists. */
export const OTLP_SPANS: RawSpan[] = [
  {
    trace_id: 'CvdlGRbNQ92ESOshHIAxnA==',
    span_id: IDS.root.b64,
    name: 'chat_agent',
    start_time_unix_nano: ns(0),
    end_time_unix_nano: ns(1250),
    attributes: [
      { key: 'mlflow.spanType', value: str('AGENT') },
      { key: 'mlflow.spanInputs', value: str({ question: 'What is the capital of France?' }) },
      { key: 'mlflow.spanOutputs', value: str('Paris is the capital of France.') },
      { key: 'mlflow.traceRequestId', value: str(TRACE_ID) },
    ],
    status: { code: 'STATUS_CODE_OK' },
  },
  {
    span_id: IDS.llm.b64,
    parent_span_id: IDS.root.b64,
    name: 'ChatOpenAI',
    start_time_unix_nano: ns(300),
    end_time_unix_nano: ns(1100),
    attributes: [
      { key: 'mlflow.spanType', value: str('CHAT_MODEL') },
      { key: 'mlflow.spanInputs', value: str({ messages: MESSAGES }) },
      { key: 'mlflow.spanOutputs', value: str({ choices: [{ message: { role: 'assistant', content: 'Paris is the capital of France.' } }] }) },
      { key: 'temperature', value: { double_value: 0.2 } },
      { key: 'max_tokens', value: { int_value: '256' } },
    ],
    status: { code: 'STATUS_CODE_OK' },
  },
  {
    span_id: IDS.retrieve.b64,
    parent_span_id: IDS.root.b64,
    name: 'retrieve',
    start_time_unix_nano: ns(10),
    end_time_unix_nano: ns(250),
    attributes: [
      { key: 'mlflow.spanType', value: str('RETRIEVER') },
      { key: 'mlflow.spanInputs', value: str({ query: 'capital of France' }) },
      { key: 'mlflow.spanOutputs', value: str([{ page_content: 'Paris is the capital and largest city of France.', metadata: { doc_uri: 'wiki/Paris' } }]) },
    ],
    status: { code: 'STATUS_CODE_OK' },
  },
  {
    span_id: IDS.tool.b64,
    parent_span_id: IDS.llm.b64,
    name: 'get_weather',
    start_time_unix_nano: ns(600),
    end_time_unix_nano: ns(640),
    attributes: [
      { key: 'mlflow.spanType', value: str('TOOL') },
      { key: 'mlflow.spanInputs', value: str({ city: 'Paris' }) },
    ],
    status: { code: 'STATUS_CODE_ERROR', message: 'ConnectionError: weather service unreachable' },
    events: [
      {
        name: 'exception',
        time_unix_nano: ns(639),
        attributes: [
          { key: 'exception.type', value: { string_value: 'ConnectionError' } },
          { key: 'exception.message', value: { string_value: 'weather service unreachable' } },
          { key: 'exception.stacktrace', value: { string_value: 'Traceback (most recent call last):\n  File "tools.py", line 3' } },
        ],
      },
    ],
  },
];

/** The same spans as MLflow 3's `traces.json` writes them: attributes an object of JSON-encoded strings. */
export const DICT_SPANS: RawSpan[] = OTLP_SPANS.map((span) => ({
  ...span,
  attributes: Object.fromEntries(
    (span.attributes as { key: string; value: Record<string, unknown> }[]).map(({ key, value }) => [
      key,
      value.string_value ?? JSON.stringify(value.double_value ?? Number(value.int_value)),
    ]),
  ),
  status: { code: (span.status as { code: string }).code.replace('STATUS_CODE_', ''), message: (span.status as { message?: string }).message ?? '' },
  events: ((span.events as { name: string; time_unix_nano: string; attributes: { key: string; value: { string_value: string } }[] }[] | undefined) ?? []).map(
    (event) => ({ ...event, attributes: Object.fromEntries(event.attributes.map(({ key, value }) => [key, JSON.stringify(value.string_value)])) }),
  ),
}));
