import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where `npm run build:ui` writes the UI: `ui/dist` at the repository root. */
export const DEFAULT_UI_ASSET_PATH = fileURLToPath(new URL('../../ui/dist', import.meta.url));

/**
 * The folder of a built UI, checked before CDK fingerprints it: a missing build would otherwise surface as
 * an asset error that does not say what to do, or worse, deploy an empty site.
 * @throws Error saying how to build the UI when `path` holds no index.html.
 */
export const builtUiFolder = (path: string = DEFAULT_UI_ASSET_PATH): string => {
  if (!existsSync(join(path, 'index.html'))) {
    throw new Error(
      `The web UI is not built: ${join(path, 'index.html')} is missing. Run \`npm run build:ui\` ` +
        '(or pass a built folder with `-c uiAssetPath=<folder>`), then synthesize again.',
    );
  }
  return path;
};
