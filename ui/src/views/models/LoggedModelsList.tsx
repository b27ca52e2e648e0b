import { searchLoggedModels } from '../../api/mlflow';
import { useAsync } from '../../api/use-async';
import { hrefFor, loggedModelPath, runPath } from '../../app/router';
import { formatNumber, formatTime } from '../runs/cells';

/** MLflow 3's logged models of an experiment, newest first, with their metrics. */
export const LoggedModelsList = ({ experimentId }: { experimentId: string }) => {
  const models = useAsync(() => searchLoggedModels([experimentId]), [experimentId]);
  if (models.error) return <div className="inline-error page-pad" role="alert">{models.error.message}</div>;
  const list = models.data?.models ?? [];
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
      <table className="kv">
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
                  <a href={hrefFor(runPath(experimentId, model.info.source_run_id))} className="mono">
                    {model.info.source_run_id.slice(0, 8)}
                  </a>
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
