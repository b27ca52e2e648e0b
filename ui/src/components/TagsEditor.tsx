import { useState } from 'react';
import type { KeyValue } from '../api/types';
import { InlineError } from './InlineError';
import { useAction } from './use-action';

/** Tags with add and remove; system tags (`mlflow.*`) are hidden unless asked for, as in MLflow. */
export const TagsEditor = ({
  tags,
  onSet,
  onDelete,
  label = 'Tags',
}: {
  tags: readonly KeyValue[];
  onSet: (key: string, value: string) => Promise<unknown>;
  onDelete: (key: string) => Promise<unknown>;
  label?: string;
}) => {
  const [showSystem, setShowSystem] = useState(false);
  const [key, setKey] = useState('');
  const [value, setValue] = useState('');
  const { busy, error, act } = useAction();
  const shown = tags.filter((t) => showSystem || !t.key.startsWith('mlflow.')).sort((a, b) => a.key.localeCompare(b.key));
  const hiddenCount = tags.length - tags.filter((t) => !t.key.startsWith('mlflow.')).length;

  return (
    <section aria-label={label}>
      <div className="row" style={{ justifyContent: 'space-between' }}>
        <h2>{label}</h2>
        {hiddenCount > 0 && (
          <label className="small muted">
            <input type="checkbox" checked={showSystem} onChange={(e) => setShowSystem(e.target.checked)} /> show {hiddenCount} system tags
          </label>
        )}
      </div>
      <table className="kv">
        <tbody>
          {shown.map((tag) => (
            <tr key={tag.key}>
              <th scope="row" className="mono">{tag.key}</th>
              <td className="mono">{tag.value}</td>
              <td style={{ width: 1 }}>
                <button type="button" className="link danger" disabled={busy} aria-label={`Remove tag ${tag.key}`} onClick={() => void act(() => onDelete(tag.key))}>
                  ✕
                </button>
              </td>
            </tr>
          ))}
          {shown.length === 0 && (
            <tr>
              <td className="muted" colSpan={3}>
                No tags
              </td>
            </tr>
          )}
        </tbody>
      </table>
      <form
        className="row"
        style={{ marginTop: 8 }}
        onSubmit={(event) => {
          event.preventDefault();
          if (!key.trim()) return;
          void act(() => onSet(key.trim(), value)).then((ok) => ok && (setKey(''), setValue('')));
        }}
      >
        <input aria-label="New tag key" placeholder="key" value={key} onChange={(e) => setKey(e.target.value)} />
        <input aria-label="New tag value" placeholder="value" value={value} onChange={(e) => setValue(e.target.value)} />
        <button type="submit" disabled={busy || !key.trim()}>
          Add tag
        </button>
      </form>
      <InlineError message={error} />
    </section>
  );
};
