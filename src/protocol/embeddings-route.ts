/**
 * The messages between the service worker that answers `/v1/embeddings` and `/v1/models`
 * (src/offline/embeddings-route.ts) and the pages that host a model for it
 * (src/client/openai/serve-embeddings-route.ts). Types only: each side checks what it receives
 * against these shapes with its own guard, and neither imports the other, so the service
 * worker stays one file with no page code in it.
 *
 *   page ──ServiceWorker.postMessage── HostAnnouncement [+ host port] ──▶ service worker   (hosting starts/stops)
 *   service worker ──host port── RouteToHost request + reply port ──▶ page
 *   service worker ──Client.postMessage── RouteToHost probe + reply port ──▶ page        (after a restart)
 *   page ──reply port── HostReply ──▶ service worker                     (probe answer [+ host port], ack, response)
 *
 * The host port exists for speed: Chromium carries Client.postMessage through the browser
 * process, a MessagePort straight between the threads.
 */

/** Bumped when a message changes shape: a page and a service worker of different builds then ignore each other. */
export type EmbeddingsRouteVersion = 1;

/** What a request asks the host to do, its body already parsed as JSON by the service worker. */
export type RouteOperation =
  { name: 'embeddings.create'; body: unknown } | { name: 'models.list' } | { name: 'models.retrieve'; id: string };

/**
 * Page → service worker: this window hosts a model now (`up`, with a MessagePort in `ports` on
 * which to send it requests), or no longer (`down`).
 */
export interface HostAnnouncement {
  type: 'tabembed.embeddings/host';
  version: EmbeddingsRouteVersion;
  state: 'up' | 'down';
  model: string;
}

/**
 * Service worker → page, with one MessagePort in `event.ports` for the answer; requests go on the
 * host port when the page gave one, else through Client.postMessage like probes. A probe asks
 * "do you host?" (after the service worker restarted and forgot its hosts); a request carries
 * one HTTP request's work.
 */
export type RouteToHost =
  | { type: 'tabembed.embeddings/probe'; version: EmbeddingsRouteVersion }
  | {
      type: 'tabembed.embeddings/request';
      version: EmbeddingsRouteVersion;
      requestId: string;
      operation: RouteOperation;
    };

/**
 * Page → service worker, on the port it was given: `hosting` answers a probe (with a new host port
 * in `ports`); a request gets
 * `accepted` at once, then one `response` whose `json`
 * is the HTTP body, already serialised on the page (one string crosses, not a tree of numbers).
 */
export type HostReply =
  { type: 'hosting'; model: string } | { type: 'accepted' } | { type: 'response'; status: number; json: string };
