import { createReadStream, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { defineConfig, type BuildOptions, type Plugin, type UserConfig } from 'vite';
import { appShellManifest, SERVICE_WORKER_ENTRY } from './build/vite/app-shell-manifest.ts';
import { transformersWithoutOrt } from './build/vite/transformers-without-ort.ts';

/*
 * How onnxruntime-web's wasm reaches the worker (decision and why)
 * -----------------------------------------------------------------
 * The worker imports ONE onnxruntime-web build, lazily, chosen at load (src/engine/ort-web-build.ts):
 *  - `onnxruntime-web/jspi` on `ort-wasm-simd-threaded.jspi.wasm` wherever the browser has JSPI
 *    (WebAssembly.Suspending, Chromium ≥ 137): WebGPU EP and full-speed WASM in one build;
 *  - without JSPI, `onnxruntime-web/webgpu` on `ort-wasm-simd-threaded.asyncify.wasm` only when the
 *    model will run on WebGPU (asyncify's instrumentation made the CPU kernels several times
 *    slower: issue 13, README "Decisions worth knowing"), else `onnxruntime-web/wasm` on the plain
 *    `ort-wasm-simd-threaded.wasm`.
 * Each is a separate chunk of the worker, so a page downloads only the glue and wasm it runs.
 * @huggingface/transformers (the tokenizer) imports `onnxruntime-web/webgpu` too; the
 * `transformersWithoutOrt` plugin keeps that copy out (build/vite/transformers-without-ort.ts).
 *
 * We do NOT rely on Vite rewriting the `new URL('ort-wasm-simd-threaded.*.wasm',
 * import.meta.url)` inside ort's bundles, because:
 *  - their pthread workers are started with `new Worker(new URL(import.meta.url))`, i.e. with
 *    whatever chunk Vite put ort into. In a build that is one of our worker's chunks, so every
 *    pthread would re-run our code — fragile;
 *  - the worker has to say where the files are anyway (transformers.js, for one, points ort's
 *    wasmPaths at cdn.jsdelivr.net unless something set them first; offline, that fails).
 * Instead the `ortRuntimeFiles` plugin below serves (dev) and emits (build) every build's two
 * runtime files unchanged under `<base>ort/`, and the worker sets
 *     ort.env.wasm.wasmPaths = new URL(`${import.meta.env.BASE_URL}ort/`, self.location.href).href
 * With a wasmPaths prefix, ort imports e.g. `ort/ort-wasm-simd-threaded.jspi.mjs` (its pthreads
 * then start from that file, outside our chunks) and fetches the .wasm from the same folder.
 * (The e2e smoke and benchmark workers import `onnxruntime-web/webgpu` themselves and use the
 * asyncify files from the same folder.)
 *
 * To keep the 14–27 MB wasm files from being emitted a second time as hashed assets, we resolve ort
 * with the `onnxruntime-web-use-extern-wasm` export condition: the same entries without the
 * embedded glue or the `new URL(...wasm...)` literal. Side effect: forgetting to set wasmPaths
 * fails at once (ort looks for the files next to the chunk, 404) instead of silently using a CDN.
 */

const require = createRequire(import.meta.url);
/** node_modules/onnxruntime-web/dist (the package's exports hide package.json, so resolve an entry). */
const ORT_DIST = dirname(require.resolve('onnxruntime-web'));
/** What the `jspi`, `webgpu` and `wasm` entries of onnxruntime-web 1.30 load at run time. Checked at startup: a version bump that renames them fails loudly. */
const ORT_RUNTIME_FILES = [
  'ort-wasm-simd-threaded.jspi.mjs',
  'ort-wasm-simd-threaded.jspi.wasm',
  'ort-wasm-simd-threaded.asyncify.mjs',
  'ort-wasm-simd-threaded.asyncify.wasm',
  'ort-wasm-simd-threaded.mjs',
  'ort-wasm-simd-threaded.wasm',
] as const;
const ORT_URL_DIR = 'ort/';

const CONTENT_TYPES: Record<string, string> = {
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
};

function contentTypeOf(file: string): string {
  const ext = file.slice(file.lastIndexOf('.'));
  return CONTENT_TYPES[ext] ?? 'application/octet-stream';
}

function ortRuntimeFiles(): Plugin {
  let base = '/';
  for (const file of ORT_RUNTIME_FILES) {
    statSync(join(ORT_DIST, file)); // throws ENOENT with the path if onnxruntime-web changed its file names
  }
  return {
    name: 'tabembed:ort-runtime-files',
    configResolved(config) {
      base = config.base;
    },
    configureServer(server) {
      // Registered before Vite's own middlewares, so ort's dynamic import of the .mjs is served
      // raw (Vite would otherwise transform it, or refuse it as a "public" import).
      server.middlewares.use((req, res, next) => {
        const path = (req.url ?? '').split('?')[0] ?? '';
        const prefix = `${base}${ORT_URL_DIR}`;
        const name = path.startsWith(prefix) ? path.slice(prefix.length) : undefined;
        if (name === undefined || !(ORT_RUNTIME_FILES as readonly string[]).includes(name)) {
          next();
          return;
        }
        const file = join(ORT_DIST, name);
        res.setHeader('Content-Type', contentTypeOf(name));
        res.setHeader('Content-Length', statSync(file).size);
        res.setHeader('Cache-Control', 'no-cache');
        createReadStream(file).pipe(res);
      });
    },
    generateBundle() {
      // Only in the client build (worker sub-builds have their own plugin list).
      for (const name of ORT_RUNTIME_FILES) {
        this.emitFile({ type: 'asset', fileName: `${ORT_URL_DIR}${name}`, source: readFileSync(join(ORT_DIST, name)) });
      }
    },
  };
}

/**
 * Multi-threaded WASM needs SharedArrayBuffer, i.e. `crossOriginIsolated`. Vite's
 * `server.headers` / `preview.headers` are only applied by some of its middlewares, so set the
 * headers on every response, worker scripts and the /ort/ files included (a dedicated worker's
 * isolation follows its own script response's COEP in Chromium). CORP `cross-origin` lets a
 * page on another origin (the embeddable widget's host, itself possibly isolated) load our
 * scripts and model files; same-origin loads do not need it.
 */
function crossOriginIsolation(): Plugin {
  return everyResponse('tabembed:cross-origin-isolation', (_req, res) => {
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
    res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
  });
}

/**
 * Model graphs and weights as the Hub serves them: `application/octet-stream`. Left untyped,
 * sirv sends them with an empty Content-Type, which Vite's preview compression middleware takes
 * for text and gzips on the fly: 1.4 s of server CPU per 39 MB fixture load on two cores, which
 * no real host spends (weights do not compress, and the Hub's CDN does not try).
 */
function modelFileTypes(): Plugin {
  return everyResponse('tabembed:model-file-types', (req, res) => {
    if (/\.onnx(_data|\.data)?(_\d+)?$/.test(new URL(req.url ?? '/', 'http://x').pathname))
      res.setHeader('Content-Type', 'application/octet-stream');
  });
}

/** A plugin that lets `touch` set headers on every response of the dev and the preview server. */
function everyResponse(name: string, touch: (req: IncomingMessage, res: ServerResponse) => void): Plugin {
  const middleware = (req: IncomingMessage, res: ServerResponse, next: () => void): void => {
    touch(req, res);
    next();
  };
  return {
    name,
    configureServer(server) {
      server.middlewares.use(middleware);
    },
    configurePreviewServer(server) {
      server.middlewares.use(middleware);
    },
  };
}

const ORT_CONDITIONS = ['onnxruntime-web-use-extern-wasm'];

/**
 * What the app and the e2e test pages (vite.e2e.config.ts) are built with alike: module
 * resolution (see the note at the top), worker format, and the dev and preview servers.
 */
export const SHARED_CONFIG = {
  // No SPA fallback: a missing model file must be a 404, not index.html with status 200.
  appType: 'mpa',
  // Applies to the client and (through resolve) the worker sub-builds; see the note at the top.
  resolve: { conditions: [...ORT_CONDITIONS, 'module', 'browser', 'development|production'] },
  // Pre-bundling would move ort to node_modules/.vite/deps and re-bundle a 100 kB minified file
  // for nothing; keep it as published.
  optimizeDeps: { exclude: ['onnxruntime-web'] },
  server: { port: Number(process.env.PORT ?? 5173), strictPort: true },
  preview: { port: Number(process.env.PREVIEW_PORT ?? 4173), strictPort: true },
} satisfies UserConfig;

/** Build options both builds share: modern output, and the model fixture in public/ copied as-is. */
export const SHARED_BUILD = { target: 'es2022', assetsInlineLimit: 0 } satisfies BuildOptions;

export default defineConfig({
  ...SHARED_CONFIG,
  publicDir: 'public',
  // appShellManifest last: it lists the files the others emit.
  plugins: [transformersWithoutOrt(), crossOriginIsolation(), modelFileTypes(), ortRuntimeFiles(), appShellManifest()],
  worker: { format: 'es', plugins: () => [transformersWithoutOrt()] },
  build: {
    ...SHARED_BUILD,
    // dist/node holds the CLI build (vite.cli.config.ts); the app must not wipe it.
    outDir: 'dist/app',
    rollupOptions: {
      // The search page, the playground and the app-shell service worker: the app, and all the
      // offline shell caches. The e2e test pages are another build (vite.e2e.config.ts).
      input: {
        main: resolve(import.meta.dirname, 'index.html'),
        playground: resolve(import.meta.dirname, 'playground.html'),
        [SERVICE_WORKER_ENTRY]: resolve(import.meta.dirname, 'src/offline/service-worker.ts'),
      },
      // The service worker at the root, unhashed: its URL is its identity, and its scope is its folder.
      output: {
        entryFileNames: (chunk) => (chunk.name === SERVICE_WORKER_ENTRY ? 'sw.js' : 'assets/[name]-[hash].js'),
      },
    },
  },
});
