import { useState } from 'react';
import type { LoggedModel, Run } from '../../api/types';
import { hrefFor, runPath } from '../../app/router';
import { formatNumber, runName } from '../runs/cells';

type ModelMetric = NonNullable<NonNullable<LoggedModel['data']>['metrics']>[number];

const matches = (metric: ModelMetric, query: string) =>
  [metric.key, metric.dataset_name, metric.dataset_digest].some((text) => text?.toLowerCase().includes(query));

/**
 * A logged model's metrics as MLflow lists them: one row per metric, dataset and step, with the run that logged
 * it (named when it is the source run, which the page has read already).
 */
export const LoggedModelMetrics = ({ model, sourceRun }: { model: LoggedModel; sourceRun: Run | undefined }) => {
  const [query, setQuery] = useState('');
  const metrics = model.data?.metrics ?? [];
  const withRuns = metrics.some((m) => m.run_id);
  const shown = metrics
    .filter((m) => matches(m, query.toLowerCase()))
    .sort((a, b) => a.key.localeCompare(b.key) || (a.dataset_name ?? '').localeCompare(b.dataset_name ?? '') || (a.step ?? 0) - (b.step ?? 0));
  const runCell = (runId: string | undefined) => {
    if (!runId) return '—';
    const name = sourceRun?.info.run_id === runId ? runName(sourceRun) : undefined;
    return (
      <a href={hrefFor(runPath(model.info.experiment_id, runId))} title={runId} className={name ? undefined : 'mono'}>
        {name ?? runId.slice(0, 8)}
      </a>
    );
  };
  return (
    <section aria-label="Metrics">
      <div className="row" style={{ justifyContent: 'space-between' }}>
        <h2>
          Metrics <span className="muted small">({metrics.length})</span>
        </h2>
        {metrics.length > 12 && <input type="search" aria-label="Filter metrics" placeholder="Filter…" value={query} onChange={(e) => setQuery(e.target.value)} />}
      </div>
      <table className="kv" aria-label="Logged model metrics">
        {metrics.length > 0 && (
          <thead>
            <tr>
              <th scope="col">Metric</th>
              <th scope="col">Dataset</th>
              <th scope="col">Step</th>
              <th scope="col">Value</th>
              {withRuns && <th scope="col">Run</th>}
            </tr>
          </thead>
        )}
        <tbody>
          {shown.map((m, index) => (
            <tr key={`${m.key}/${m.dataset_name ?? ''}/${m.dataset_digest ?? ''}/${m.step ?? ''}/${m.run_id ?? ''}/${index}`}>
              <td className="mono">{m.key}</td>
              <td title={m.dataset_digest ? `digest ${m.dataset_digest}` : undefined}>{m.dataset_name || '—'}</td>
              <td>{m.step ?? 0}</td>
              <td className="mono" title={String(m.value)}>{formatNumber(m.value)}</td>
              {withRuns && <td>{runCell(m.run_id)}</td>}
            </tr>
          ))}
          {metrics.length === 0 && (
            <tr>
              <td className="muted">None</td>
            </tr>
          )}
        </tbody>
      </table>
    </section>
  );
};
