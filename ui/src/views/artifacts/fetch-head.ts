import { authHeaders, errorFromResponse } from '../../api/client';
import { getAuthorization } from '../../api/session';

export interface Head {
  bytes: Uint8Array;
  /** True when the file is longer than what was read. */
  truncated: boolean;
  /** The whole file's size when the server said it. */
  total: number | undefined;
  contentType: string;
}

const totalFrom = (response: Response): number | undefined => {
  const range = response.headers.get('content-range');
  const match = range ? /\/(\d+)\s*$/.exec(range) : null;
  if (match?.[1]) return Number(match[1]);
  const length = response.headers.get('content-length');
  return response.status === 200 && length ? Number(length) : undefined;
};

/**
 * Reads at most `maxBytes` of a file: asks for that range with an HTTP Range header, and copes with a server
 * that ignores it (200 with the whole body) by reading only as far as needed and aborting the rest, so a huge
 * artifact never lands whole in the tab.
 */
export const fetchHead = async (url: string, maxBytes: number, signal?: AbortSignal): Promise<Head> => {
  const controller = new AbortController();
  const abort = () => controller.abort();
  signal?.addEventListener('abort', abort, { once: true });
  try {
    const response = await fetch(url, { headers: { ...authHeaders(), range: `bytes=0-${maxBytes - 1}` }, signal: controller.signal });
    if (!response.ok) throw await errorFromResponse(response);
    const total = totalFrom(response);
    const chunks: Uint8Array[] = [];
    let received = 0;
    let overflow = false;
    const reader = response.body?.getReader();
    if (reader) {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
        received += value.byteLength;
        if (received > maxBytes) {
          overflow = true;
          await reader.cancel().catch(() => undefined);
          controller.abort();
          break;
        }
      }
    }
    const bytes = new Uint8Array(Math.min(received, maxBytes));
    let offset = 0;
    for (const chunk of chunks) {
      const take = Math.min(chunk.byteLength, bytes.byteLength - offset);
      bytes.set(chunk.subarray(0, take), offset);
      offset += take;
      if (offset >= bytes.byteLength) break;
    }
    return {
      bytes,
      truncated: overflow || (total !== undefined && total > bytes.byteLength),
      total,
      contentType: response.headers.get('content-type') ?? '',
    };
  } finally {
    signal?.removeEventListener('abort', abort);
  }
};

/** Saves a file: a plain link where no credentials are needed, else through fetch so the header is sent. */
export const downloadArtifact = async (url: string, fileName: string): Promise<void> => {
  const link = document.createElement('a');
  link.download = fileName;
  if (getAuthorization()) {
    const response = await fetch(url, { headers: authHeaders() });
    if (!response.ok) throw await errorFromResponse(response);
    link.href = URL.createObjectURL(await response.blob());
    setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
  } else link.href = url;
  document.body.append(link);
  link.click();
  link.remove();
};

export type PreviewKind = 'image' | 'json' | 'yaml' | 'csv' | 'tsv' | 'html' | 'text';

const IMAGE = /\.(png|jpe?g|gif|svg|webp|bmp|ico|avif)$/i;

export const previewKind = (path: string): PreviewKind => {
  const name = path.split('/').pop() ?? path;
  if (IMAGE.test(name)) return 'image';
  if (/\.json$/i.test(name)) return 'json';
  if (name === 'MLmodel' || /\.(ya?ml)$/i.test(name)) return 'yaml';
  if (/\.csv$/i.test(name)) return 'csv';
  if (/\.tsv$/i.test(name)) return 'tsv';
  if (/\.html?$/i.test(name)) return 'html';
  return 'text';
};

/** Bytes that decode as text (no NUL in the first KiB, as `file` and git judge). */
export const looksBinary = (bytes: Uint8Array): boolean => bytes.subarray(0, 1024).includes(0);
