import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import { transformersWithoutOrt } from './build/vite/transformers-without-ort.ts';

/**
 * The npm package's browser build (`npm run build:lib` → dist/lib/), made to work unchanged in
 * three places: a bundled app (Vite, webpack 5), a plain `<script type="module">` page, and the
 * same files behind a CDN-like path. What that takes:
 *
 *  - **No bare imports left.** comlink and everything else is bundled in, so a browser can load
 *    `index.js` with no import map and no bundler.
 *  - **Relative URLs only** (`base: './'`): the worker, onnxruntime's glue script and its wasm
 *    are found with `new URL('assets/…', import.meta.url)`, wherever the folder is served from.
 *    The same pattern is what makes a consumer's bundler copy those files into its own build.
 *  - **A one-file worker** (`codeSplitting: false`): a consumer's bundler copies the worker as an
 *    asset, so chunks it imported would be left behind.
 *  - **onnxruntime's runtime files as URLs the page passes to the worker**: the library swaps
 *    src/client/ort-files.ts for ort-files.lib.ts (see there), which names the glue and wasm of
 *    each build the worker may choose (jspi, asyncify, plain: src/engine/ort-web-build.ts); the
 *    worker fetches one pair. The `onnxruntime-web-use-extern-wasm` condition keeps ort's entries
 *    from carrying their own copies of the wasm. The one-file worker holds the three entries' JS
 *    (lazily evaluated, ~65 kB each), and `transformersWithoutOrt` keeps the tokenizer's
 *    transformers.js from adding a fourth (build/vite/transformers-without-ort.ts).
 *
 * Entries: `index.js` (createEmbedder, the OpenAI-compatible facade, the cache helpers),
 * `widget.js` (defines `<semantic-search>`), `semantic-embedder.js` (the shape of the browser's
 * proposed built-in embedding API), `embeddings-sw.js` (the service worker that answers
 * `/v1/embeddings` in the tab; its URL is its scope, so it stays unhashed). Types: `tsc -p
 * tsconfig.lib.json` writes `dist/lib/types/`.
 */
const root = import.meta.dirname;
const ORT_CONDITIONS = ['onnxruntime-web-use-extern-wasm'];
const UNHASHED_ENTRIES = new Set(['index', 'widget', 'semantic-embedder', 'embeddings-sw']);

export default defineConfig({
  publicDir: false,
  base: './',
  resolve: {
    conditions: [...ORT_CONDITIONS, 'module', 'browser', 'development|production'],
    alias: [{ find: /^\.\/ort-files\.ts$/, replacement: resolve(root, 'src/client/ort-files.lib.ts') }],
  },
  plugins: [transformersWithoutOrt()],
  worker: {
    format: 'es',
    plugins: () => [transformersWithoutOrt()],
    rollupOptions: { output: { codeSplitting: false } },
  },
  build: {
    outDir: 'dist/lib',
    emptyOutDir: true,
    target: 'es2022',
    assetsInlineLimit: 0,
    sourcemap: true,
    rollupOptions: {
      input: {
        index: resolve(root, 'src/client/index.ts'),
        widget: resolve(root, 'src/widget/index.ts'),
        'semantic-embedder': resolve(root, 'src/client/semantic-embedder.ts'),
        'embeddings-sw': resolve(root, 'src/offline/embeddings-sw.ts'),
      },
      // A library: keep every entry's exports, even those no entry of ours uses.
      preserveEntrySignatures: 'strict',
      output: {
        entryFileNames: (chunk) => (UNHASHED_ENTRIES.has(chunk.name) ? '[name].js' : 'assets/[name]-[hash].js'),
        chunkFileNames: 'assets/[name]-[hash].js',
        assetFileNames: 'assets/[name]-[hash][extname]',
      },
    },
  },
});
