import { Readable } from 'node:stream';
import { contentRange } from '../domain/artifacts/byte-range.js';
import type { ArtifactEntry, StoredObject } from '../domain/artifacts/ports.js';

// What both artifact stores share beyond the port: the download header they sign and their listing order.

/**
 * `Content-Disposition` for a download named `filename`, as MLflow's `_response_with_file_attachment_headers` writes
 * it: `attachment; filename=<name>`, unquoted (clients and recorded exchanges expect it verbatim). Only a name that
 * cannot stand there (non-ASCII, a control character, `"` or `\`) gets `filename="<ASCII fallback>"` plus an RFC 5987
 * `filename*` holding the exact UTF-8 name, so that it stays one valid header value.
 */
export function attachmentDisposition(filename: string): string {
  if (/^[\x20-\x7e]*$/.test(filename) && !/["\\]/.test(filename)) return `attachment; filename=${filename}`;
  const fallback = filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
  const exact = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${exact}`;
}

/** Listing order of both adapters: by the UTF-8 bytes of the name, as S3 orders keys. */
export function compareEntryNames(a: ArtifactEntry, b: ArtifactEntry): number {
  return Buffer.compare(Buffer.from(a.name, 'utf8'), Buffer.from(b.name, 'utf8'));
}

/**
 * The HTTP answer carrying a stored object, or the range of it the store read: 200 with the whole file, 206
 * with `Content-Range`, or 416 in MLflow's error form with `Content-Range: bytes *\/<size>`. Every answer says
 * `Accept-Ranges: bytes`, so a client knows it may ask for a part (rules: shared/domain/artifacts/byte-range.ts).
 */
export function storedObjectResponse(object: StoredObject, headers: Record<string, string>): Response {
  const { range, size } = object;
  if (range === 'unsatisfiable') {
    object.body.destroy();
    return Response.json(
      { error_code: 'INVALID_PARAMETER_VALUE', message: `Requested range not satisfiable: the file has ${size} bytes.` },
      { status: 416, headers: { 'Content-Range': contentRange(range, size), 'Accept-Ranges': 'bytes' } },
    );
  }
  const stream = Readable.toWeb(object.body) as unknown as ReadableStream<Uint8Array>;
  const length = range ? range.end - range.start + 1 : size;
  return new Response(stream, {
    status: range ? 206 : 200,
    headers: {
      ...headers,
      'Content-Length': String(length),
      'Accept-Ranges': 'bytes',
      ...(range ? { 'Content-Range': contentRange(range, size) } : {}),
    },
  });
}
