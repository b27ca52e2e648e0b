import { Fragment, useMemo, useState } from 'react';
import { useAsync } from '../api/use-async';
import { ChartsPanel } from '../charts/ChartsPanel';
import { runColor } from '../charts/colors';
import type { ChartRun } from '../charts/LineChart';
import { metricKeysOf, runDisplayName, useRuns } from '../charts/use-runs';
import './compare.css';
import { compareRows, type CompareRow } from './model';
import { fetchMetricSummaries } from './summaries';

export interface CompareRunsPageProps {
  runIds: string[];
  experimentIds: string[];
}

/**
 * MLflow's compare-runs page (`/#/compare-runs?runs=[...]&experiments=[...]`): params, metrics (last, min,
 * max) and tags side by side with differences highlighted and an "only differences" switch, then the charts
 * of the compared runs.
 */
export const CompareRunsPage = ({ runIds, experimentIds }: CompareRunsPageProps) => {
  const ids = useMemo(() => [...new Set(runIds)], [runIds]);
  const runsState = useRuns(ids);
  const runs = runsState.data?.runs ?? [];
  const metricKeys = useMemo(() => metricKeysOf(runs), [runs]);
  const summaries = useAsync(
    (signal) => (runs.length && metricKeys.length ? fetchMetricSummaries(runs.map((r) => r.info.run_id), metricKeys, signal) : Promise.resolve(new Map())),
    [runs.map((r) => r.info.run_id).join(','), metricKeys.join('\u0000')],
  );
  const [onlyDiffs, setOnlyDiffs] = useState(false);
  const [systemTags, setSystemTags] = useState(false);
  const rows = useMemo(() => compareRows(runs, summaries.data ?? new Map(), { systemTags }), [runs, summaries.data, systemTags]);
  const shown = onlyDiffs ? rows.filter((r) => r.differs) : rows;
  const chartRuns = useMemo((): ChartRun[] => runs.map((run, i) => ({ runId: run.info.run_id, name: runDisplayName(run), color: runColor(i) })), [runs]);

  if (ids.length === 0) {
    return <p className="empty">No runs to compare. Select runs in an experiment and choose Compare.</p>;
  }
  if (runsState.error) return <p role="alert">Could not read the runs: {runsState.error.message}</p>;
  if (!runsState.data) return <p aria-busy="true">Loading {ids.length} runs…</p>;

  const runHref = (experimentId: string, runId: string) => `#/experiments/${encodeURIComponent(experimentId)}/runs/${encodeURIComponent(runId)}`;
  const sections = ['Run', 'Params', 'Metrics', 'Tags'] as const;
  return (
    <div className="cairn-compare">
      <header className="cairn-compare-header">
        <h1>
          Comparing {runs.length} runs
          {experimentIds.length ? <small> in experiment{experimentIds.length > 1 ? 's' : ''} {experimentIds.join(', ')}</small> : null}
        </h1>
        {runsState.data.missing.length ? (
          <p role="alert">Not found: {runsState.data.missing.join(', ')}</p>
        ) : null}
        <div className="cairn-compare-toolbar">
          <label>
            <input type="checkbox" checked={onlyDiffs} onChange={(e) => setOnlyDiffs(e.target.checked)} /> Only differences
          </label>
          <label>
            <input type="checkbox" checked={systemTags} onChange={(e) => setSystemTags(e.target.checked)} /> System tags (mlflow.*)
          </label>
          {summaries.loading ? <small>reading metric min/max…</small> : null}
          {summaries.error ? <small role="alert">min/max unavailable: {summaries.error.message}</small> : null}
        </div>
      </header>
      <div className="cairn-compare-scroll">
        <table className="cairn-compare-table">
          <thead>
            <tr>
              <th scope="col">Field</th>
              {runs.map((run, i) => (
                <th scope="col" key={run.info.run_id}>
                  <span className="swatch" style={{ background: runColor(i) }} aria-hidden="true" />
                  <a href={runHref(run.info.experiment_id, run.info.run_id)}>{runDisplayName(run)}</a>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {sections.map((section) => {
              const sectionRows = shown.filter((r) => r.section === section);
              if (sectionRows.length === 0) return null;
              return (
                <Fragment key={section}>
                  <tr className="section">
                    <th scope="rowgroup" colSpan={runs.length + 1}>
                      {section}
                    </th>
                  </tr>
                  {sectionRows.map((row) => (
                    <CompareTableRow key={row.key} row={row} />
                  ))}
                </Fragment>
              );
            })}
            {shown.length === 0 ? (
              <tr>
                <td colSpan={runs.length + 1}>These runs do not differ.</td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
      <h2>Charts</h2>
      <ChartsPanel runs={chartRuns} metricKeys={metricKeys} runDetails={runs} />
    </div>
  );
};

const CompareTableRow = ({ row }: { row: CompareRow }) => (
  <tr className={row.differs ? 'differs' : undefined}>
    <th scope="row" title={row.label}>
      {row.label}
    </th>
    {row.values.map((value, i) => (
      <td key={i} className={value === undefined ? 'missing' : undefined} title={value}>
        {value ?? '—'}
      </td>
    ))}
  </tr>
);
