/**
 * HTTP `Range` on artifact downloads (RFC 9110 §14), so that a preview reads only the head of a big file.
 * Cairn answers one range: `bytes=a-b`, `bytes=a-` or `bytes=-n`. A header it does not take (another unit,
 * several ranges, a malformed or backwards range) is ignored and the whole file is sent, as the RFC allows;
 * a range that starts past the end is unsatisfiable (416).
 */

/** A range as asked, before the file's size is known. */
export type ByteRangeSpec = { readonly kind: 'from'; readonly start: number; readonly end?: number } | { readonly kind: 'suffix'; readonly length: number };

/** Inclusive byte offsets within the file. */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

const SINGLE_RANGE = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/iu;

/** The one range a `Range` header asks for; undefined when the header is absent or not one Cairn serves. */
export const parseRangeHeader = (header: string | null | undefined): ByteRangeSpec | undefined => {
  const match = header ? SINGLE_RANGE.exec(header) : null;
  if (!match) return undefined;
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return undefined;
  if (first === '') return { kind: 'suffix', length: Number(last) };
  const start = Number(first);
  if (last === '') return { kind: 'from', start };
  const end = Number(last);
  return end < start ? undefined : { kind: 'from', start, end };
};

/** The bytes of a `size`-byte file the range covers, or 'unsatisfiable' when it covers none. */
export const resolveByteRange = (spec: ByteRangeSpec, size: number): ByteRange | 'unsatisfiable' => {
  if (spec.kind === 'suffix') {
    return spec.length === 0 || size === 0 ? 'unsatisfiable' : { start: Math.max(0, size - spec.length), end: size - 1 };
  }
  if (spec.start >= size) return 'unsatisfiable';
  return { start: spec.start, end: Math.min(spec.end ?? size - 1, size - 1) };
};

/** `Content-Range` of a partial answer, or of a 416 (`bytes *\/size`). */
export const contentRange = (range: ByteRange | 'unsatisfiable', size: number): string =>
  range === 'unsatisfiable' ? `bytes */${size}` : `bytes ${range.start}-${range.end}/${size}`;
