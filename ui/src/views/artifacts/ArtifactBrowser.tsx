import { useCallback, useEffect, useState } from 'react';
import type { FileInfo } from '../../api/types';
import { hrefFor, navigate } from '../../app/router';
import { listStep } from '../../app/keyboard';
import { Preview } from './Preview';
import { downloadArtifact } from './fetch-head';
import { formatBytes } from './format';
import type { ArtifactSource } from './sources';

const parentsOf = (path: string) => {
  const parts = path.split('/');
  return parts.slice(0, -1).map((_, i) => parts.slice(0, i + 1).join('/'));
};

/** A run's or logged model's artifacts: a lazily listed tree, the selected file (from the URL) previewed beside it. */
export const ArtifactBrowser = ({ source, selected }: { source: ArtifactSource; selected: string | undefined }) => {
  const [listings, setListings] = useState<Record<string, FileInfo[] | Error>>({});
  const [expanded, setExpanded] = useState<Set<string>>(() => new Set(selected ? parentsOf(selected) : []));
  const [downloadError, setDownloadError] = useState<string>();

  const load = useCallback(
    (dir: string) => {
      if (listings[dir]) return;
      source.list(dir).then(
        (files) => setListings((current) => ({ ...current, [dir]: files.sort((a, b) => Number(b.is_dir) - Number(a.is_dir) || a.path.localeCompare(b.path)) })),
        (error: unknown) => setListings((current) => ({ ...current, [dir]: error instanceof Error ? error : new Error(String(error)) })),
      );
    },
    [listings, source],
  );
  useEffect(() => load(''), [load]);
  useEffect(() => {
    for (const dir of expanded) load(dir);
  }, [expanded, load]);
  useEffect(() => {
    if (selected) setExpanded((current) => new Set([...current, ...parentsOf(selected)]));
  }, [selected]);

  const flat: { file: FileInfo; depth: number }[] = [];
  const walk = (dir: string, depth: number) => {
    const files = listings[dir];
    if (!Array.isArray(files)) return;
    for (const file of files) {
      flat.push({ file, depth });
      if (file.is_dir && expanded.has(file.path)) walk(file.path, depth + 1);
    }
  };
  walk('', 0);
  const root = listings[''];
  const selectedFile = flat.find((f) => f.file.path === selected)?.file;

  const open = (file: FileInfo) => {
    if (file.is_dir) {
      setExpanded((current) => {
        const next = new Set(current);
        if (!next.delete(file.path)) next.add(file.path);
        return next;
      });
    } else navigate(source.route(file.path), { replace: true });
  };
  const onKeyDown = (event: React.KeyboardEvent<HTMLUListElement>) => {
    const items = [...event.currentTarget.querySelectorAll<HTMLButtonElement>('button.tree-item')];
    const at = items.indexOf(document.activeElement as HTMLButtonElement);
    const next = listStep(event.key, Math.max(0, at), items.length);
    if (next !== undefined) {
      event.preventDefault();
      items[next]?.focus();
    }
  };

  if (root instanceof Error) return <div className="inline-error" role="alert">{root.message}</div>;
  if (Array.isArray(root) && root.length === 0)
    return <div className="empty">No artifacts. Log some with <code>mlflow.log_artifact(path)</code>.</div>;
  return (
    <div className="artifact-browser">
      <ul className="tree" aria-label="Artifact files" onKeyDown={onKeyDown}>
        {!root && <li className="muted">Loading…</li>}
        {flat.map(({ file, depth }) => (
          <li key={file.path}>
            <button
              type="button"
              className={`tree-item${file.path === selected ? ' current' : ''}`}
              style={{ paddingLeft: 8 + depth * 14 }}
              aria-expanded={file.is_dir ? expanded.has(file.path) : undefined}
              aria-current={file.path === selected ? 'true' : undefined}
              onClick={() => open(file)}
            >
              <span aria-hidden="true">{file.is_dir ? (expanded.has(file.path) ? '▾ ' : '▸ ') : '· '}</span>
              {file.path.split('/').pop()}
            </button>
            {file.is_dir && listings[file.path] instanceof Error && <div className="error-text small">{(listings[file.path] as Error).message}</div>}
          </li>
        ))}
      </ul>
      <div className="artifact-preview" aria-live="polite">
        {selected && !selectedFile?.is_dir ? (
          <>
            <div className="row preview-head">
              <span className="mono">{selected}</span>
              {selectedFile?.file_size !== undefined && <span className="muted small">{formatBytes(selectedFile.file_size)}</span>}
              <span style={{ flex: 1 }} />
              <button
                type="button"
                onClick={() => void downloadArtifact(source.url(selected), selected.split('/').pop() ?? 'artifact').catch((e: unknown) => setDownloadError(String(e)))}
              >
                Download
              </button>
              <a className="small" href={hrefFor(source.route(selected))}>
                Link
              </a>
            </div>
            {downloadError && <div className="inline-error" role="alert">{downloadError}</div>}
            <Preview key={selected} url={source.url(selected)} path={selected} size={selectedFile?.file_size} />
          </>
        ) : (
          <div className="muted empty">Choose a file to preview it.</div>
        )}
      </div>
    </div>
  );
};
