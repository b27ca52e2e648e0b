import { useEffect, useState, type CSSProperties, type ReactNode } from 'react';
import { useAction } from './use-action';

/**
 * A text edited in place: the draft follows the saved value until editing starts, and is saved with the
 * server's answer (editing ends only when the save succeeds).
 */
export const useInlineEdit = (value: string, onSave: (text: string) => Promise<unknown>, onSaved?: () => void) => {
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(value);
  const { busy, error, act } = useAction();
  useEffect(() => {
    if (!editing) setDraft(value);
  }, [value, editing]);
  const save = async () => {
    if (!(await act(() => onSave(draft)))) return;
    setEditing(false);
    onSaved?.();
  };
  return { editing, setEditing, draft, setDraft, busy, error, save };
};

export type InlineEdit = ReturnType<typeof useInlineEdit>;

/** The edit form: Save / Cancel, Ctrl+Enter saves and Esc cancels anywhere in it. */
export const InlineEditForm = ({ edit, hint, children }: { edit: InlineEdit; hint: string; children: ReactNode }) => (
  <form
    onSubmit={(event) => {
      event.preventDefault();
      void edit.save();
    }}
    onKeyDown={(event) => {
      if (event.key === 'Escape') edit.setEditing(false);
      if (event.key === 'Enter' && (event.metaKey || event.ctrlKey)) void edit.save();
    }}
  >
    {children}
    <div className="row" style={{ marginTop: 6 }}>
      <button type="submit" className="primary" disabled={edit.busy}>
        Save
      </button>
      <button type="button" onClick={() => edit.setEditing(false)}>
        Cancel
      </button>
      <span className="muted small">{hint}</span>
    </div>
  </form>
);

/** The section's heading with its Edit button, hidden while editing. */
export const InlineEditHead = ({ edit, title, className, style }: { edit: InlineEdit; title: string; className: string; style?: CSSProperties }) => (
  <div className={className} style={style}>
    <h2>{title}</h2>
    {!edit.editing && (
      <button type="button" onClick={() => edit.setEditing(true)}>
        Edit {title.toLowerCase()}
      </button>
    )}
  </div>
);
