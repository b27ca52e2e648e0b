import { useEffect, useState } from 'react';
import { useAsync } from '../../api/use-async';
import { fetchHead, looksBinary, previewKind, type Head } from './fetch-head';
import { parseDelimited } from './csv';
import { JsonTree } from './JsonTree';
import { YamlView } from './YamlView';
import { formatBytes } from './format';

/** How much of a file a text preview reads; images are read up to IMAGE_BYTES. */
export const TEXT_PREVIEW_BYTES = 256 * 1024;
const IMAGE_BYTES = 20 * 1024 * 1024;

const decode = (head: Head) => new TextDecoder('utf-8', { fatal: false }).decode(head.bytes);

const ImagePreview = ({ url, path }: { url: string; path: string }) => {
  const [src, setSrc] = useState<string>();
  const head = useAsync((signal) => fetchHead(url, IMAGE_BYTES, signal), [url]);
  useEffect(() => {
    if (!head.data || head.data.truncated) return;
    const type = head.data.contentType.startsWith('image/') ? head.data.contentType : path.endsWith('.svg') ? 'image/svg+xml' : '';
    const objectUrl = URL.createObjectURL(new Blob([head.data.bytes as BlobPart], type ? { type } : {}));
    setSrc(objectUrl);
    return () => URL.revokeObjectURL(objectUrl);
  }, [head.data, path]);
  if (head.error) return <div className="inline-error" role="alert">{head.error.message}</div>;
  if (head.data?.truncated) return <div className="muted">The image is over {formatBytes(IMAGE_BYTES)}: download it to view.</div>;
  return src ? <img className="image-preview" src={src} alt={`Preview of ${path}`} /> : <div className="muted">Loading image…</div>;
};

export const Preview = ({ url, path, size }: { url: string; path: string; size: number | undefined }) => {
  const kind = previewKind(path);
  const head = useAsync((signal) => (kind === 'image' ? Promise.resolve(undefined) : fetchHead(url, TEXT_PREVIEW_BYTES, signal)), [url, kind]);
  if (kind === 'image') return <ImagePreview url={url} path={path} />;
  if (head.error) return <div className="inline-error" role="alert">{head.error.message}</div>;
  const data = head.data;
  if (!data) return <div className="skeleton" style={{ height: 120 }} aria-label="Loading preview" />;
  if (looksBinary(data.bytes)) return <div className="muted">Binary file{size ? ` (${formatBytes(size)})` : ''}: no preview. Download it instead.</div>;
  const text = decode(data);
  const note = data.truncated ? (
    <div className="muted small preview-note">
      Showing the first {formatBytes(data.bytes.byteLength)}
      {data.total ?? size ? ` of ${formatBytes((data.total ?? size)!)}` : ''}.
    </div>
  ) : null;

  let body: React.ReactNode;
  if (kind === 'json' && !data.truncated) {
    try {
      body = (
        <div className="json-view mono">
          <JsonTree value={JSON.parse(text)} />
        </div>
      );
    } catch {
      body = <pre className="text-preview">{text}</pre>;
    }
  } else if (kind === 'yaml') {
    body = <YamlView text={text} isMlmodel={path.split('/').pop() === 'MLmodel'} complete={!data.truncated} />;
  } else if (kind === 'csv' || kind === 'tsv') {
    const rows = parseDelimited(text, kind === 'csv' ? ',' : '\t', data.truncated);
    const [header = [], ...rest] = rows;
    body = (
      <div className="csv-preview">
        <table className="kv">
          <thead>
            <tr>{header.map((cell, i) => <th key={i}>{cell}</th>)}</tr>
          </thead>
          <tbody>
            {rest.map((row, r) => (
              <tr key={r}>{row.map((cell, c) => <td key={c}>{cell}</td>)}</tr>
            ))}
          </tbody>
        </table>
      </div>
    );
  } else if (kind === 'html') {
    // No scripts, no same-origin access: the frame can only draw.
    body = <iframe className="html-preview" title={`HTML preview of ${path}`} sandbox="" srcDoc={text} />;
  } else {
    body = <pre className="text-preview">{text}</pre>;
  }
  return (
    <>
      {note}
      {body}
    </>
  );
};
