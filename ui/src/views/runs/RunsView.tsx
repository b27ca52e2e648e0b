import { Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import { supportsMetricSummaries } from '../../api/mlflow';
import { ApiError } from '../../api/client';
import { comparePath, hrefFor, navigate, runPath } from '../../app/router';
import { orderByClause, parseRunsState, writeRunsState, type RunsViewState } from '../../app/url-state';
import { isTyping } from '../../app/keyboard';
import { ChartsPanel } from '../../app/extensions';
import { availableColumns, moveColumn, resizeColumn, resolveColumns, setAgg, setPinned, setVisible, stepColumn } from './column-model';
import { useColumnLayout } from './use-layout';
import { useRuns } from './use-runs';
import { buildRows } from './rows';
import { RunsTable } from './RunsTable';
import { FilterBox } from './FilterBox';
import { ColumnPicker } from './ColumnPicker';
import { BulkActions, type BulkResult } from './BulkActions';
import { downloadText, runName, runsToCsv } from './cells';
import type { HeaderActions } from './HeaderCell';
import { EmptyRuns } from './EmptyRuns';

/** One experiment's runs: filter, table or charts, selection and bulk actions; the URL holds the state. */
export const RunsView = ({ experimentId, basePath, search }: { experimentId: string; basePath: string; search: URLSearchParams }) => {
  const state = useMemo(() => parseRunsState(search), [search]);
  const setState = useCallback(
    (change: Partial<RunsViewState>, push = false) => navigate(hrefFor(basePath, writeRunsState({ ...state, ...change }, search)), { replace: !push }),
    [basePath, state, search],
  );
  const [summaries, setSummaries] = useState(false);
  useEffect(() => void supportsMetricSummaries().then(setSummaries), []);
  const { layout, update, reset } = useColumnLayout(experimentId);
  const wantsSummaries = summaries && ((state.sort?.agg ?? 'last') !== 'last' || Object.keys(layout.agg).length > 0);

  const query = useMemo(
    () => ({
      experimentIds: [experimentId],
      filter: state.filter,
      orderBy: orderByClause(state.sort && !summaries ? { ...state.sort, agg: 'last' } : state.sort),
      viewType: state.lifecycle === 'deleted' ? ('DELETED_ONLY' as const) : ('ACTIVE_ONLY' as const),
    }),
    [experimentId, state.filter, state.sort, state.lifecycle, summaries],
  );
  const data = useRuns(query, wantsSummaries);
  const [expanded, setExpanded] = useState<Set<string>>(new Set());
  const [notice, setNotice] = useState<BulkResult>();

  const keys = useMemo(() => {
    const metrics = new Set<string>();
    const params = new Set<string>();
    const tags = new Set<string>();
    for (const run of data.runs) {
      for (const m of run.data.metrics ?? []) metrics.add(m.key);
      for (const p of run.data.params ?? []) params.add(p.key);
      for (const t of run.data.tags ?? []) tags.add(t.key);
    }
    const hasDatasets = data.runs.some((r) => r.inputs?.dataset_inputs?.length);
    const hasModels = data.runs.some((r) => r.outputs?.model_outputs?.length);
    return { metrics: [...metrics], params: [...params], tags: [...tags], hasDatasets, hasModels };
  }, [data.runs]);
  const available = useMemo(() => availableColumns(keys), [keys]);
  const columns = useMemo(() => {
    const resolved = resolveColumns(available, layout);
    if (summaries) return resolved;
    // Without the server's min/max, metric cells show the last value whatever was chosen elsewhere.
    const last = (list: typeof resolved.pinned) => list.map((c) => ({ ...c, agg: 'last' as const }));
    return { pinned: last(resolved.pinned), scrolling: last(resolved.scrolling) };
  }, [available, layout, summaries]);
  const rows = useMemo(() => buildRows(data.runs, expanded), [data.runs, expanded]);
  const selected = useMemo(() => new Set(state.selected), [state.selected]);

  const actions: HeaderActions = useMemo(
    () => ({
      sort: (column, desc, agg) => setState({ sort: { columnId: column.id, desc, agg } }, true),
      agg: (column, agg) => update((l) => setAgg(l, column.id, agg)),
      pin: (column, pinned) => update((l) => setPinned(l, column.id, pinned)),
      step: (column, step) => update((l) => stepColumn(available, l, column.id, step)),
      hide: (column) => update((l) => setVisible(l, column, false)),
      resize: (column, width) => update((l) => resizeColumn(l, column.id, width)),
      drop: (id, beforeId) => update((l) => moveColumn(available, l, id, beforeId)),
    }),
    [available, setState, update],
  );

  const compare = () => {
    if (state.selected.length >= 2) navigate(comparePath(state.selected, [experimentId]));
  };
  const onKeyDown = (event: React.KeyboardEvent) => {
    if (isTyping(event.target) || event.metaKey || event.ctrlKey || event.altKey) return;
    if (event.key === 'c') compare();
  };
  const filterError = data.error instanceof ApiError && data.error.status < 500 && state.filter ? data.error.message : undefined;
  const otherError = data.error && !filterError ? data.error.message : undefined;
  const visibleColumns = [...columns.pinned, ...columns.scrolling];

  return (
    <div className="runs-view" onKeyDown={onKeyDown}>
      <FilterBox value={state.filter} keys={keys} error={filterError} onApply={(filter) => setState({ filter, selected: [] }, true)} />
      <div className="row toolbar">
        <div className="segmented" role="group" aria-label="Runs shown">
          <button type="button" aria-pressed={state.lifecycle === 'active'} onClick={() => setState({ lifecycle: 'active', selected: [] }, true)}>
            Active
          </button>
          <button type="button" aria-pressed={state.lifecycle === 'deleted'} onClick={() => setState({ lifecycle: 'deleted', selected: [] }, true)}>
            Deleted
          </button>
        </div>
        <div className="segmented" role="group" aria-label="View">
          <button type="button" aria-pressed={state.view === 'table'} onClick={() => setState({ view: 'table' }, true)}>
            Table
          </button>
          <button type="button" aria-pressed={state.view === 'charts'} onClick={() => setState({ view: 'charts' }, true)}>
            Charts
          </button>
        </div>
        <BulkActions
          selected={state.selected}
          lifecycle={state.lifecycle}
          onCompare={compare}
          onPatch={data.patch}
          onDone={(result) => {
            setNotice(result);
            setState({ selected: [] });
          }}
        />
        <span className="spacer" style={{ flex: 1 }} />
        <span className="muted small" aria-live="polite">
          {data.loading ? 'Loading…' : `${data.runs.length}${data.nextPageToken ? '+' : ''} runs`}
        </span>
        <button type="button" onClick={data.reload}>
          Refresh
        </button>
        <button type="button" disabled={!data.runs.length} onClick={() => downloadText(`runs-${experimentId}.csv`, runsToCsv(data.runs, visibleColumns))}>
          Export CSV
        </button>
        <ColumnPicker available={available} layout={layout} onToggle={(column, visible) => update((l) => setVisible(l, column, visible))} onReset={reset} />
      </div>
      {notice && (
        <div className="row notice" role="status">
          {notice.message}
          {notice.undo && (
            <button type="button" className="link" onClick={() => void notice.undo?.().then(() => (setNotice(undefined), data.reload()))}>
              Undo
            </button>
          )}
          <button type="button" className="link" aria-label="Dismiss" onClick={() => setNotice(undefined)}>
            ✕
          </button>
        </div>
      )}
      {otherError && <div className="inline-error" role="alert">{otherError}</div>}
      {!data.loading && !data.error && data.runs.length === 0 ? (
        <EmptyRuns experimentId={experimentId} filtered={!!state.filter || state.lifecycle === 'deleted'} />
      ) : state.view === 'charts' ? (
        <div className="charts-host">
          <Suspense fallback={<div className="muted">Loading charts…</div>}>
            <ChartsPanel
              experimentIds={[experimentId]}
              runIds={state.selected.length ? state.selected : data.runs.slice(0, 100).map((r) => r.info.run_id)}
              runNames={Object.fromEntries(data.runs.map((r) => [r.info.run_id, runName(r)]))}
              runDetails={data.runs}
            />
          </Suspense>
        </div>
      ) : (
        <RunsTable
          rows={rows}
          columns={columns}
          sort={state.sort}
          summaries={summaries}
          selected={selected}
          onSelectionChange={(ids) => setState({ selected: ids })}
          onOpen={(row) => navigate(runPath(row.run.info.experiment_id, row.run.info.run_id))}
          onToggleExpand={(id) =>
            setExpanded((current) => {
              const next = new Set(current);
              if (!next.delete(id)) next.add(id);
              return next;
            })
          }
          onEndReached={data.loadMore}
          actions={actions}
          footer={data.loadingMore ? 'Loading more runs…' : data.nextPageToken ? '' : data.runs.length > 100 ? 'All runs loaded' : ''}
        />
      )}
    </div>
  );
};
