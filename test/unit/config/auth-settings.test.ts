import { describe, expect, it } from 'vitest';
import { loadAdminCredentials, loadAuthSettings } from '../../../shared/config/auth-settings.js';
import { ENV } from '../../../shared/config/env.js';

describe('authorization settings from the environment', () => {
  it('denies by default: NO_PERMISSIONS for users without a grant and for unmapped principals, audit kept 90 days', () => {
    // Act & Assess
    expect(loadAuthSettings({})).toEqual({ defaultPermission: 'NO_PERMISSIONS', unmappedPrincipalPermission: 'NO_PERMISSIONS', auditRetentionDays: 90 });
  });

  it('reads each setting, permission names in any case', () => {
    // Act
    const settings = loadAuthSettings({
      [ENV.defaultPermission]: 'read',
      [ENV.unmappedPrincipalPermission]: 'EDIT',
      [ENV.auditRetentionDays]: '365',
    });

    // Assess
    expect(settings).toEqual({ defaultPermission: 'READ', unmappedPrincipalPermission: 'EDIT', auditRetentionDays: 365 });
  });

  it.each([
    [ENV.defaultPermission, 'USE'],
    [ENV.unmappedPrincipalPermission, 'ALL'],
    [ENV.auditRetentionDays, '0'],
    [ENV.auditRetentionDays, '7.5'],
    [ENV.auditRetentionDays, 'forever'],
  ])('stops start-up on %s=%s, naming the variable', (name, value) => {
    // Act & Assess
    expect(() => loadAuthSettings({ [name]: value })).toThrow(new RegExp(`^invalid setting ${name}:`));
  });

  it("names the first admin when a password is given, 'admin' unless told otherwise", () => {
    // Act & Assess
    expect(loadAdminCredentials({ [ENV.adminPassword]: 'p'.repeat(20) })).toEqual({ username: 'admin', password: 'p'.repeat(20) });
    expect(loadAdminCredentials({ [ENV.adminUsername]: 'root-ops', [ENV.adminPassword]: 'x'.repeat(20) })).toEqual({
      username: 'root-ops',
      password: 'x'.repeat(20),
    });
    expect(loadAdminCredentials({ [ENV.adminUsername]: 'root-ops' })).toBeUndefined();
  });
});
