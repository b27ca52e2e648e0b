import { useState } from 'react';
import { InlineError } from '../components/InlineError';
import { useAction } from '../components/use-action';
import { STAGES } from './types';

/**
 * MLflow's legacy stage change: the target stage, and for Staging or Production whether the versions already
 * there move to Archived (`archive_existing_versions`).
 */
export const StageTransition = ({ current, onTransition }: { current: string; onTransition: (stage: string, archiveExisting: boolean) => Promise<unknown> }) => {
  const options = STAGES.filter((stage) => stage.toLowerCase() !== current.toLowerCase());
  const [target, setTarget] = useState<string>(options[0] ?? 'None');
  const [archive, setArchive] = useState(false);
  const { busy, error, act } = useAction();
  const stage = options.includes(target as never) ? target : (options[0] ?? 'None');
  const canArchive = stage === 'Staging' || stage === 'Production';

  return (
    <form
      className="stage-form stack"
      onSubmit={(event) => {
        event.preventDefault();
        void act(() => onTransition(stage, canArchive && archive)).then((ok) => ok && setArchive(false));
      }}
    >
      <div className="row">
        <select aria-label="New stage" value={stage} onChange={(e) => setTarget(e.target.value)}>
          {options.map((option) => (
            <option key={option} value={option}>
              {option}
            </option>
          ))}
        </select>
        <label className="small">
          <input type="checkbox" checked={canArchive && archive} disabled={!canArchive} onChange={(e) => setArchive(e.target.checked)} /> Archive the versions now in{' '}
          {canArchive ? stage : 'that stage'}
        </label>
        <button type="submit" disabled={busy}>
          Move to {stage}
        </button>
      </div>
      <InlineError message={error} />
    </form>
  );
};
