import type { ArtifactEntry } from '../domain/artifacts/ports.js';

// What both artifact stores share beyond the port: the download header they sign and their listing order.

/**
 * `Content-Disposition` for a download named `filename`: `attachment; filename="<ASCII fallback>"` plus an RFC 5987
 * `filename*` for the exact UTF-8 name, so spaces, quotes and non-ASCII names survive as one valid header value.
 */
export function attachmentDisposition(filename: string): string {
  const fallback = filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
  const exact = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${exact}`;
}

/** Listing order of both adapters: by the UTF-8 bytes of the name, as S3 orders keys. */
export function compareEntryNames(a: ArtifactEntry, b: ArtifactEntry): number {
  return Buffer.compare(Buffer.from(a.name, 'utf8'), Buffer.from(b.name, 'utf8'));
}
