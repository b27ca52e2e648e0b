import type { MetricDigest } from './verify-digest.js';

/**
 * The comparisons of `--verify` (verify.ts reads both sides; these only compare what was read): each answers
 * every difference it finds, never only the first, in a fixed order so that two runs print the same lines.
 */

/** One thing that is not the same in the source and in Cairn. `undefined` on a side: it has none. */
export interface ImportDifference {
  /** What it is about: `experiment 12`, `run <id>`, `logged model <id>`, `registered model 'x'`, `… version 3`. */
  readonly item: string;
  /** Which part of it: `param 'lr'`, `status`, `metric 'loss'`, `artifact 'a/b.txt'`, `runs`. */
  readonly aspect: string;
  readonly source: string | undefined;
  readonly cairn: string | undefined;
}

export type KeyValues = Readonly<Record<string, string>>;

const quote = (text: string) => `'${text}'`;

export const toRecord = (pairs: readonly { key: string; value: string }[]): Record<string, string> =>
  Object.fromEntries(pairs.map((pair) => [pair.key, pair.value]));

/** One field: a difference when the values differ (numbers and strings compared as written). */
export const compareField = (
  item: string,
  aspect: string,
  source: string | number | boolean | undefined,
  cairn: string | number | boolean | undefined,
): ImportDifference[] => (source === cairn ? [] : [{ item, aspect, source: render(source), cairn: render(cairn) }]);

const render = (value: string | number | boolean | undefined) => (value === undefined ? undefined : typeof value === 'string' ? quote(value) : String(value));

/** Every key of either side whose value differs or is missing on one side (`kind` is `param`, `tag`...). */
export const compareKeyValues = (item: string, kind: string, source: KeyValues, cairn: KeyValues): ImportDifference[] => {
  const keys = [...new Set([...Object.keys(source), ...Object.keys(cairn)])].sort();
  return keys.flatMap((key) => compareField(item, `${kind} ${quote(key)}`, source[key], cairn[key]));
};

/** A set of names on both sides (dataset inputs, logged model inputs and outputs): what only one side has. */
export const compareSets = (item: string, kind: string, source: readonly string[], cairn: readonly string[]): ImportDifference[] => {
  const inCairn = new Set(cairn);
  const inSource = new Set(source);
  return [
    ...[...inSource].filter((name) => !inCairn.has(name)).sort().map((name) => ({ item, aspect: `${kind} ${quote(name)}`, source: 'present', cairn: undefined })),
    ...[...inCairn].filter((name) => !inSource.has(name)).sort().map((name) => ({ item, aspect: `${kind} ${quote(name)}`, source: undefined, cairn: 'present' })),
  ];
};

/** Metric histories by key: point counts, then checksums where the counts agree. */
export const compareMetrics = (
  item: string,
  source: ReadonlyMap<string, MetricDigest>,
  cairn: ReadonlyMap<string, MetricDigest>,
): ImportDifference[] => {
  const keys = [...new Set([...source.keys(), ...cairn.keys()])].sort();
  return keys.flatMap((key): ImportDifference[] => {
    const mine = source.get(key) ?? EMPTY;
    const theirs = cairn.get(key) ?? EMPTY;
    const aspect = `metric ${quote(key)}`;
    if (mine.count !== theirs.count) return [{ item, aspect, source: points(mine.count), cairn: points(theirs.count) }];
    if (mine.checksum !== theirs.checksum) {
      return [{ item, aspect, source: `${points(mine.count)}, checksum ${mine.checksum}`, cairn: `${points(theirs.count)}, checksum ${theirs.checksum}` }];
    }
    return [];
  });
};

const EMPTY: MetricDigest = { count: 0, checksum: '' };
const points = (count: number) => `${count} point${count === 1 ? '' : 's'}`;

export interface FileDigest {
  readonly size: number;
  readonly sha256: string;
}

/** Files by relative path: missing on a side, another size, or the same size with other bytes. */
export const compareFiles = (item: string, source: ReadonlyMap<string, FileDigest>, cairn: ReadonlyMap<string, FileDigest>): ImportDifference[] => {
  const paths = [...new Set([...source.keys(), ...cairn.keys()])].sort();
  return paths.flatMap((path): ImportDifference[] => {
    const mine = source.get(path);
    const theirs = cairn.get(path);
    if (mine?.size === theirs?.size && mine?.sha256 === theirs?.sha256) return [];
    const describe = (file: FileDigest | undefined) => file && `${file.size} bytes, sha256 ${file.sha256.slice(0, 16)}`;
    return [{ item, aspect: `artifact ${quote(path)}`, source: describe(mine), cairn: describe(theirs) }];
  });
};

/** Counts of an experiment's items (runs by lifecycle, logged models). */
export const compareCounts = (item: string, source: Readonly<Record<string, number>>, cairn: Readonly<Record<string, number>>): ImportDifference[] =>
  Object.keys(source).flatMap((aspect) => compareField(item, aspect, source[aspect], cairn[aspect] ?? 0));
