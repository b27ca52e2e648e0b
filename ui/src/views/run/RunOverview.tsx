import { searchRuns } from '../../api/mlflow';
import { useAsync } from '../../api/use-async';
import { PARENT_TAG, tagValue, type Run } from '../../api/types';
import { hrefFor, runPath } from '../../app/router';
import { formatDuration, formatTime, runDuration, runName } from '../runs/cells';

const GIT_TAG = 'mlflow.source.git.commit';

/** Status, times, who and where, parent and children. */
export const RunOverview = ({ run }: { run: Run }) => {
  const { info } = run;
  const tags = run.data.tags;
  const parent = tagValue(tags, PARENT_TAG);
  const children = useAsync(
    (signal) =>
      searchRuns({ experimentIds: [info.experiment_id], filter: `tags.\`${PARENT_TAG}\` = '${info.run_id}'`, maxResults: 50 }, signal).then((page) => page.runs ?? []),
    [info.run_id, info.experiment_id],
  );
  const commit = tagValue(tags, GIT_TAG);
  const repo = tagValue(tags, 'mlflow.source.git.repoURL');
  const rows: [string, React.ReactNode][] = [
    ['Run ID', <span className="mono">{info.run_id}</span>],
    ['Status', <span className={`badge ${info.status}`}>{info.status}</span>],
    ['Started', formatTime(info.start_time)],
    ['Ended', formatTime(info.end_time) || (info.status === 'RUNNING' ? 'running' : '—')],
    ['Duration', formatDuration(runDuration(run)) || '—'],
    ['User', info.user_id || tagValue(tags, 'mlflow.user') || '—'],
    ['Source', <span className="mono">{tagValue(tags, 'mlflow.source.name') ?? '—'}{tagValue(tags, 'mlflow.source.type') ? ` (${tagValue(tags, 'mlflow.source.type')})` : ''}</span>],
    ['Git commit', commit ? <span className="mono" title={repo}>{commit}</span> : '—'],
    ['Parent run', parent ? <a href={hrefFor(runPath(info.experiment_id, parent))} className="mono">{parent}</a> : '—'],
    [
      'Child runs',
      children.data?.length ? (
        <span className="row">
          {children.data.map((child) => (
            <a key={child.info.run_id} href={hrefFor(runPath(child.info.experiment_id, child.info.run_id))}>
              {runName(child)}
            </a>
          ))}
        </span>
      ) : children.loading ? '…' : '—',
    ],
    ['Lifecycle', info.lifecycle_stage],
    ['Artifact URI', <span className="mono small">{info.artifact_uri}</span>],
  ];
  return (
    <table className="kv overview" aria-label="Run overview">
      <tbody>
        {rows.map(([label, value]) => (
          <tr key={label}>
            <th scope="row" style={{ width: 130 }}>{label}</th>
            <td>{value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
};
