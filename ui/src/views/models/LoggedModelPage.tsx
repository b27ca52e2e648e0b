import { useMemo } from 'react';
import { getLoggedModel, proxiedArtifactPath } from '../../api/mlflow';
import { useAsync } from '../../api/use-async';
import { experimentPath, hrefFor, loggedModelPath, runPath } from '../../app/router';
import { formatNumber, formatTime } from '../runs/cells';
import { KeyValueTable } from '../run/KeyValueTable';
import { ArtifactBrowser } from '../artifacts/ArtifactBrowser';
import { proxiedArtifacts } from '../artifacts/sources';

/**
 * The artifacts of a logged model: its root is an `mlflow-artifacts:` URI in Cairn's store, read through the
 * proxied artifact service (Cairn has no MLflow 3 `logged-models/<id>/artifacts` routes). A root elsewhere is
 * the client's own storage, which the server cannot read.
 */
const ModelArtifacts = ({ experimentId, modelId, artifactUri, selected }: { experimentId: string; modelId: string; artifactUri: string | undefined; selected: string | undefined }) => {
  const root = proxiedArtifactPath(artifactUri);
  const source = useMemo(
    () => (root === undefined ? undefined : proxiedArtifacts(root, (path) => loggedModelPath(experimentId, modelId, path))),
    [root, experimentId, modelId],
  );
  return (
    <section aria-label="Artifacts" className="stack">
      <h2>Artifacts</h2>
      {source ? (
        <ArtifactBrowser key={source.key} source={source} selected={selected} />
      ) : (
        <p className="muted">
          Stored at <code>{artifactUri ?? '(no location)'}</code>, outside Cairn's artifact store: read them with the client's own credentials.
        </p>
      )}
    </section>
  );
};

export default function LoggedModelPage({ experimentId, modelId, artifactPath }: { experimentId: string; modelId: string; artifactPath: string | undefined }) {
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
              <tr><th scope="row">Artifact location</th><td className="mono">{info.artifact_uri}</td></tr>
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
          <ModelArtifacts experimentId={experimentId} modelId={modelId} artifactUri={info.artifact_uri} selected={artifactPath || undefined} />
        </>
      )}
    </div>
  );
}
