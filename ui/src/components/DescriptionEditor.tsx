import { InlineError } from './InlineError';
import { InlineEditForm, InlineEditHead, useInlineEdit } from './inline-edit';

/** The description (`mlflow.note.content`): shown as text, edited in place, saved with the server's answer. */
export const DescriptionEditor = ({ value, onSave }: { value: string; onSave: (text: string) => Promise<unknown> }) => {
  const edit = useInlineEdit(value, onSave);

  return (
    <section aria-label="Description" className="description">
      <InlineEditHead edit={edit} title="Description" className="row" style={{ justifyContent: 'space-between' }} />
      {edit.editing ? (
        <InlineEditForm edit={edit} hint="Ctrl+Enter saves, Esc cancels">
          <textarea aria-label="Description text" rows={5} value={edit.draft} autoFocus onChange={(e) => edit.setDraft(e.target.value)} />
        </InlineEditForm>
      ) : value ? (
        <p className="description-text">{value}</p>
      ) : (
        <p className="muted">No description.</p>
      )}
      <InlineError message={edit.error} />
    </section>
  );
};
