import { searchLoggedModels, searchRuns } from '../../api/mlflow';
import type { Run } from '../../api/types';
import { useAsync } from '../../api/use-async';
import { hrefFor, loggedModelPath, runPath } from '../../app/router';
import { formatNumber, formatTime, runName } from '../runs/cells';

/**
 * The source runs of one page of models, read with a single search (`run_id IN (...)`) rather than a read per
 * row. Deleted runs are asked for too: a model keeps naming the run it came from. Run ids are hex; one that
 * could not be quoted in the filter is left out and shows its id.
 */
const readSourceRuns = (experimentId: string, runIds: readonly string[], signal: AbortSignal): Promise<Map<string, Run>> => {
  const quotable = runIds.filter((id) => !id.includes("'"));
  if (quotable.length === 0) return Promise.resolve(new Map());
  return searchRuns(
    {
      experimentIds: [experimentId],
      filter: `attributes.run_id IN (${quotable.map((id) => `'${id}'`).join(', ')})`,
      viewType: 'ALL',
      maxResults: quotable.length,
    },
    signal,
  ).then((page) => new Map((page.runs ?? []).map((run) => [run.info.run_id, run])));
};

/** The run a model was logged from, by its name as the runs table shows it; its short id until read, or when it cannot be. */
const SourceRunLink = ({ experimentId, runId, run }: { experimentId: string; runId: string; run: Run | undefined }) => {
  const name = run ? runName(run) : undefined;
  return (
    <a href={hrefFor(runPath(experimentId, runId))} title={runId} className={name ? undefined : 'mono'}>
      {name ?? runId.slice(0, 8)}
    </a>
  );
};

/** MLflow 3's logged models of an experiment, newest first, with their metrics. */
export const LoggedModelsList = ({ experimentId }: { experimentId: string }) => {
  const models = useAsync(() => searchLoggedModels([experimentId]), [experimentId]);
  const list = models.data?.models ?? [];
  const runIds = [...new Set(list.flatMap((model) => (model.info.source_run_id ? [model.info.source_run_id] : [])))].sort();
  // Keyed by the ids, not the list, so a page with the same runs is not read again; a failed read only costs the names.
  const sourceRuns = useAsync((signal) => readSourceRuns(experimentId, runIds, signal), [experimentId, runIds.join(',')]);
  if (models.error) return <div className="inline-error page-pad" role="alert">{models.error.message}</div>;
  if (!models.loading && list.length === 0)
    return (
      <div className="empty">
        <h2>No logged models</h2>
        <p>
          Models logged with <code>mlflow.&lt;flavor&gt;.log_model(...)</code> (MLflow 3) appear here.
        </p>
      </div>
    );
  return (
    <div className="page-pad">
      <table className="kv" aria-label="Logged models">
        <thead>
          <tr>
            <th>Name</th>
            <th>Created</th>
            <th>Status</th>
            <th>Source run</th>
            <th>Metrics</th>
          </tr>
        </thead>
        <tbody>
          {list.map((model) => (
            <tr key={model.info.model_id}>
              <td>
                <a href={hrefFor(loggedModelPath(experimentId, model.info.model_id))}>{model.info.name}</a>
                <div className="muted small mono">{model.info.model_id}</div>
              </td>
              <td>{formatTime(model.info.creation_timestamp_ms)}</td>
              <td>{model.info.status}</td>
              <td>
                {model.info.source_run_id && (
                  <SourceRunLink experimentId={experimentId} runId={model.info.source_run_id} run={sourceRuns.data?.get(model.info.source_run_id)} />
                )}
              </td>
              <td className="small">
                {(model.data?.metrics ?? [])
                  .slice(0, 6)
                  .map((m) => `${m.key}=${formatNumber(m.value)}`)
                  .join(', ')}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
};
