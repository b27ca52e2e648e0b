import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import type { SourceTag } from '../source.js';

const isMissing = (error: unknown): boolean => {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
};

export const pathExists = async (path: string): Promise<boolean> => {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if (isMissing(error)) return false;
    throw error;
  }
};

export const isFile = async (path: string): Promise<boolean> => {
  try {
    return (await stat(path)).isFile();
  } catch (error) {
    if (isMissing(error)) return false;
    throw error;
  }
};

/** The names of a folder's sub-folders (symbolic links followed), sorted; none when the folder is absent. */
export const listSubfolders = async (dir: string): Promise<string[]> => {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if (isMissing(error)) return [];
    throw error;
  }
  const names: string[] = [];
  for (const entry of entries) {
    if (entry.isDirectory() || (entry.isSymbolicLink() && (await stat(join(dir, entry.name))).isDirectory())) {
      names.push(entry.name);
    }
  }
  return names.sort(compareNames);
};

/** Numeric-looking names (experiment ids, versions) in number order, others in code-unit order. */
export const compareNames = (a: string, b: string): number => {
  if (/^\d+$/.test(a) && /^\d+$/.test(b) && a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
};

/**
 * Every file under a folder, as `/`-separated paths relative to it, sorted. MLflow stores a key containing `/`
 * (`tags/mlflow.note/content`, a metric `train/loss`) as nested folders and reads them back the same way.
 */
export const listFilesRecursive = async (dir: string): Promise<string[]> => {
  const found: string[] = [];
  const walk = async (folder: string, prefix: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch (error) {
      if (isMissing(error)) return;
      throw error;
    }
    for (const entry of entries) {
      const full = join(folder, entry.name);
      const relative = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
      const kind = entry.isSymbolicLink() ? await stat(full) : entry;
      if (kind.isDirectory()) await walk(full, relative);
      else if (kind.isFile()) found.push(relative);
    }
  };
  await walk(dir, '');
  return found.sort();
};

/** A `/`-separated key as a path under a folder, refusing keys that would leave it. */
export const keyPath = (dir: string, key: string): string => {
  const parts = key.split('/');
  if (parts.some((part) => part === '' || part === '.' || part === '..' || part.includes(sep))) {
    throw new Error(`unsafe key ${JSON.stringify(key)}`);
  }
  return join(dir, ...parts);
};

/**
 * The key/value files of a folder (params, tags, aliases): the key is the relative path, the value the whole
 * file as MLflow wrote it (no trailing newline is added or removed).
 */
export const readKeyValueFolder = async (dir: string): Promise<SourceTag[]> => {
  const keys = await listFilesRecursive(dir);
  return Promise.all(keys.map(async (key) => ({ key, value: await readFile(keyPath(dir, key), 'utf8') })));
};

/**
 * A text file's non-empty lines in batches (one per chunk read), so a history of millions of points is never
 * held at once and is not paid for line by line in promises.
 */
export async function* readLineBatches(path: string): AsyncGenerator<string[]> {
  let pending = '';
  for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    const lines = (pending + (chunk as string)).split('\n');
    pending = lines.pop() ?? '';
    const batch = lines.filter((line) => line.trim() !== '');
    if (batch.length > 0) yield batch;
  }
  if (pending.trim() !== '') yield [pending];
}
