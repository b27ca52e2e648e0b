import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { UI_ASSET_PATH } from './fixture.js';

const run = promisify(execFile);
const ROOT = new URL('../../', import.meta.url).pathname;

describe('cdk synth', () => {
  it('synthesizes both stacks offline, with cdk-nag registered and every Lambda bundled by esbuild', async () => {
    // Prepare
    const out = await mkdtemp(join(tmpdir(), 'cairn-cdk-out-'));

    // Act: the pinned CLI, as `npx cdk synth` runs it, with no network and no Docker; the stand-in UI, so the
    // test does not build (or depend on) the real one
    const cdk = join(ROOT, 'node_modules/aws-cdk/bin/cdk');
    const synth = await run(process.execPath, [cdk, 'synth', '--quiet', '-o', out, '-c', `uiAssetPath=${UI_ASSET_PATH}`], {
      cwd: ROOT,
      env: { ...process.env, CDK_DISABLE_VERSION_CHECK: 'true' },
      maxBuffer: 16 * 1024 * 1024,
    }).then(
      () => 0,
      (error: { code?: number; stderr?: string }) => ({ code: error.code, stderr: error.stderr }),
    );
    const files = await readdir(out);
    const api = JSON.parse(await readFile(join(out, files.find((f) => f.endsWith('Api.template.json')) ?? ''), 'utf8'));
    const bundles = files.filter((f) => f.startsWith('asset.'));
    await rm(out, { recursive: true, force: true });

    // Assess
    expect(synth).toBe(0);
    expect(files.some((f) => f.endsWith('Data.template.json'))).toBe(true);
    const functions = Object.values(api.Resources as Record<string, { Type: string }>).filter((r) => r.Type === 'AWS::Lambda::Function');
    expect(functions.length).toBeGreaterThanOrEqual(4);
    expect(bundles.length).toBeGreaterThanOrEqual(4);
    const types = Object.values(api.Resources as Record<string, { Type: string }>).map((r) => r.Type);
    expect(types).toContain('AWS::CloudFront::Distribution');
    expect(types).toContain('Custom::CDKBucketDeployment');
    expect(Object.keys(api.Outputs)).toContain('UiUrl');
  });
});
