import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const root = fileURLToPath(new URL('.', import.meta.url));
/** The API paths `npm start` answers; `npm run dev:ui` forwards them so the dev server talks to a running Cairn. */
export const API_PREFIXES = ['/api', '/ajax-api', '/get-artifact', '/model-versions', '/health', '/version', '/_cairn'];
const target = process.env.CAIRN_URL ?? 'http://127.0.0.1:5000';

export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 1200,
  },
  server: {
    proxy: Object.fromEntries(API_PREFIXES.map((prefix) => [prefix, { target, changeOrigin: true }])),
  },
});
