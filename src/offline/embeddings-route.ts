/**
 * `POST /v1/embeddings`, `GET /v1/models` and `GET /v1/models/{id}` answered inside the browser:
 * the service worker carries each request to a window of this origin that hosts a model
 * (`serveEmbeddingsRoute` on the page) and turns its answer into the HTTP response. The request
 * never reaches the network. Messages: src/protocol/embeddings-route.ts.
 *
 * Imported by two service workers, the app's /sw.js and the standalone embeddings-sw.ts, and by
 * nothing a page imports: the build inlines it into each, so either stays one file.
 */
import type { OpenAIErrorBody } from '../protocol/openai-types.ts';
import type { HostAnnouncement, HostReply, RouteToHost } from '../protocol/embeddings-route.ts';
import { endpointOf, type Endpoint } from '../protocol/openai/route-paths.ts';
import { decideRequest } from '../protocol/openai/route-request.ts';
import type { EmbeddingsRouteOptions } from './route-options.ts';

export type { EmbeddingsRouteOptions };

const ROUTE_DEFAULTS = {
  basePath: '/v1',
  ackTimeoutMs: 3_000,
  requestTimeoutMs: 240_000,
  probeTimeoutMs: 1_000,
} as const;
/** How often the service worker checks that the host of a running request still exists (a closed tab never answers). */
const LIVENESS_MS = 1_000;

type Outcome = Response | 'silent';

/**
 * Adds the route's `fetch` and `message` listeners to `scope`. Install it before other fetch
 * listeners: it answers only its own paths on this origin and leaves everything else alone.
 *
 * @example
 * // sw.ts
 * installEmbeddingsRoute(self);                       // POST /v1/embeddings → a hosting tab
 * installEmbeddingsRoute(self, { basePath: '/api/v1' });
 */
export function installEmbeddingsRoute(scope: ServiceWorkerGlobalScope, options: EmbeddingsRouteOptions = {}): void {
  const settings = { ...ROUTE_DEFAULTS, ...options };
  const base = settings.basePath.replace(/\/+$/, '');
  /** Windows that said they host, by client id. Lost when the worker stops; probes rebuild it. */
  const hosts = new Map<string, Host>();
  const drop = (id: string): void => {
    hosts.get(id)?.port?.close();
    hosts.delete(id);
  };
  let nextRequest = 0;

  scope.addEventListener('message', (event) => {
    const source = event.source;
    // Same-origin windows only (a service worker's clients are, but say so where it matters).
    if (!(source instanceof WindowClient) || new URL(source.url).origin !== scope.location.origin) return;
    const message: unknown = event.data;
    if (!isAnnouncement(message)) return;
    drop(source.id);
    if (message.state === 'up') hosts.set(source.id, { client: source, port: event.ports[0] });
  });

  scope.addEventListener('fetch', (event) => {
    const url = new URL(event.request.url);
    if (url.origin !== scope.location.origin) return;
    const endpoint = endpointOf(url.pathname, base);
    if (!endpoint) return; // not ours: other /v1 paths may be a real server's
    // A bug here must still answer in OpenAI's shape, not fail the fetch (or reach the network).
    event.respondWith(
      handle(event, endpoint).catch((error: unknown) =>
        errorResponse(
          500,
          'route_failed',
          null,
          `the embeddings route failed: ${error instanceof Error ? error.message : String(error)}`,
          'tabembed-route',
        ),
      ),
    );
  });

  async function handle(event: FetchEvent, endpoint: Endpoint): Promise<Response> {
    const requestId = `tabembed-${Date.now().toString(36)}-${(nextRequest++).toString(36)}`;
    const decision = await decideRequest(endpoint, event.request.method, url(event), () => event.request.text());
    switch (decision.answer) {
      case 'preflight':
        return new Response(null, { status: 204, headers: { Allow: decision.allow, 'x-request-id': requestId } });
      case 'refuse':
        return errorResponse(decision.status, decision.code, null, decision.message, requestId, decision.headers);
      case 'forward':
        return forward(
          event.clientId,
          { type: 'tabembed.embeddings/request', version: 1, requestId, operation: decision.operation },
          requestId,
        );
      default: {
        const unreachable: never = decision;
        return unreachable;
      }
    }
  }

  /** The requesting window first when it hosts, then the others; a host that does not acknowledge is dropped. */
  async function forward(requesterId: string, message: RouteToHost, requestId: string): Promise<Response> {
    // The common case, a hosting tab calling its own route, skips clients.matchAll (a round trip to the browser process).
    const tried = new Set<string>();
    const requester = hosts.get(requesterId);
    if (requester) {
      tried.add(requesterId);
      const outcome = await ask(requester, message, requestId);
      if (outcome !== 'silent') return outcome;
      drop(requesterId);
    }
    for (const host of await candidates(requesterId)) {
      if (tried.has(host.client.id)) continue;
      const outcome = await ask(host, message, requestId);
      if (outcome !== 'silent') return outcome;
      drop(host.client.id);
    }
    return errorResponse(
      503,
      'no_model_host',
      null,
      'no open tab of this site hosts an embedding model: open a page that loads one and calls serveEmbeddingsRoute(embedder), then retry',
      requestId,
    );
  }

  async function candidates(requesterId: string): Promise<Host[]> {
    const windows = await scope.clients.matchAll({ type: 'window', includeUncontrolled: true });
    for (const id of [...hosts.keys()]) if (!windows.some((client) => client.id === id)) drop(id);
    if (hosts.size === 0) await probe(windows, requesterId);
    return [...hosts.values()].sort(
      (a, b) => Number(b.client.id === requesterId) - Number(a.client.id === requesterId),
    );
  }

  /** Asks every window whether it hosts; done at the requester's answer, or at the first one after it had its chance, or on time out. */
  function probe(windows: readonly WindowClient[], requesterId: string): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, settings.probeTimeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        resolve();
      };
      for (const client of windows) {
        const channel = new MessageChannel();
        channel.port1.onmessage = (event: MessageEvent): void => {
          const reply: unknown = event.data;
          channel.port1.close();
          if (!isHostReply(reply) || reply.type !== 'hosting') return;
          drop(client.id);
          hosts.set(client.id, { client, port: event.ports[0] });
          if (client.id === requesterId || !windows.some((w) => w.id === requesterId)) done();
          // Another window answered first: give the requester a moment to answer too.
          else setTimeout(done, 50);
        };
        client.postMessage({ type: 'tabembed.embeddings/probe', version: 1 } satisfies RouteToHost, [channel.port2]);
      }
    });
  }

  /** One host, one request: 'silent' when it does not acknowledge in time, else the response to send. */
  function ask(host: Host, message: RouteToHost, requestId: string): Promise<Outcome> {
    const { client } = host;
    return new Promise((resolve) => {
      const channel = new MessageChannel();
      const timers: ReturnType<typeof setTimeout>[] = [];
      let liveness: ReturnType<typeof setInterval> | undefined;
      const finish = (outcome: Outcome): void => {
        timers.forEach((timer) => clearTimeout(timer));
        clearInterval(liveness);
        channel.port1.close();
        resolve(outcome);
      };
      timers.push(setTimeout(() => finish('silent'), settings.ackTimeoutMs));
      channel.port1.onmessage = (event: MessageEvent): void => {
        const reply: unknown = event.data;
        if (!isHostReply(reply)) return;
        switch (reply.type) {
          case 'accepted':
            clearTimeout(timers.shift());
            timers.push(
              setTimeout(
                () =>
                  finish(
                    errorResponse(
                      504,
                      'host_timeout',
                      null,
                      `the tab hosting the model did not answer within ${settings.requestTimeoutMs / 1000} s: send fewer or shorter inputs per request`,
                      requestId,
                    ),
                  ),
                settings.requestTimeoutMs,
              ),
            );
            liveness = setInterval(() => {
              void scope.clients.get(client.id).then((alive) => {
                if (!alive)
                  finish(
                    errorResponse(
                      503,
                      'host_gone',
                      null,
                      'the tab hosting the model closed before it answered: retry once a tab hosts one',
                      requestId,
                    ),
                  );
              });
            }, LIVENESS_MS);
            break;
          case 'response':
            finish(
              new Response(reply.json, {
                status: reply.status,
                headers: { 'Content-Type': 'application/json', 'x-request-id': requestId },
              }),
            );
            break;
          case 'hosting':
            break;
          default: {
            const unreachable: never = reply;
            void unreachable;
          }
        }
      };
      // The host's own port when it gave one: Client.postMessage goes through the browser process, a port does not.
      if (host.port) host.port.postMessage(message, [channel.port2]);
      else client.postMessage(message, [channel.port2]);
    });
  }
}

/** A window that hosts, and the port it handed over for requests (absent from an older page). */
interface Host {
  client: WindowClient;
  port: MessagePort | undefined;
}

function errorResponse(
  status: number,
  code: string,
  param: string | null,
  message: string,
  requestId: string,
  headers: Record<string, string> = {},
): Response {
  const body: OpenAIErrorBody = {
    error: { message, type: status >= 500 ? 'server_error' : 'invalid_request_error', param, code },
  };
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', 'x-request-id': requestId, ...headers },
  });
}

function url(event: FetchEvent): string {
  return new URL(event.request.url).pathname;
}

function isAnnouncement(value: unknown): value is HostAnnouncement {
  return (
    typeof value === 'object' &&
    value !== null &&
    'type' in value &&
    value.type === 'tabembed.embeddings/host' &&
    'version' in value &&
    value.version === 1 &&
    'state' in value &&
    (value.state === 'up' || value.state === 'down') &&
    'model' in value &&
    typeof value.model === 'string'
  );
}

function isHostReply(value: unknown): value is HostReply {
  if (typeof value !== 'object' || value === null || !('type' in value)) return false;
  switch (value.type) {
    case 'accepted':
      return true;
    case 'hosting':
      return 'model' in value && typeof value.model === 'string';
    case 'response':
      return 'status' in value && typeof value.status === 'number' && 'json' in value && typeof value.json === 'string';
    default:
      return false;
  }
}
