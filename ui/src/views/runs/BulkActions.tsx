import { useState } from 'react';
import { deleteRun, restoreRun, setRunTag } from '../../api/mlflow';
import type { Run } from '../../api/types';

export interface BulkResult {
  message: string;
  undo?: () => Promise<void>;
}

/** Delete, restore and tag the selected runs; failures are reported per run, next to the buttons. */
export const BulkActions = ({
  selected,
  lifecycle,
  onCompare,
  onDone,
  onPatch,
}: {
  selected: string[];
  lifecycle: 'active' | 'deleted';
  onCompare: () => void;
  onDone: (result: BulkResult) => void;
  onPatch: (update: (run: Run) => Run | undefined) => void;
}) => {
  const [tagging, setTagging] = useState(false);
  const [key, setKey] = useState('');
  const [value, setValue] = useState('');
  const [busy, setBusy] = useState(false);
  const count = selected.length;

  const run = async (label: string, act: (id: string) => Promise<unknown>) => {
    setBusy(true);
    const results = await Promise.allSettled(selected.map(act));
    setBusy(false);
    const failed = results.flatMap((r) => (r.status === 'rejected' ? [r.reason instanceof Error ? r.reason.message : String(r.reason)] : []));
    return { ok: count - failed.length, failed, label };
  };

  const describe = (r: { ok: number; failed: string[]; label: string }) =>
    `${r.label} ${r.ok} run${r.ok === 1 ? '' : 's'}${r.failed.length ? `; ${r.failed.length} failed: ${r.failed[0]}` : ''}`;

  const remove = async () => {
    const ids = new Set(selected);
    const result = await run('Deleted', deleteRun);
    onPatch((r) => (ids.has(r.info.run_id) ? undefined : r));
    onDone({ message: describe(result), undo: async () => void (await Promise.allSettled([...ids].map(restoreRun))) });
  };
  const restore = async () => {
    const ids = new Set(selected);
    const result = await run('Restored', restoreRun);
    onPatch((r) => (ids.has(r.info.run_id) ? undefined : r));
    onDone({ message: describe(result) });
  };
  const tag = async () => {
    if (!key.trim()) return;
    const ids = new Set(selected);
    const result = await run(`Tagged ${key.trim()}=${value} on`, (id) => setRunTag(id, key.trim(), value));
    onPatch((r) =>
      ids.has(r.info.run_id)
        ? { ...r, data: { ...r.data, tags: [...(r.data.tags ?? []).filter((t) => t.key !== key.trim()), { key: key.trim(), value }] } }
        : r,
    );
    setTagging(false);
    onDone({ message: describe(result) });
  };

  return (
    <div className="row bulk-actions" role="toolbar" aria-label="Selected runs">
      <span className="muted">{count ? `${count} selected` : 'Select runs to act on them'}</span>
      <button type="button" disabled={count < 2} onClick={onCompare} title="Compare (c)">
        Compare
      </button>
      {lifecycle === 'active' ? (
        <button type="button" className="danger" disabled={!count || busy} onClick={() => void remove()}>
          Delete
        </button>
      ) : (
        <button type="button" disabled={!count || busy} onClick={() => void restore()}>
          Restore
        </button>
      )}
      <button type="button" disabled={!count || busy} aria-expanded={tagging} onClick={() => setTagging((t) => !t)}>
        Tag…
      </button>
      {tagging && (
        <form
          className="row"
          onSubmit={(event) => {
            event.preventDefault();
            void tag();
          }}
        >
          <input aria-label="Tag key" placeholder="key" value={key} onChange={(e) => setKey(e.target.value)} autoFocus />
          <input aria-label="Tag value" placeholder="value" value={value} onChange={(e) => setValue(e.target.value)} />
          <button type="submit" className="primary" disabled={!key.trim() || busy}>
            Set tag
          </button>
        </form>
      )}
    </div>
  );
};
