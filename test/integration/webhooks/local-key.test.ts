import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadOrCreateWebhookKey } from '../../../shared/local/webhook-key.js';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('local webhook secret key', () => {
  it('creates a 32-byte key readable only by its owner', async () => {
    // Prepare
    dir = await mkdtemp(join(tmpdir(), 'cairn-webhook-key-'));

    // Act
    const key = await loadOrCreateWebhookKey(dir);

    // Assess
    expect(key).toHaveLength(32);
    expect((await stat(join(dir, 'webhook-secret-key'))).mode & 0o777).toBe(0o600);
  });

  it('keeps the same key across restarts on the same folder', async () => {
    // Prepare
    dir = await mkdtemp(join(tmpdir(), 'cairn-webhook-key-'));
    const first = await loadOrCreateWebhookKey(dir);

    // Act
    const second = await loadOrCreateWebhookKey(dir);

    // Assess
    expect(second.equals(first)).toBe(true);
  });
});
