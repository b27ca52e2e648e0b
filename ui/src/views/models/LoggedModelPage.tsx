import { getLoggedModel } from '../../api/mlflow';
import { useAsync } from '../../api/use-async';
import { experimentPath, hrefFor, runPath } from '../../app/router';
import { formatNumber, formatTime } from '../runs/cells';
import { KeyValueTable } from '../run/KeyValueTable';

export default function LoggedModelPage({ experimentId, modelId }: { experimentId: string; modelId: string }) {
  const model = useAsync(() => getLoggedModel(modelId), [modelId]);
  const info = model.data?.info;
  return (
    <div className="page-pad stack">
      <div className="row small">
        <a href={hrefFor(experimentPath(experimentId))}>Experiment {experimentId}</a>
        <span className="muted">/</span>
        <a href={hrefFor(`${experimentPath(experimentId)}/models`)}>Logged models</a>
      </div>
      <h1>{info?.name ?? '\u00a0'}</h1>
      {model.error && <div className="inline-error" role="alert">{model.error.message}</div>}
      {info && (
        <>
          <table className="kv overview">
            <tbody>
              <tr><th scope="row">Model ID</th><td className="mono">{info.model_id}</td></tr>
              <tr><th scope="row">Status</th><td>{info.status}{info.status_message ? ` (${info.status_message})` : ''}</td></tr>
              <tr><th scope="row">Created</th><td>{formatTime(info.creation_timestamp_ms)}</td></tr>
              <tr><th scope="row">Type</th><td>{info.model_type ?? ''}</td></tr>
              <tr>
                <th scope="row">Source run</th>
                <td>{info.source_run_id ? <a href={hrefFor(runPath(info.experiment_id, info.source_run_id))} className="mono">{info.source_run_id}</a> : '—'}</td>
              </tr>
              <tr><th scope="row">Artifacts</th><td className="mono">{info.artifact_uri}</td></tr>
            </tbody>
          </table>
          <div className="two-col">
            <KeyValueTable title="Parameters" rows={(model.data?.data?.params ?? []).map((p) => [p.key, p.value])} />
            <KeyValueTable
              title="Metrics"
              rows={(model.data?.data?.metrics ?? []).map((m) => [`${m.key}${m.dataset_name ? ` (${m.dataset_name})` : ''}`, formatNumber(m.value)])}
            />
          </div>
          <KeyValueTable title="Tags" rows={(info.tags ?? []).map((t) => [t.key, t.value])} />
        </>
      )}
    </div>
  );
}
