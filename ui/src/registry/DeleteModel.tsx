import { useState } from 'react';
import { navigate } from '../app/router';
import { InlineError } from '../components/InlineError';
import { useAction } from '../components/use-action';
import { deleteRegisteredModel } from './api';
import { modelsPath } from './paths';
import type { ModelVersion } from './types';

const ACTIVE_STAGES = new Set(['staging', 'production']);

/**
 * Deletes the model and all its versions, after a confirmation naming what goes. As in MLflow's UI, a model
 * with a version in Staging or Production is not deleted: move those versions out first.
 */
export const DeleteModel = ({ name, versions }: { name: string; versions: readonly ModelVersion[] }) => {
  const [confirming, setConfirming] = useState(false);
  const { busy, error, act } = useAction({ final: true });
  const active = versions.filter((v) => ACTIVE_STAGES.has((v.current_stage ?? '').toLowerCase()));

  const remove = () =>
    act(async () => {
      await deleteRegisteredModel(name);
      navigate(modelsPath());
    });

  return (
    <section aria-label="Delete model" className="stack">
      {!confirming ? (
        <div className="row">
          <button type="button" className="danger" disabled={active.length > 0} onClick={() => setConfirming(true)}>
            Delete model
          </button>
          {active.length > 0 && (
            <span className="muted small">
              Version{active.length > 1 ? 's' : ''} {active.map((v) => v.version).join(', ')} {active.length > 1 ? 'are' : 'is'} in Staging or Production: move{' '}
              {active.length > 1 ? 'them' : 'it'} out of those stages to delete the model.
            </span>
          )}
        </div>
      ) : (
        <div className="confirm-box" role="alertdialog" aria-labelledby="delete-model-title" aria-describedby="delete-model-text">
          <h3 id="delete-model-title">Delete {name}?</h3>
          <p id="delete-model-text">
            The model and its {versions.length} version{versions.length === 1 ? '' : 's'} are deleted for good, with their aliases and tags.
          </p>
          <div className="row">
            <button type="button" className="primary danger-fill" disabled={busy} onClick={() => void remove()}>
              Delete {name}
            </button>
            <button type="button" autoFocus onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </div>
        </div>
      )}
      <InlineError message={error} />
    </section>
  );
};
