import { useState } from 'react';
import { hrefFor } from '../app/router';
import { InlineError } from '../components/InlineError';
import { useAction } from '../components/use-action';
import { parseTriggers } from './model-facts';
import { versionPath } from './paths';
import { POLICY_TAGS, type RegisteredModel } from './types';

/**
 * The version's aliases: remove one, or set a new one here. An alias names one version, so setting an alias
 * another version holds moves it; the form says so, and says when the model's deployment policy deploys on it.
 */
export const AliasEditor = ({
  model,
  version,
  onSet,
  onDelete,
}: {
  model: RegisteredModel;
  version: string;
  onSet: (alias: string) => Promise<unknown>;
  onDelete: (alias: string) => Promise<unknown>;
}) => {
  const [draft, setDraft] = useState('');
  const { busy, error, act } = useAction();
  const all = model.aliases ?? [];
  const own = all.filter((a) => a.version === version).map((a) => a.alias).sort();
  const alias = draft.trim().replace(/^@/, '');
  const elsewhere = all.find((a) => a.alias === alias && a.version !== version);
  const deploys = alias && parseTriggers(model.tags?.find((t) => t.key === POLICY_TAGS.triggers)?.value).aliases.includes(alias);

  return (
    <div className="alias-editor stack">
      <ul className="list-plain chips" aria-label="Aliases of this version">
        {own.map((name) => (
          <li key={name} className="alias-chip alias-removable">
            @{name}
            <button type="button" className="link" disabled={busy} aria-label={`Remove alias ${name}`} onClick={() => void act(() => onDelete(name))}>
              ✕
            </button>
          </li>
        ))}
        {own.length === 0 && <li className="muted">No alias</li>}
      </ul>
      <form
        className="row"
        onSubmit={(event) => {
          event.preventDefault();
          if (alias) void act(() => onSet(alias)).then((ok) => ok && setDraft(''));
        }}
      >
        <input aria-label="New alias" placeholder="alias, e.g. champion" value={draft} onChange={(e) => setDraft(e.target.value)} />
        <button type="submit" disabled={busy || !alias || own.includes(alias)}>
          Set alias
        </button>
      </form>
      {elsewhere && (
        <div className="small muted" role="status">
          @{alias} is on <a href={hrefFor(versionPath(model.name, elsewhere.version))}>version {elsewhere.version}</a>: setting it here moves it.
        </div>
      )}
      {deploys && (
        <div className="small notice" role="status">
          The model's deployment policy deploys on @{alias}: setting it starts a deployment of this version.
        </div>
      )}
      <InlineError message={error} />
    </div>
  );
};
