import type { HostAnnouncement, HostReply, RouteOperation, RouteToHost } from '../../protocol/embeddings-route.ts';
import { openAIFacade, type FacadeEmbedder, type OpenAIFacade, type OpenAIFacadeOptions } from './openai-facade.ts';
import { toOpenAIError } from '../../protocol/openai/openai-error.ts';

export interface EmbeddingsRouteHost {
  /** The id the route serves (what `GET /v1/models` lists). */
  readonly model: string;
  /** Requests answered so far by this page. */
  readonly served: number;
  /** Stops answering; the service worker sends later requests to another hosting tab, or answers 503. */
  stop(): void;
}

/**
 * Lets this page's model answer `POST /v1/embeddings` and `GET /v1/models` on this origin,
 * through a service worker that installs the route (the app's /sw.js, or the standalone
 * `src/offline/embeddings-sw.ts`). The page keeps the model; the service worker only carries
 * requests to it. Registering the service worker is the page's business; this announces the
 * host to it and answers what it forwards.
 *
 * Only messages from this origin's service worker are answered.
 *
 * @example
 * const embedder = await createEmbedder({ model: { url: '/models/qwen3-tiny/' } });
 * const host = serveEmbeddingsRoute(embedder);
 * await navigator.serviceWorker.register('/sw.js', { type: 'module' });
 * // now, from this tab or another tab of the site:
 * const openai = new OpenAI({ baseURL: `${location.origin}/v1`, apiKey: 'local', dangerouslyAllowBrowser: true });
 * await openai.embeddings.create({ model: host.model, input: 'hello' }); // { data: [{ embedding: number[1024] … }] … }
 * host.stop();
 * // Throws TypeError when this browser has no service workers (no secure context).
 */
export function serveEmbeddingsRoute(
  source: FacadeEmbedder | OpenAIFacade,
  options: OpenAIFacadeOptions = {},
): EmbeddingsRouteHost {
  const container = typeof navigator === 'undefined' ? undefined : navigator.serviceWorker;
  if (!container)
    throw new TypeError(
      'serveEmbeddingsRoute needs service workers, which this page does not have (a secure context: https or http://localhost)',
    );
  const facade = 'embeddings' in source ? source : openAIFacade(source, options);
  const model = facade.model.id;
  let stopped = false;
  let served = 0;

  /** Ports handed to service workers for their requests: only they hold the other end. */
  const hostPorts = new Set<MessagePort>();
  const openHostPort = (): MessagePort => {
    const channel = new MessageChannel();
    channel.port1.onmessage = (event: MessageEvent): void => handle(event.data, event.ports[0]);
    hostPorts.add(channel.port1);
    return channel.port2;
  };
  const handle = (message: unknown, port: MessagePort | undefined): void => {
    if (!port || !isRouteToHost(message)) return;
    if (message.type === 'tabembed.embeddings/probe') {
      // With a port of its own for this service worker's requests.
      const hostPort = openHostPort();
      port.postMessage({ type: 'hosting', model } satisfies HostReply, [hostPort]);
      port.close();
      return;
    }
    reply(port, { type: 'accepted' });
    served++;
    void answer(facade, message.operation).then((response) => {
      reply(port, response);
      port.close();
    });
  };
  const onMessage = (event: MessageEvent): void => {
    // Our own origin's service worker only: a message from elsewhere must not run the model.
    if (event.origin !== location.origin || !(event.source instanceof ServiceWorker)) return;
    handle(event.data, event.ports[0]);
  };
  const announce = (state: HostAnnouncement['state']): void => {
    const message: HostAnnouncement = { type: 'tabembed.embeddings/host', version: 1, state, model };
    const tell = (worker: ServiceWorker): void =>
      state === 'up' ? worker.postMessage(message, [openHostPort()]) : worker.postMessage(message);
    if (container.controller) tell(container.controller);
    // Also the active worker when this page is not (yet) controlled by it.
    void container.ready.then((registration) => {
      if (registration.active && registration.active !== container.controller) tell(registration.active);
    });
  };
  // A new service worker version starts with no hosts: tell it.
  const onControllerChange = (): void => announce('up');
  // A closed (or bfcached) tab says so, so the route does not wait out the ack timeout on it; back from bfcache, it hosts again.
  const onPageHide = (): void => announce('down');
  const onPageShow = (event: PageTransitionEvent): void => {
    if (event.persisted) announce('up');
  };

  container.addEventListener('message', onMessage);
  container.addEventListener('controllerchange', onControllerChange);
  addEventListener('pagehide', onPageHide);
  addEventListener('pageshow', onPageShow);
  // Messages from the service worker are queued until this is called (or DOMContentLoaded).
  container.startMessages();
  announce('up');

  return {
    model,
    get served() {
      return served;
    },
    stop() {
      if (stopped) return;
      stopped = true;
      container.removeEventListener('message', onMessage);
      container.removeEventListener('controllerchange', onControllerChange);
      removeEventListener('pagehide', onPageHide);
      removeEventListener('pageshow', onPageShow);
      announce('down');
      for (const port of hostPorts) port.close();
      hostPorts.clear();
    },
  };
}

/** The host's answer to one forwarded operation: the HTTP status and the JSON body, success or OpenAI error. */
export async function answer(
  facade: OpenAIFacade,
  operation: RouteOperation,
): Promise<HostReply & { type: 'response' }> {
  try {
    const body = await run(facade, operation);
    return { type: 'response', status: 200, json: JSON.stringify(body) };
  } catch (error) {
    const failure = toOpenAIError(error);
    return { type: 'response', status: failure.status, json: JSON.stringify(failure.body) };
  }
}

function run(facade: OpenAIFacade, operation: RouteOperation): Promise<unknown> {
  switch (operation.name) {
    case 'embeddings.create':
      return facade.embeddings.createFromBody(operation.body);
    case 'models.list':
      return facade.models.list();
    case 'models.retrieve':
      return facade.models.retrieve(operation.id);
    default: {
      const unreachable: never = operation;
      return Promise.reject(new Error(`unknown operation ${JSON.stringify(unreachable)}`));
    }
  }
}

function reply(port: MessagePort, message: HostReply): void {
  port.postMessage(message);
}

function isRouteToHost(value: unknown): value is RouteToHost {
  if (typeof value !== 'object' || value === null || !('type' in value) || !('version' in value) || value.version !== 1)
    return false;
  if (value.type === 'tabembed.embeddings/probe') return true;
  if (
    value.type !== 'tabembed.embeddings/request' ||
    !('requestId' in value) ||
    typeof value.requestId !== 'string' ||
    !('operation' in value)
  )
    return false;
  const operation = value.operation;
  if (typeof operation !== 'object' || operation === null || !('name' in operation)) return false;
  switch (operation.name) {
    case 'embeddings.create':
      return 'body' in operation;
    case 'models.list':
      return true;
    case 'models.retrieve':
      return 'id' in operation && typeof operation.id === 'string';
    default:
      return false;
  }
}
