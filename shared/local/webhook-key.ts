import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Local mode's key for stored webhook secrets: 32 random bytes in `<dataDir>/webhook-secret-key` (mode 600),
 * created on first start and kept, so secrets stay readable across restarts on the same folder.
 */
export const loadOrCreateWebhookKey = async (dataDir: string): Promise<Buffer> => {
  const file = join(dataDir, 'webhook-secret-key');
  try {
    return checked(await readFile(file), file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(dataDir, { recursive: true });
  // `wx`: when two processes start at once, the second keeps the first one's key.
  await writeFile(file, randomBytes(32), { mode: 0o600, flag: 'wx' }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
  });
  return checked(await readFile(file), file);
};

const checked = (key: Buffer, file: string): Buffer => {
  if (key.length !== 32) throw new Error(`${file} must hold 32 bytes, it holds ${key.length}`);
  return key;
};
