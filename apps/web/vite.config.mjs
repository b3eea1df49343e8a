// The web console: React + TypeScript, built into dist/web and served by the API at `/`.
// JSX goes through Vite 8's built-in Oxc transform (no React plugin needed).
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root: here,
  base: '/',
  publicDir: false,
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: resolve(here, '../../dist/web'),
    emptyOutDir: true,
    sourcemap: false,
    target: 'es2022',
  },
  server: {
    // `npx vite --config apps/web/vite.config.mjs` with the API on :3000
    proxy: { '/api': 'http://localhost:3000' },
  },
});
