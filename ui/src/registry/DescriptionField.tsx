import { useEffect, useState } from 'react';
import { Markdown } from './Markdown';

/** A registry description: Markdown shown rendered, edited as text with a preview, saved with the server's answer. */
export const DescriptionField = ({ value, onSave }: { value: string; onSave: (text: string) => Promise<unknown> }) => {
  const [editing, setEditing] = useState(false);
  const [preview, setPreview] = useState(false);
  const [draft, setDraft] = useState(value);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (!editing) setDraft(value);
  }, [value, editing]);

  const save = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await onSave(draft);
      setEditing(false);
      setPreview(false);
    } catch (reason) {
      setError(reason instanceof Error ? reason.message : String(reason));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-label="Description" className="description">
      <div className="row section-head">
        <h2>Description</h2>
        {!editing && (
          <button type="button" onClick={() => setEditing(true)}>
            Edit description
          </button>
        )}
      </div>
      {editing ? (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            void save();
          }}
          onKeyDown={(event) => {
            if (event.key === 'Escape') setEditing(false);
            if (event.key === 'Enter' && (event.metaKey || event.ctrlKey)) void save();
          }}
        >
          <div className="segmented" role="group" aria-label="Description view">
            <button type="button" aria-pressed={!preview} onClick={() => setPreview(false)}>
              Write
            </button>
            <button type="button" aria-pressed={preview} onClick={() => setPreview(true)}>
              Preview
            </button>
          </div>
          {preview ? (
            <div className="card markdown-preview">{draft.trim() ? <Markdown source={draft} /> : <p className="muted">Nothing to preview.</p>}</div>
          ) : (
            <textarea aria-label="Description text" rows={6} value={draft} autoFocus onChange={(e) => setDraft(e.target.value)} />
          )}
          <div className="row" style={{ marginTop: 6 }}>
            <button type="submit" className="primary" disabled={busy}>
              Save
            </button>
            <button type="button" onClick={() => setEditing(false)}>
              Cancel
            </button>
            <span className="muted small">Markdown · Ctrl+Enter saves, Esc cancels</span>
          </div>
        </form>
      ) : value.trim() ? (
        <Markdown source={value} />
      ) : (
        <p className="muted">No description.</p>
      )}
      {error && (
        <div className="inline-error" role="alert">
          {error}
        </div>
      )}
    </section>
  );
};
