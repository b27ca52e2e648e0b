import { useEffect, useState } from 'react';

/** The description (`mlflow.note.content`): shown as text, edited in place, saved with the server's answer. */
export const DescriptionEditor = ({ value, onSave }: { value: string; onSave: (text: string) => Promise<unknown> }) => {
  const [editing, setEditing] = useState(false);
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
    } catch (reason) {
      setError(reason instanceof Error ? reason.message : String(reason));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-label="Description" className="description">
      <div className="row" style={{ justifyContent: 'space-between' }}>
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
          <textarea aria-label="Description text" rows={5} value={draft} autoFocus onChange={(e) => setDraft(e.target.value)} />
          <div className="row" style={{ marginTop: 6 }}>
            <button type="submit" className="primary" disabled={busy}>
              Save
            </button>
            <button type="button" onClick={() => setEditing(false)}>
              Cancel
            </button>
            <span className="muted small">Ctrl+Enter saves, Esc cancels</span>
          </div>
        </form>
      ) : value ? (
        <p className="description-text">{value}</p>
      ) : (
        <p className="muted">No description.</p>
      )}
      {error && <div className="inline-error" role="alert">{error}</div>}
    </section>
  );
};
