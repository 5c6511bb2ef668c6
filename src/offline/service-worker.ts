/**
 * The app-shell service worker (served as /sw.js). It keeps the files the search page needs —
 * pages, scripts, styles, workers, onnxruntime's wasm — so that a reload with the network off
 * still starts. Model files are not its business: they live in OPFS (src/model/cache) and a
 * cached load makes no request at all.
 *
 * It also answers the in-tab OpenAI route (`/v1/embeddings`, `/v1/models`) for pages that host
 * a model with serveEmbeddingsRoute (./embeddings-route.ts, installed first so that its paths
 * never reach the shell's listeners).
 *
 * One file on purpose: the build emits it at the site's root, where its scope covers the pages,
 * and replaces the manifest placeholder below with the list of files it must keep
 * (build/vite/app-shell-manifest.ts). So it imports only modules no page imports (the build
 * then inlines them), and types.
 */
import { installEmbeddingsRoute } from './embeddings-route.ts';
import { routeOptionsFrom } from './route-options.ts';
import { browserHasJspi, shellFilesFor } from './shell-files.ts';

// A module, so this `self` shadows the WebWorker lib's global one with the service worker's type.
declare const self: ServiceWorkerGlobalScope;

// Options from this worker's URL (`/sw.js?requestTimeoutMs=…`): route-options.ts.
installEmbeddingsRoute(self, routeOptionsFrom(self.location.search));

interface ShellManifest {
  /** Changes whenever a file changes, so a new build gets a new cache. */
  version: string;
  /** Paths relative to the service worker's folder (the site's base). */
  files: string[];
}

// eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion -- the build writes this JSON (build/vite/app-shell-manifest.ts) in this shape
const MANIFEST: ShellManifest = JSON.parse('__TABEMBED_APP_SHELL__') as ShellManifest;
const CACHE_PREFIX = 'tabembed-shell-';
const CACHE = `${CACHE_PREFIX}${MANIFEST.version}`;
const BASE = new URL('./', self.location.href);
const SHELL = new Set(MANIFEST.files.map((file) => new URL(file, BASE).pathname));
/** Pages: fresh from the network when there is one, so a new build shows at once. */
const PAGES = new Set([BASE.pathname, new URL('index.html', BASE).pathname, new URL('playground.html', BASE).pathname]);

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      // `reload` skips the HTTP cache: the shell must be this build's files, not older copies.
      // Of onnxruntime's builds, only those this browser's worker can load (shell-files.ts).
      await cache.addAll(
        shellFilesFor(MANIFEST.files, browserHasJspi()).map(
          (file) => new Request(new URL(file, BASE), { cache: 'reload' }),
        ),
      );
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys())
        if (name.startsWith(CACHE_PREFIX) && name !== CACHE) await caches.delete(name);
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== self.location.origin) return;
  const path = url.pathname === BASE.pathname ? new URL('index.html', BASE).pathname : url.pathname;
  if (PAGES.has(path)) event.respondWith(networkFirst(event.request, path));
  else if (SHELL.has(path)) event.respondWith(cacheFirst(event.request, path));
  // Anything else (model files, test pages) goes to the network untouched.
});

/** The page with its query string ignored: `/?model=…` is the same shell as `/`. */
async function networkFirst(request: Request, path: string): Promise<Response> {
  try {
    return await fetch(request);
  } catch (offline) {
    const cached = await caches.match(path, { cacheName: CACHE });
    if (cached) return cached;
    throw offline;
  }
}

/** Hashed assets and onnxruntime's files never change under one name: the cached copy is the file. */
async function cacheFirst(request: Request, path: string): Promise<Response> {
  return (await caches.match(path, { cacheName: CACHE })) ?? fetch(request);
}
