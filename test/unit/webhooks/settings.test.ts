import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadWebhookSettings } from '../../../shared/config/webhook-settings.js';

describe('webhook settings', () => {
  it('defaults to public https targets, no key, and a 5 s look-back', () => {
    // Act & Assess
    expect(loadWebhookSettings({})).toEqual({ allowPrivateTargets: false, dispatchLagMs: 5000 });
  });

  it('reads the key, the local-mode switch and the look-back window', () => {
    // Prepare
    const key = randomBytes(32);

    // Act
    const settings = loadWebhookSettings({
      CAIRN_WEBHOOK_SECRET_KEY: key.toString('base64'),
      CAIRN_WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
      CAIRN_WEBHOOK_DISPATCH_LAG_MS: '2000',
    });

    // Assess
    expect(settings).toEqual({ secretKey: key, allowPrivateTargets: true, dispatchLagMs: 2000 });
  });

  it('stops start-up on a key that is not 32 bytes, naming the variable', () => {
    // Act & Assess
    expect(() => loadWebhookSettings({ CAIRN_WEBHOOK_SECRET_KEY: randomBytes(16).toString('base64') })).toThrow(/CAIRN_WEBHOOK_SECRET_KEY/);
  });

  it('stops start-up on an unreadable switch', () => {
    // Act & Assess
    expect(() => loadWebhookSettings({ CAIRN_WEBHOOK_ALLOW_PRIVATE_TARGETS: 'yes please' })).toThrow(/CAIRN_WEBHOOK_ALLOW_PRIVATE_TARGETS/);
  });
});
