import type { Assessment, TraceInfo, TraceState } from './types';

/** Trace metadata and tag keys MLflow writes (mlflow/tracing/constant.py). */
export const TRACE_NAME_TAG = 'mlflow.traceName';
export const SOURCE_RUN_KEY = 'mlflow.sourceRun';
export const TOKEN_USAGE_KEY = 'mlflow.trace.tokenUsage';
export const SESSION_KEY = 'mlflow.trace.session';
export const USER_KEY = 'mlflow.trace.user';

export const traceIdOf = (info: TraceInfo): string => info.trace_id || info.request_id || '';

/** A proto Duration in JSON ("1.5s", "0.000250s") in milliseconds; v2's execution_time_ms as the fallback. */
export const durationMs = (info: Pick<TraceInfo, 'execution_duration' | 'execution_time_ms'>): number | undefined => {
  const match = info.execution_duration ? /^(-?\d+(?:\.\d+)?)s$/.exec(info.execution_duration) : null;
  if (match) return Number(match[1]) * 1000;
  return typeof info.execution_time_ms === 'number' ? info.execution_time_ms : undefined;
};

/** The request time (RFC 3339 in v3, epoch milliseconds in v2) in epoch milliseconds. */
export const requestTimeMs = (info: Pick<TraceInfo, 'request_time' | 'timestamp_ms'>): number | undefined => {
  if (info.request_time) {
    const ms = Date.parse(info.request_time);
    if (!Number.isNaN(ms)) return ms;
  }
  return typeof info.timestamp_ms === 'number' ? info.timestamp_ms : undefined;
};

export const stateOf = (info: Pick<TraceInfo, 'state' | 'status'>): TraceState => {
  const state = info.state ?? info.status;
  return state === 'OK' || state === 'ERROR' || state === 'IN_PROGRESS' ? state : 'STATE_UNSPECIFIED';
};

export const STATE_LABEL: Record<TraceState, string> = { OK: 'OK', ERROR: 'Error', IN_PROGRESS: 'In progress', STATE_UNSPECIFIED: 'Unknown' };

/** A short duration for trace and span times: sub-millisecond precision where it matters. */
export const formatSpanDuration = (ms: number | undefined): string => {
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) return '';
  if (ms < 1) return `${Math.round(ms * 1000)} µs`;
  if (ms < 10) return `${Number(ms.toFixed(2))} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${Number(s.toFixed(s < 10 ? 2 : 1))} s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m} min ${Math.round(s % 60)} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
};

export const traceName = (info: TraceInfo): string | undefined => info.tags?.[TRACE_NAME_TAG] || undefined;

/** Token counts MLflow aggregates into the trace metadata (`{"input_tokens", "output_tokens", "total_tokens"}`). */
export const tokenUsage = (info: TraceInfo): { input?: number; output?: number; total?: number } | undefined => {
  const text = info.trace_metadata?.[TOKEN_USAGE_KEY];
  if (!text) return undefined;
  try {
    const usage = JSON.parse(text) as Record<string, unknown>;
    const num = (key: string) => (typeof usage[key] === 'number' ? usage[key] : undefined);
    return { input: num('input_tokens'), output: num('output_tokens'), total: num('total_tokens') };
  } catch {
    return undefined;
  }
};

/** Tags the user set, without MLflow's own bookkeeping (`mlflow.*`), which has its own places on the page. */
export const userTags = (tags: Record<string, string> | undefined): [string, string][] =>
  Object.entries(tags ?? {})
    .filter(([key]) => !key.startsWith('mlflow.'))
    .sort(([a], [b]) => a.localeCompare(b));

/** An assessment's value: feedback value, expectation value, or a serialized expectation read back. */
export const assessmentValue = (assessment: Assessment): unknown => {
  if (assessment.feedback) return assessment.feedback.value;
  const expectation = assessment.expectation;
  if (!expectation) return undefined;
  if (expectation.serialized_value?.value !== undefined) {
    try {
      return JSON.parse(expectation.serialized_value.value) as unknown;
    } catch {
      return expectation.serialized_value.value;
    }
  }
  return expectation.value;
};

export const valueText = (value: unknown): string => {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toPrecision(4).replace(/\.?0+$/, '');
  return JSON.stringify(value);
};

export type Verdict = 'pass' | 'fail' | 'error' | 'neutral';

/** How a feedback reads at a glance: yes/true/pass green, no/false/fail red, an error as an error. */
export const verdictOf = (assessment: Assessment): Verdict => {
  if (assessment.feedback?.error) return 'error';
  const value = assessmentValue(assessment);
  if (value === true) return 'pass';
  if (value === false) return 'fail';
  if (typeof value === 'string') {
    const word = value.trim().toLowerCase();
    if (['yes', 'pass', 'passed', 'true', 'correct', 'good'].includes(word)) return 'pass';
    if (['no', 'fail', 'failed', 'false', 'incorrect', 'bad'].includes(word)) return 'fail';
  }
  return 'neutral';
};

/** Assessments that still count: an overridden one (`valid: false`) is history, shown only on the trace. */
export const currentAssessments = (assessments: readonly Assessment[] | undefined): Assessment[] =>
  (assessments ?? []).filter((a) => a.valid !== false);

/** A compact summary per assessment name (by name) for the list: the value of a single one, or how many passed. */
export const assessmentSummary = (assessments: readonly Assessment[] | undefined): { name: string; text: string; verdict: Verdict }[] => {
  const groups = new Map<string, Assessment[]>();
  for (const assessment of currentAssessments(assessments)) {
    const list = groups.get(assessment.assessment_name) ?? [];
    list.push(assessment);
    groups.set(assessment.assessment_name, list);
  }
  return [...groups].sort(([a], [b]) => a.localeCompare(b)).map(([name, list]) => {
    const [first] = list;
    if (list.length === 1 && first) {
      return { name, text: first.feedback?.error ? 'error' : valueText(assessmentValue(first)), verdict: verdictOf(first) };
    }
    const verdicts = list.map(verdictOf);
    const passed = verdicts.filter((v) => v === 'pass').length;
    const failed = verdicts.filter((v) => v === 'fail').length;
    if (passed + failed === list.length) return { name, text: `${passed}/${list.length} pass`, verdict: failed === 0 ? 'pass' : 'fail' };
    return { name, text: `${list.length} values`, verdict: 'neutral' };
  });
};

export const SOURCE_LABEL: Record<string, string> = { HUMAN: 'Human', LLM_JUDGE: 'LLM judge', CODE: 'Code' };

/** A preview on one line: MLflow's previews are JSON, whitespace runs folded. */
export const oneLine = (text: string | undefined): string => (text ?? '').replace(/\s+/g, ' ').trim();
