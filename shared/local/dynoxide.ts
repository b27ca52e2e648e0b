/**
 * dynoxide: native binary shipped in the optional npm package `@dynoxide/<platform>-<arch>`
 * (only `@dynoxide/linux-x64` exists on the registry today). Starts in tens of milliseconds.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { isExecutableFile } from './fs-checks.js';

const require = createRequire(import.meta.url);

/** The dynoxide platform package for this machine, e.g. `@dynoxide/linux-x64`. */
export function dynoxidePackageName(): string {
  return `@dynoxide/${process.platform}-${process.arch}`;
}

/** Absolute path of the dynoxide binary, or undefined when no package for this platform is installed. */
export function resolveDynoxideBinary(): string | undefined {
  let packageJson: string;
  try {
    packageJson = require.resolve(`${dynoxidePackageName()}/package.json`);
  } catch {
    return undefined;
  }
  const binary = join(dirname(packageJson), process.platform === 'win32' ? 'dynoxide.exe' : 'dynoxide');
  return isExecutableFile(binary) ? binary : undefined;
}

/** Command-line arguments of `dynoxide serve`; with a data folder the tables persist in a SQLite file there. */
export function dynoxideArgs(host: string, port: number, dataDir: string | undefined): string[] {
  const args = ['serve', '--host', host, '--port', String(port)];
  if (dataDir) args.push('--db-path', join(dataDir, 'metadata.sqlite'));
  return args;
}
