import { useState } from 'react';
import { InlineError } from '../components/InlineError';
import { InlineEditForm, InlineEditHead, useInlineEdit } from '../components/inline-edit';
import { Markdown } from './Markdown';

/** A registry description: Markdown shown rendered, edited as text with a preview, saved with the server's answer. */
export const DescriptionField = ({ value, onSave }: { value: string; onSave: (text: string) => Promise<unknown> }) => {
  const [preview, setPreview] = useState(false);
  const edit = useInlineEdit(value, onSave, () => setPreview(false));

  return (
    <section aria-label="Description" className="description">
      <InlineEditHead edit={edit} title="Description" className="row section-head" />
      {edit.editing ? (
        <InlineEditForm edit={edit} hint="Markdown · Ctrl+Enter saves, Esc cancels">
          <div className="segmented" role="group" aria-label="Description view">
            <button type="button" aria-pressed={!preview} onClick={() => setPreview(false)}>
              Write
            </button>
            <button type="button" aria-pressed={preview} onClick={() => setPreview(true)}>
              Preview
            </button>
          </div>
          {preview ? (
            <div className="card markdown-preview">{edit.draft.trim() ? <Markdown source={edit.draft} /> : <p className="muted">Nothing to preview.</p>}</div>
          ) : (
            <textarea aria-label="Description text" rows={6} value={edit.draft} autoFocus onChange={(e) => edit.setDraft(e.target.value)} />
          )}
        </InlineEditForm>
      ) : value.trim() ? (
        <Markdown source={value} />
      ) : (
        <p className="muted">No description.</p>
      )}
      <InlineError message={edit.error} />
    </section>
  );
};
