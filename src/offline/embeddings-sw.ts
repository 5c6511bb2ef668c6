/**
 * A service worker that does one thing: answer `/v1/embeddings` and `/v1/models` on its origin
 * with the model a tab of the site hosts (serveEmbeddingsRoute), for site owners who have no
 * service worker of their own. Host it at the site's root (its scope must cover the pages that
 * call the route) and register it as a module:
 *
 *   navigator.serviceWorker.register('/embeddings-sw.js', { type: 'module' });
 *
 * The route's options go in its URL's query (`/embeddings-sw.js?basePath=/api/v1&requestTimeoutMs=60000`;
 * route-options.ts).
 *
 * A site that already has a service worker imports `installEmbeddingsRoute` from
 * ./embeddings-route.ts into its own instead (a page can have only one).
 */
import { installEmbeddingsRoute } from './embeddings-route.ts';
import { routeOptionsFrom } from './route-options.ts';

declare const self: ServiceWorkerGlobalScope;

// Options from this worker's URL (`/embeddings-sw.js?basePath=/api/v1`): route-options.ts.
installEmbeddingsRoute(self, routeOptionsFrom(self.location.search));

// Take over at once, and the open pages too, so the route works on the page that registered it.
self.addEventListener('install', (event) => event.waitUntil(self.skipWaiting()));
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));
