import { useCallback, useEffect, useMemo, useState } from 'react';
import { getExperiment } from '../api/mlflow';
import { useAsync } from '../api/use-async';
import { experimentPath, hrefFor, navigate, runPath } from '../app/router';
import { formatTime } from '../views/runs/cells';
import { KeyValueTable } from '../views/run/KeyValueTable';
import { getTrace } from './api';
import { AssessmentList } from './AssessmentList';
import { StateBadge } from './Badges';
import { currentAssessments, durationMs, formatSpanDuration, oneLine, requestTimeMs, SESSION_KEY, SOURCE_RUN_KEY, stateOf, tokenUsage, traceName } from './format';
import { tracePath, tracesPath } from './paths';
import { SpanDetail, type DetailTab } from './SpanDetail';
import { SpanTimeline } from './SpanTimeline';
import { readSpans, spanIdText } from './span-read';
import { selectionAfterSearch, shownSelection } from './selection';
import { ancestorsOf, buildTree, searchSpans, timeRange, visibleRows } from './spans';
import type { Trace } from './types';
import './traces.css';

const LIVE_MS = 5000;
const TABS = new Set<DetailTab>(['io', 'attributes', 'events', 'assessments']);

const Facts = ({ trace, experimentId, spanCount }: { trace: Trace; experimentId: string; spanCount: number }) => {
  const { info } = trace;
  const tokens = tokenUsage(info);
  const run = info.trace_metadata?.[SOURCE_RUN_KEY];
  const session = info.trace_metadata?.[SESSION_KEY];
  return (
    <dl className="trace-facts small">
      <div>
        <dt>Request time</dt>
        <dd>{formatTime(requestTimeMs(info)) || '—'}</dd>
      </div>
      <div>
        <dt>Duration</dt>
        <dd>{formatSpanDuration(durationMs(info)) || '—'}</dd>
      </div>
      <div>
        <dt>Spans</dt>
        <dd>{spanCount}</dd>
      </div>
      {tokens?.total !== undefined && (
        <div>
          <dt>Tokens</dt>
          <dd>
            {tokens.total}
            {tokens.input !== undefined && tokens.output !== undefined && <span className="muted"> ({tokens.input} in, {tokens.output} out)</span>}
          </dd>
        </div>
      )}
      {run && (
        <div>
          <dt>Run</dt>
          <dd>
            <a className="mono" href={hrefFor(runPath(experimentId, run))}>
              {run.slice(0, 8)}
            </a>
          </dd>
        </div>
      )}
      {session && (
        <div>
          <dt>Session</dt>
          <dd className="mono">{session}</dd>
        </div>
      )}
    </dl>
  );
};

/**
 * One trace: its span tree beside the timeline, the selected span's inputs, outputs, attributes and events,
 * and the trace's assessments, tags and metadata. The selected span and detail tab live in the URL.
 */
interface TracePageProps {
  experimentId: string;
  traceId: string;
  search: URLSearchParams;
}

/** Another trace is another view: folded branches and the span search start afresh. */
export default function TracePage(props: TracePageProps) {
  return <TraceView key={props.traceId} {...props} />;
}

function TraceView({ experimentId, traceId, search }: TracePageProps) {
  const trace = useAsync((signal) => getTrace(traceId, signal), [traceId]);
  const experiment = useAsync(() => getExperiment(experimentId), [experimentId]);
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const [query, setQuery] = useState('');
  const data = trace.data;
  const state = data ? stateOf(data.info) : undefined;

  // A trace still running is read again every few seconds, only while the tab is visible.
  useEffect(() => {
    if (state !== 'IN_PROGRESS') return;
    const timer = setInterval(() => document.visibilityState === 'visible' && trace.reload(), LIVE_MS);
    return () => clearInterval(timer);
  }, [state, trace]);

  const spans = useMemo(() => readSpans(data?.spans ?? []), [data]);
  const roots = useMemo(() => buildTree(spans), [spans]);
  const range = useMemo(() => timeRange(spans), [spans]);
  const assessments = useMemo(() => data?.info.assessments ?? [], [data]);
  const byId = useMemo(() => new Map(spans.map((span) => [span.id, span])), [spans]);
  const assessedSpans = useMemo(() => {
    const counts = new Map<string, number>();
    for (const assessment of currentAssessments(assessments)) {
      const id = spanIdText(assessment.span_id);
      if (id) counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    return counts;
  }, [assessments]);

  const found = useMemo(() => searchSpans(spans, query), [spans, query]);
  const rows = useMemo(() => visibleRows(roots, collapsed, found?.shown), [roots, collapsed, found]);
  const wanted = byId.has(search.get('span') ?? '') ? (search.get('span') ?? undefined) : roots[0]?.span.id;
  const selectedId = shownSelection(wanted, rows, found?.matches, (id) => byId.get(id)?.parentId);
  const selected = selectedId === undefined ? undefined : byId.get(selectedId);
  const tabParam = search.get('tab') as DetailTab | null;
  const tab: DetailTab = tabParam && TABS.has(tabParam) ? tabParam : 'io';
  const base = tracePath(experimentId, traceId);

  const setUrl = useCallback(
    (span: string | undefined, nextTab: DetailTab) => {
      const params = new URLSearchParams();
      if (span && span !== roots[0]?.span.id) params.set('span', span);
      if (nextTab !== 'io') params.set('tab', nextTab);
      navigate(hrefFor(base, params), { replace: true });
    },
    [base, roots],
  );
  const select = useCallback(
    (id: string) => {
      // A span picked elsewhere (an assessment's link) opens the branches above it, and ends a search hiding it.
      const above = ancestorsOf(spans, id);
      if (above.some((a) => collapsed.has(a))) setCollapsed((c) => new Set([...c].filter((x) => !above.includes(x))));
      if (found && !found.shown.has(id)) setQuery('');
      setUrl(id, tab);
    },
    [spans, collapsed, found, setUrl, tab],
  );
  // The selection follows the search in the same update, so the detail pane never shows a span the tree hides.
  const onQuery = useCallback(
    (text: string) => {
      setQuery(text);
      const next = searchSpans(spans, text);
      const picked = selectionAfterSearch(selectedId, visibleRows(roots, collapsed, next?.shown), next?.matches);
      if (picked !== undefined && picked !== selectedId) setUrl(picked, tab);
    },
    [spans, roots, collapsed, selectedId, setUrl, tab],
  );
  const toggle = useCallback((id: string, open?: boolean) => {
    setCollapsed((current) => {
      const next = new Set(current);
      const willOpen = open ?? next.has(id);
      if (willOpen) next.delete(id);
      else next.add(id);
      return next;
    });
  }, []);

  const name = data ? (traceName(data.info) ?? roots[0]?.span.name ?? traceId) : traceId;
  const spanAssessments = selected ? currentAssessments(assessments).filter((a) => spanIdText(a.span_id) === selected.id) : [];
  const tags = Object.entries(data?.info.tags ?? {});
  const metadata = Object.entries(data?.info.trace_metadata ?? {});

  useEffect(() => {
    document.title = `${name} · Trace · Cairn`;
  }, [name]);

  return (
    <div className="page-pad stack trace-page">
      <div className="row small">
        <a href={hrefFor(experimentPath(experimentId))}>{experiment.data?.name ?? `Experiment ${experimentId}`}</a>
        <span className="muted">/</span>
        <a href={hrefFor(tracesPath(experimentId))}>Traces</a>
      </div>
      <div className="row trace-title">
        <h1>{name}</h1>
        {state && <StateBadge state={state} />}
        <span className="muted small mono">{traceId}</span>
        <button type="button" className="link small" onClick={() => void navigator.clipboard?.writeText(traceId)}>
          Copy id
        </button>
        <span style={{ flex: 1 }} />
        <button type="button" onClick={trace.reload} disabled={trace.loading}>
          Refresh
        </button>
      </div>
      {trace.error && (
        <div className="inline-error" role="alert">
          {trace.error.message}
        </div>
      )}
      {!data && trace.loading && <div className="muted">Loading trace…</div>}
      {data && (
        <>
          <Facts trace={data} experimentId={experimentId} spanCount={spans.length} />
          {spans.length === 0 ? (
            <div className="card stack">
              <p className="muted">{state === 'IN_PROGRESS' ? 'The trace is still running; its spans appear as they arrive.' : 'This trace has no spans stored.'}</p>
              {data.info.request_preview && <p className="mono small">Request: {oneLine(data.info.request_preview)}</p>}
              {data.info.response_preview && <p className="mono small">Response: {oneLine(data.info.response_preview)}</p>}
            </div>
          ) : (
            <div className="trace-main">
              <SpanTimeline
                roots={roots}
                rows={rows}
                matches={found?.matches}
                query={query}
                spans={spans}
                range={range}
                selectedId={selectedId}
                assessedSpans={assessedSpans}
                onQuery={onQuery}
                onSelect={select}
                onToggle={toggle}
              />
              {selected ? (
                <SpanDetail span={selected} range={range} tab={tab} onTab={(next) => setUrl(selectedId, next)} assessments={spanAssessments} />
              ) : (
                <div className="span-detail span-detail-empty">
                  <h2>No span selected</h2>
                  <p className="muted">No span matches “{query.trim()}”. Change or clear the search to see a span here.</p>
                </div>
              )}
            </div>
          )}
          <div className="trace-sections">
            <section aria-label="Assessments">
              <h2>
                Assessments <span className="muted small">({currentAssessments(assessments).length})</span>
              </h2>
              <AssessmentList assessments={assessments} spanName={(id) => byId.get(id)?.name} onSpan={select} />
            </section>
            <KeyValueTable title="Tags" rows={tags} />
            <KeyValueTable title="Metadata" rows={metadata} />
          </div>
        </>
      )}
    </div>
  );
}
