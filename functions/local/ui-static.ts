import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Paths the API answers; everything else a browser asks for is the web UI. */
const API_PREFIXES = ['/api/', '/ajax-api/', '/get-artifact', '/model-versions/', '/health', '/version', '/_cairn/'];

const DEFAULT_DIST = fileURLToPath(new URL('../../ui/dist/', import.meta.url));

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.map': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

/** Vite names what it emits under assets/ by content hash, so those files never change under one name. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
const NO_CACHE = 'no-cache';

const NOT_BUILT = `<!doctype html><html lang="en"><meta charset="utf-8"><title>Cairn</title>
<body style="font-family:system-ui;margin:3rem"><h1>Cairn</h1><p>The web UI is not built. Run <code>npm run build:ui</code>
(or restart with <code>npm start</code>, which builds it). The API is up: <code>export MLFLOW_TRACKING_URI=${'${origin}'}</code></p></body></html>`;

const isApiPath = (path: string) => API_PREFIXES.some((prefix) => path === prefix.replace(/\/$/, '') || path.startsWith(prefix));

const readIfFile = async (path: string): Promise<Buffer | undefined> => {
  const info = await stat(path).catch(() => undefined);
  return info?.isFile() ? readFile(path) : undefined;
};

const respond = (body: Buffer | string, contentType: string, cacheControl: string, method: string) =>
  new Response(method === 'HEAD' ? null : new Uint8Array(typeof body === 'string' ? Buffer.from(body) : body), {
    headers: { 'content-type': contentType, 'cache-control': cacheControl },
  });

type Fetch = (request: Request, ...rest: never[]) => Response | Promise<Response>;

/**
 * Puts the built web UI (ui/dist) in front of the API for `npm start`: files of the build by path, and
 * index.html for any other GET that accepts HTML, so hash and history routes land on the app. API paths and
 * non-HTML requests go to the API untouched (its 404s keep MLflow's JSON form). In AWS, CloudFront does this.
 */
export const withUi = <F extends Fetch>(api: F, distDir: string = DEFAULT_DIST): F =>
  (async (request: Request, ...rest: never[]) => {
    const method = request.method;
    let path: string;
    try {
      path = decodeURIComponent(new URL(request.url).pathname);
    } catch {
      return api(request, ...rest);
    }
    if ((method !== 'GET' && method !== 'HEAD') || isApiPath(path)) return api(request, ...rest);

    const file = normalize(join(distDir, path));
    if (file.startsWith(distDir.endsWith(sep) ? distDir : distDir + sep) && path !== '/') {
      const body = await readIfFile(file);
      if (body) {
        const type = CONTENT_TYPES[extname(file)] ?? 'application/octet-stream';
        return respond(body, type, path.startsWith('/assets/') ? IMMUTABLE : NO_CACHE, method);
      }
    }
    if (!(request.headers.get('accept') ?? '').includes('text/html')) return api(request, ...rest);
    const index = await readIfFile(join(distDir, 'index.html'));
    const origin = new URL(request.url).origin;
    return respond(index ?? NOT_BUILT.replace('${origin}', origin), CONTENT_TYPES['.html']!, NO_CACHE, method);
  }) as F;
