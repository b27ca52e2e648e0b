import { useEffect, useRef, useState } from 'react';
import { createExperiment, deleteExperiment, renameExperiment, restoreExperiment, searchExperiments } from '../../api/mlflow';
import { useAsync } from '../../api/use-async';
import { experimentPath, hrefFor, navigate } from '../../app/router';
import { isTyping, listStep } from '../../app/keyboard';
import { formatTime } from '../runs/cells';
import { NOTE_TAG, tagValue, type Experiment } from '../../api/types';
import { experimentFilter } from './experiment-filter';

export default function ExperimentsPage({ search }: { search: URLSearchParams }) {
  const q = search.get('q') ?? '';
  const deleted = search.get('show') === 'deleted';
  const [draft, setDraft] = useState(q);
  const [active, setActive] = useState(0);
  const [newName, setNewName] = useState('');
  const [renaming, setRenaming] = useState<string>();
  const [actionError, setActionError] = useState<string>();
  const list = useAsync(
    () => searchExperiments({ filter: experimentFilter(q), viewType: deleted ? 'DELETED_ONLY' : 'ACTIVE_ONLY' }),
    [q, deleted],
  );
  const experiments = list.data?.experiments ?? [];
  const listRef = useRef<HTMLUListElement>(null);
  useEffect(() => setDraft(q), [q]);
  useEffect(() => {
    listRef.current?.querySelector<HTMLElement>(`[data-index="${active}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [active]);

  const setQuery = (next: Record<string, string | undefined>) => {
    const params = new URLSearchParams(search);
    for (const [key, value] of Object.entries(next)) (value ? params.set(key, value) : params.delete(key));
    navigate(hrefFor('/', params), { replace: true });
  };
  const act = async (fn: () => Promise<unknown>) => {
    setActionError(undefined);
    try {
      await fn();
      list.reload();
    } catch (reason) {
      setActionError(reason instanceof Error ? reason.message : String(reason));
    }
  };

  const onListKey = (event: React.KeyboardEvent) => {
    if (isTyping(event.target)) return;
    const next = listStep(event.key, active, experiments.length);
    if (next !== undefined) {
      event.preventDefault();
      setActive(next);
      listRef.current?.querySelector<HTMLElement>(`[data-index="${next}"] a`)?.focus();
    }
  };

  return (
    <div className="page-pad stack experiments-page">
      <div className="row">
        <h1>Experiments</h1>
        <span style={{ flex: 1 }} />
        <form
          className="row"
          onSubmit={(event) => {
            event.preventDefault();
            const name = newName.trim();
            if (name) void act(async () => {
              const created = await createExperiment(name);
              setNewName('');
              navigate(experimentPath(created.experiment_id));
            });
          }}
        >
          <input aria-label="New experiment name" placeholder="New experiment name" value={newName} onChange={(e) => setNewName(e.target.value)} />
          <button type="submit" className="primary" disabled={!newName.trim()}>
            Create
          </button>
        </form>
      </div>
      <div className="row">
        <input
          type="search"
          data-search
          aria-label="Search experiments"
          placeholder="Search by name, or tags.team = 'vision'   ( / )"
          style={{ flex: 1, minWidth: 260 }}
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') setQuery({ q: draft.trim() || undefined });
            if (e.key === 'ArrowDown') {
              e.preventDefault();
              listRef.current?.querySelector<HTMLElement>('[data-index="0"] a')?.focus();
              setActive(0);
            }
          }}
        />
        <div className="segmented" role="group" aria-label="Experiments shown">
          <button type="button" aria-pressed={!deleted} onClick={() => setQuery({ show: undefined })}>
            Active
          </button>
          <button type="button" aria-pressed={deleted} onClick={() => setQuery({ show: 'deleted' })}>
            Deleted
          </button>
        </div>
      </div>
      {list.error && <div className="inline-error" role="alert">{list.error.message}</div>}
      {actionError && <div className="inline-error" role="alert">{actionError}</div>}
      <ul className="list experiment-list" ref={listRef} aria-label="Experiments" onKeyDown={onListKey}>
        {list.loading && !list.data && [0, 1, 2].map((i) => <li key={i} className="experiment-item"><div className="skeleton" style={{ width: 240 }} /></li>)}
        {experiments.map((experiment, index) => (
          <ExperimentItem
            key={experiment.experiment_id}
            experiment={experiment}
            index={index}
            active={index === active}
            renaming={renaming === experiment.experiment_id}
            onFocus={() => setActive(index)}
            onRename={(name) => void act(async () => {
              if (name !== undefined && name.trim() && name.trim() !== experiment.name) await renameExperiment(experiment.experiment_id, name.trim());
              setRenaming(undefined);
            })}
            onStartRename={() => setRenaming(experiment.experiment_id)}
            onDelete={() => void act(() => deleteExperiment(experiment.experiment_id))}
            onRestore={() => void act(() => restoreExperiment(experiment.experiment_id))}
          />
        ))}
      </ul>
      {!list.loading && experiments.length === 0 && (
        <div className="empty">{q ? 'No experiment matches the search.' : deleted ? 'No deleted experiments.' : 'No experiments yet: create one above.'}</div>
      )}
    </div>
  );
}

const ExperimentItem = ({
  experiment,
  index,
  active,
  renaming,
  onFocus,
  onRename,
  onStartRename,
  onDelete,
  onRestore,
}: {
  experiment: Experiment;
  index: number;
  active: boolean;
  renaming: boolean;
  onFocus: () => void;
  onRename: (name: string | undefined) => void;
  onStartRename: () => void;
  onDelete: () => void;
  onRestore: () => void;
}) => {
  const [name, setName] = useState(experiment.name);
  const userTags = (experiment.tags ?? []).filter((t) => !t.key.startsWith('mlflow.'));
  const description = tagValue(experiment.tags, NOTE_TAG);
  return (
    <li data-index={index} className={`experiment-item${active ? ' active' : ''}`} onFocus={onFocus}>
      <div style={{ flex: 1, minWidth: 0 }}>
        {renaming ? (
          <form className="row" onSubmit={(e) => (e.preventDefault(), onRename(name))}>
            <input aria-label={`New name for ${experiment.name}`} value={name} autoFocus onChange={(e) => setName(e.target.value)} onKeyDown={(e) => e.key === 'Escape' && onRename(undefined)} />
            <button type="submit" className="primary">Save</button>
            <button type="button" onClick={() => onRename(undefined)}>Cancel</button>
          </form>
        ) : (
          <a href={hrefFor(experimentPath(experiment.experiment_id))} className="experiment-name">
            {experiment.name}
          </a>
        )}
        <div className="muted small one-line">
          ID {experiment.experiment_id}
          {experiment.last_update_time ? ` · updated ${formatTime(experiment.last_update_time)}` : ''}
          {userTags.length ? ` · ${userTags.map((t) => `${t.key}=${t.value}`).join(', ')}` : ''}
          {description ? ` · ${description}` : ''}
        </div>
      </div>
      {experiment.lifecycle_stage === 'deleted' ? (
        <button type="button" onClick={onRestore}>Restore</button>
      ) : (
        <>
          <button type="button" onClick={onStartRename} aria-label={`Rename ${experiment.name}`}>Rename</button>
          <button type="button" className="danger" onClick={onDelete} aria-label={`Delete ${experiment.name}`}>Delete</button>
        </>
      )}
    </li>
  );
};
