import { useEffect, useMemo, useRef, useState } from 'react';
import { ApiError } from '../api/client';
import { useAsync } from '../api/use-async';
import { useLiveReload } from '../app/live-reload';
import { useRowKeys } from '../app/row-keys';
import { hrefFor, navigate } from '../app/router';
import { Pager, usePageTokens } from '../components/Pager';
import { SortHeader } from '../components/SortHeader';
import { formatTime } from '../views/runs/cells';
import { searchTraces } from './api';
import { AssessmentChips, StateBadge, TagChips } from './Badges';
import { durationMs, formatSpanDuration, oneLine, requestTimeMs, stateOf, traceIdOf, traceName, userTags } from './format';
import { MLFLOW_TRACE_PARAM, tracePath, tracesPath } from './paths';
import { TraceFilter } from './TraceFilter';
import { orderBy, parseTracesState, serverFilter, writeTracesState, type Since, type SortKey, type TracesListState } from './url-state';
import './traces.css';

export const PAGE_SIZE = 50;

/** `tr-` and the first 8 hex digits: enough to tell traces apart on a page; the full id is in the title. */
const shortId = (id: string) => (id.length > 14 ? `${id.slice(0, 11)}…` : id);
const LIVE_MS = 5000;

const QUICK_STATES: { value: TracesListState['state']; label: string }[] = [
  { value: 'ALL', label: 'All' },
  { value: 'OK', label: 'OK' },
  { value: 'ERROR', label: 'Error' },
  { value: 'IN_PROGRESS', label: 'In progress' },
];

const SINCE_OPTIONS: { value: Since; label: string }[] = [
  { value: '', label: 'Any time' },
  { value: '1h', label: 'Last hour' },
  { value: '24h', label: 'Last 24 hours' },
  { value: '7d', label: 'Last 7 days' },
  { value: '30d', label: 'Last 30 days' },
];

const EmptyTraces = ({ filtered }: { filtered: boolean }) =>
  filtered ? (
    <div className="empty">
      <h2>No trace matches</h2>
      <p>Change or clear the filter.</p>
    </div>
  ) : (
    <div className="empty">
      <h2>No traces yet</h2>
      <p>Traces of GenAI apps logged to this experiment appear here, for example:</p>
      <pre>{`import mlflow
mlflow.set_tracking_uri("${window.location.origin}")
mlflow.set_experiment(experiment_id="<this experiment>")

@mlflow.trace
def answer(question: str) -> str:
    ...`}</pre>
      <p>OpenTelemetry exporters can send spans to <code>/v1/traces</code> with the header <code>x-mlflow-experiment-id</code>.</p>
    </div>
  );

/**
 * The Traces tab: MLflow's trace search over this experiment, its state in the URL (filter, state chip,
 * sort, page), one row per trace linking to the trace view.
 */
export const TracesList = ({ experimentId, search }: { experimentId: string; search: URLSearchParams }) => {
  const state = parseTracesState(search);
  // "Last hour" means the hour before the chip was chosen or the list refreshed, not before every render.
  const [refreshed, setRefreshed] = useState(0);
  const nowMs = useMemo(() => Date.now(), [state.since, refreshed]); // eslint-disable-line react-hooks/exhaustive-deps
  const filter = serverFilter(state, nowMs);
  const order = orderBy(state.sort).join();
  const base = tracesPath(experimentId);
  const body = useRef<HTMLTableSectionElement>(null);
  useRowKeys(body, 'td.trace-id-cell > a');

  // MLflow's links open a trace in the list's query; Cairn gives the trace its own page.
  const linked = search.get(MLFLOW_TRACE_PARAM);
  useEffect(() => {
    if (linked) navigate(hrefFor(tracePath(experimentId, linked)), { replace: true });
  }, [linked, experimentId]);

  const traces = useAsync(
    (signal) => searchTraces({ experimentId, filter, orderBy: [order], pageToken: state.page, maxResults: PAGE_SIZE }, signal),
    [experimentId, filter, order, state.page],
  );

  const update = (change: Partial<TracesListState>, push = false) =>
    navigate(hrefFor(base, writeTracesState({ ...state, page: '', ...change })), { replace: !push });
  const onSort = (key: SortKey) => update({ sort: { key, desc: state.sort.key === key ? !state.sort.desc : true } });

  // While a trace on the page still runs, the page is read again every few seconds (tab visible only).
  const live = (traces.data?.traces ?? []).some((info) => stateOf(info) === 'IN_PROGRESS');
  useLiveReload(live, traces.reload, LIVE_MS);

  const filterError = traces.error instanceof ApiError && traces.error.status === 400 ? traces.error.message : undefined;
  const rows = traces.data?.traces ?? [];
  const pages = usePageTokens(state.page, traces.data?.nextPageToken, (page) => update({ page }, true));

  return (
    <div className="traces-view">
      <div className="traces-toolbar row">
        <TraceFilter value={state.filter} error={filterError} onApply={(text) => update({ filter: text })} />
        <div className="segmented" role="group" aria-label="Trace state">
          {QUICK_STATES.map((quick) => (
            <button key={quick.value} type="button" aria-pressed={state.state === quick.value} onClick={() => update({ state: quick.value })}>
              {quick.label}
            </button>
          ))}
        </div>
        <select aria-label="Request time" value={state.since} onChange={(event) => update({ since: event.target.value as Since })}>
          {SINCE_OPTIONS.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
        <button
          type="button"
          onClick={() => {
            if (state.since) setRefreshed((n) => n + 1);
            else traces.reload();
          }}
          disabled={traces.loading}
        >
          Refresh
        </button>
      </div>
      {traces.error && !filterError && (
        <div className="inline-error" role="alert">
          {traces.error.message}
        </div>
      )}
      {!traces.loading && !traces.error && rows.length === 0 ? (
        <EmptyTraces filtered={Boolean(filter) || Boolean(state.page)} />
      ) : (
        <div className="traces-table-wrap" aria-busy={traces.loading}>
          <table className="traces-table">
            <caption className="visually-hidden">Traces of the experiment</caption>
            <thead>
              <tr>
                <th scope="col">Trace</th>
                <th scope="col">Request</th>
                <th scope="col">Response</th>
                <SortHeader label="Request time" sortKey="timestamp_ms" sort={state.sort} onSort={onSort} />
                <th scope="col">State</th>
                <SortHeader label="Duration" sortKey="execution_time_ms" sort={state.sort} onSort={onSort} />
                <th scope="col">Tags</th>
                <th scope="col">Assessments</th>
              </tr>
            </thead>
            <tbody ref={body}>
              {rows.map((info) => {
                const id = traceIdOf(info);
                const href = hrefFor(tracePath(experimentId, id));
                return (
                  <tr key={id} className="trace-row" onClick={(event) => !(event.target as HTMLElement).closest('a,button') && navigate(href)}>
                    <td className="trace-id-cell">
                      <a href={href}>{traceName(info) ?? id}</a>
                      {traceName(info) && (
                        <div className="muted small mono" title={id}>
                          {shortId(id)}
                        </div>
                      )}
                    </td>
                    <td className="preview mono" title={info.request_preview}>
                      {oneLine(info.request_preview)}
                    </td>
                    <td className="preview mono" title={info.response_preview}>
                      {oneLine(info.response_preview)}
                    </td>
                    <td className="nowrap">{formatTime(requestTimeMs(info))}</td>
                    <td>
                      <StateBadge state={stateOf(info)} />
                    </td>
                    <td className="nowrap num">{formatSpanDuration(durationMs(info))}</td>
                    <td>
                      <TagChips tags={userTags(info.tags)} />
                    </td>
                    <td>
                      <AssessmentChips assessments={info.assessments} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <Pager pages={pages} count={rows.length} noun="traces" />
    </div>
  );
};
