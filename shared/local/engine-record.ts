import { readFileSync, rmSync } from 'node:fs';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';

/**
 * `<dataDir>/engine.json`: which engine holds a data folder now. The embedded engine keeps the folder's database
 * open, so a second process must not start another on it: `npm start` records its engine here while it runs, and
 * `npm run import` connects to the recorded endpoint instead of starting one (and records its own while it holds
 * the folder). A record whose processes are gone (a `kill -9`) is stale and ignored.
 */

export const ENGINE_RECORD_FILE = 'engine.json';

const EngineRecordSchema = z.object({
  endpoint: z.string().url(),
  kind: z.string(),
  table: z.string().min(1),
  /** The engine's own process. */
  engine_pid: z.number().int().positive(),
  /** The process that started it and removes the record on stop. */
  owner_pid: z.number().int().positive(),
  /** `npm start` or `npm run import`. */
  owner: z.string(),
  /** The server's URL, when the owner is a server. */
  url: z.string().optional(),
});

export type EngineRecord = z.infer<typeof EngineRecordSchema>;

const recordPath = (dataDir: string) => join(dataDir, ENGINE_RECORD_FILE);

/** Written whole (a temporary file renamed over it), so a reader never sees half a record. */
export const writeEngineRecord = async (dataDir: string, record: EngineRecord): Promise<void> => {
  const temporary = `${recordPath(dataDir)}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(record, null, 2)}\n`);
  await rename(temporary, recordPath(dataDir));
};

/** Removes the record if this process wrote it (another process may have taken the folder since). */
export const removeEngineRecord = async (dataDir: string): Promise<void> => {
  const record = await readRecord(dataDir);
  if (record?.owner_pid === process.pid) await rm(recordPath(dataDir), { force: true });
};

/** The same, for a process about to exit (a signal handler cannot wait). */
export const removeEngineRecordSync = (dataDir: string): void => {
  try {
    const record = EngineRecordSchema.safeParse(JSON.parse(readFileSync(recordPath(dataDir), 'utf8')));
    if (record.success && record.data.owner_pid === process.pid) rmSync(recordPath(dataDir), { force: true });
  } catch {
    // No record, or not one this process can read: nothing of ours to remove.
  }
};

/** The record when both its engine and its owner still run; undefined when there is none, or it is stale. */
export const readLiveEngineRecord = async (dataDir: string): Promise<EngineRecord | undefined> => {
  const record = await readRecord(dataDir);
  return record && isAlive(record.engine_pid) && isAlive(record.owner_pid) ? record : undefined;
};

const readRecord = async (dataDir: string): Promise<EngineRecord | undefined> => {
  let text: string;
  try {
    text = await readFile(recordPath(dataDir), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const parsed = EngineRecordSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
};

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};
