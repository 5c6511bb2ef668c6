import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import { transformersWithoutOrt } from './build/vite/transformers-without-ort.ts';
import { SHARED_BUILD, SHARED_CONFIG } from './vite.config.ts';

/*
 * The e2e test pages (e2e/pages/*.html) and what only they use, built into the app's folder
 * after the app: `npm run build:app -- --outDir D && npm run build:e2e-pages -- --outDir D`.
 * `vite preview --outDir D` then serves both, the pages at /e2e/pages/…. Built apart, the app's
 * build and its offline shell never see them. They use the app's /ort/ runtime files and its
 * copy of public/ (the models), so this build emits neither.
 */

const PAGES = resolve(import.meta.dirname, 'e2e/pages');

/** The benchmark's transformers.js contender runs transformers' own models, so its bundle keeps transformers' onnxruntime. */
const TRANSFORMERS_MODEL_WORKERS = ['e2e/pages/transformers-worker.ts'];

export default defineConfig({
  ...SHARED_CONFIG,
  publicDir: false,
  plugins: [transformersWithoutOrt()],
  worker: { format: 'es', plugins: () => [transformersWithoutOrt({ keepFor: TRANSFORMERS_MODEL_WORKERS })] },
  build: {
    ...SHARED_BUILD,
    outDir: 'dist/app',
    // The app is already there.
    emptyOutDir: false,
    rollupOptions: {
      input: Object.fromEntries(
        readdirSync(PAGES)
          .filter((file) => file.endsWith('.html'))
          .map((file) => [`e2e-${file.slice(0, -'.html'.length)}`, resolve(PAGES, file)]),
      ),
    },
  },
});
