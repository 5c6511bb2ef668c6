/**
 * Test-only page: a tab that loads the fixture model, hosts it for the in-tab OpenAI route
 * (serveEmbeddingsRoute), registers the app's /sw.js, and calls /v1 with the official `openai`
 * client. Helpers return plain data for Playwright (page.evaluate carries no class instances).
 */
import OpenAI, { APIError } from 'openai';
import {
  createEmbedder,
  openAIFacade,
  serveEmbeddingsRoute,
  type Embedder,
  type EmbeddingsCreateParams,
  type EmbeddingsRouteHost,
  type EmbedOptions,
  type OpenAIFacade,
} from '../../src/client/index.ts';

/** What a failed call looked like to the client: its APIError's fields. */
export interface ClientFailure {
  ok: false;
  name: string;
  status: number | undefined;
  /** The body's `error` object, as the client parsed it. */
  error: unknown;
  code: string | null | undefined;
  param: string | null | undefined;
  type: string | undefined;
  requestId: string | null | undefined;
  message: string;
}
export type ClientResult<T> = { ok: true; value: T } | ClientFailure;

export interface RawResponse {
  status: number;
  allow: string | null;
  contentType: string | null;
  requestId: string | null;
  text: string;
}

let embedder: Embedder | undefined;
let facade: OpenAIFacade | undefined;
let host: EmbeddingsRouteHost | undefined;
/** A stuck host's ports (kept, so nothing closes them) and the requests it acknowledged. */
const stuck = { ports: [] as MessagePort[], requests: 0 };
/** A holding host's requests so far, and what lets their answers go. */
const held = { requests: 0, release: (): void => undefined };
/** `event.persisted` of every pageshow: `true` once the page came back from the back/forward cache. */
const pageShows: boolean[] = [];
addEventListener('pageshow', (event) => pageShows.push(event.persisted));
const client = new OpenAI({
  baseURL: `${location.origin}/v1`,
  apiKey: 'local',
  dangerouslyAllowBrowser: true,
  maxRetries: 0,
  timeout: 60_000,
});

function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`call ${what} first`);
  return value;
}

async function call<T>(run: () => Promise<T>): Promise<ClientResult<T>> {
  try {
    return { ok: true, value: await run() };
  } catch (error) {
    if (!(error instanceof APIError)) throw error;
    return {
      ok: false,
      name: error.name,
      status: error.status,
      error: error.error,
      code: error.code,
      param: error.param,
      type: error.type,
      requestId: error.requestID,
      message: error.message,
    };
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;
}

const harness = {
  /** Loads the fixture on WASM. */
  async load(): Promise<{ model: string; hiddenSize: number; maxTokens: number }> {
    embedder = await createEmbedder({ model: { url: '/models/qwen3-tiny/' }, device: 'wasm' });
    facade = openAIFacade(embedder);
    const info = embedder.info();
    return { model: info.model, hiddenSize: info.hiddenSize, maxTokens: info.maxTokens };
  },
  /** Hosts the loaded model for the route; returns the id it serves. */
  host(): string {
    host = serveEmbeddingsRoute(need(embedder, 'load()'));
    return host.model;
  },
  /**
   * Hosts the loaded model with every answer held until releaseHeld(): a tab still busy with the
   * requests it took. Once released, it answers at once, as host() does.
   */
  hostHolding(): string {
    const real = openAIFacade(need(embedder, 'load()'));
    const gate = new Promise<void>((resolve) => {
      held.release = resolve;
    });
    held.requests = 0;
    const createFromBody: OpenAIFacade['embeddings']['createFromBody'] = async (body, options) => {
      held.requests++;
      await gate;
      return real.embeddings.createFromBody(body, options);
    };
    host = serveEmbeddingsRoute({ ...real, embeddings: { ...real.embeddings, createFromBody } });
    return host.model;
  },
  heldRequests: (): number => held.requests,
  releaseHeld: (): void => held.release(),
  unhost(): void {
    host?.stop();
    host = undefined;
  },
  served: (): number => host?.served ?? 0,
  /** Registers /sw.js and resolves once it controls this page. */
  /** Registers the app's /sw.js; `query` sets the route's options (src/offline/route-options.ts). */
  async registerWorker(query = ''): Promise<void> {
    const container = navigator.serviceWorker;
    await container.register(`/sw.js${query}`, { type: 'module', scope: '/' });
    if (container.controller) return;
    await new Promise<void>((resolve) =>
      container.addEventListener('controllerchange', () => resolve(), { once: true }),
    );
  },
  controlled: (): boolean => navigator.serviceWorker.controller !== null,
  /**
   * Registers the app's /sw.js under `query` as a new version, as a deploy that changes the route's
   * options does (src/offline/route-options.ts), and resolves once that version is installed
   * (or has failed to).
   */
  async installUpdate(query: string): Promise<void> {
    const registration = await navigator.serviceWorker.register(`/sw.js${query}`, { type: 'module', scope: '/' });
    const worker = registration.installing;
    if (!worker) throw new Error(`registering /sw.js${query} started no new version`);
    await new Promise<void>((resolve) => {
      const settled = (): boolean => worker.state !== 'parsed' && worker.state !== 'installing';
      if (settled()) return resolve();
      worker.addEventListener('statechange', () => settled() && resolve());
    });
  },
  /** Script URLs of the service worker versions: the one controlling this page, the active one, and one waiting. */
  async serviceWorkers(): Promise<{ controller?: string; active?: string; waiting?: string }> {
    const registration = await navigator.serviceWorker.getRegistration();
    return {
      ...(navigator.serviceWorker.controller ? { controller: navigator.serviceWorker.controller.scriptURL } : {}),
      ...(registration?.active ? { active: registration.active.scriptURL } : {}),
      ...(registration?.waiting ? { waiting: registration.waiting.scriptURL } : {}),
    };
  },
  pageShows: (): boolean[] => [...pageShows],
  /** Says "I host" to the service worker without answering anything: a tab that froze. */
  announceSilentHost(): void {
    navigator.serviceWorker.controller?.postMessage({
      type: 'tabembed.embeddings/host',
      version: 1,
      state: 'up',
      model: 'qwen3-tiny',
    });
  },
  /**
   * Says "I host" and acknowledges every request without ever answering it: a tab busy with a job
   * that never ends, or one about to close. The reply ports are kept, so nothing closes them.
   */
  announceStuckHost(): void {
    const channel = new MessageChannel();
    channel.port1.onmessage = (event: MessageEvent): void => {
      const reply = event.ports[0];
      if (!reply) return;
      stuck.ports.push(reply);
      stuck.requests++;
      reply.postMessage({ type: 'accepted' });
    };
    navigator.serviceWorker.controller?.postMessage(
      { type: 'tabembed.embeddings/host', version: 1, state: 'up', model: 'qwen3-tiny' },
      [channel.port2],
    );
    stuck.ports.push(channel.port1);
  },
  /** Requests a stuck host has acknowledged so far. */
  stuckRequests: (): number => stuck.requests,
  /** Makes the service worker forget this host while the page keeps serving: what a service worker restart does. */
  forgetHost(): void {
    navigator.serviceWorker.controller?.postMessage({
      type: 'tabembed.embeddings/host',
      version: 1,
      state: 'down',
      model: 'qwen3-tiny',
    });
  },
  create: (params: EmbeddingsCreateParams) => call(() => client.embeddings.create(params)),
  /** Any body, as the client would send it (for bodies its types refuse). */
  post: (body: unknown) => call(() => client.post<unknown>('/embeddings', { body })),
  list: () => call(async () => (await client.models.list()).data),
  retrieve: (id: string) => call(() => client.models.retrieve(id)),
  async fetchRaw(method: string, path: string, body?: string): Promise<RawResponse> {
    const response = await fetch(path, {
      method,
      ...(body === undefined ? {} : { body, headers: { 'Content-Type': 'application/json' } }),
    });
    return {
      status: response.status,
      allow: response.headers.get('allow'),
      contentType: response.headers.get('content-type'),
      requestId: response.headers.get('x-request-id'),
      text: await response.text(),
    };
  },
  async direct(texts: string[], options: Omit<EmbedOptions, 'signal' | 'onBatch'> = {}): Promise<number[][]> {
    return (await need(embedder, 'load()').embed(texts, options)).map((v) => Array.from(v));
  },
  async disposeModel(): Promise<void> {
    await need(embedder, 'load()').dispose();
  },
  /**
   * Per-request time of the same call three ways, interleaved so that machine load hits them
   * alike: the facade in this page, fetch() through the route, the openai client through the route;
   * `GET /v1/models`, the route's round trip with no embedding behind it; and `OPTIONS`, which
   * the service worker answers itself (Chromium's fetch-event path alone).
   */
  async bench(
    text: string,
    runs: number,
    warmup: number,
  ): Promise<
    Record<
      'facade' | 'fetch' | 'client' | 'models' | 'options',
      { median: number; p95: number; mean: number; runs: number }
    >
  > {
    const f = need(facade, 'load()');
    const body = JSON.stringify({ model: 'qwen3-tiny', input: text });
    const ways = {
      facade: () => f.embeddings.create({ model: 'qwen3-tiny', input: text }),
      fetch: async () => {
        const response = await fetch('/v1/embeddings', {
          method: 'POST',
          body,
          headers: { 'Content-Type': 'application/json' },
        });
        if (!response.ok) throw new Error(`route answered ${response.status}`);
        return response.json() as Promise<unknown>;
      },
      client: () => client.embeddings.create({ model: 'qwen3-tiny', input: text, encoding_format: 'float' }),
      // The route's round trip alone: no embedding behind it.
      models: async () => (await fetch('/v1/models')).json() as Promise<unknown>,
      // The service worker's own floor: answered there, no page round trip.
      options: () => fetch('/v1/embeddings', { method: 'OPTIONS' }),
    };
    const times: Record<keyof typeof ways, number[]> = { facade: [], fetch: [], client: [], models: [], options: [] };
    for (let i = 0; i < warmup + runs; i++) {
      for (const name of ['facade', 'fetch', 'client', 'models', 'options'] as const) {
        const started = performance.now();
        await ways[name]();
        if (i >= warmup) times[name].push(performance.now() - started);
      }
    }
    const summary = (values: number[]) => {
      const sorted = [...values].sort((a, b) => a - b);
      return {
        median: percentile(sorted, 0.5),
        p95: percentile(sorted, 0.95),
        mean: values.reduce((a, b) => a + b, 0) / values.length,
        runs: values.length,
      };
    };
    return {
      facade: summary(times.facade),
      fetch: summary(times.fetch),
      client: summary(times.client),
      models: summary(times.models),
      options: summary(times.options),
    };
  },
};

declare global {
  interface Window {
    openaiHarness: typeof harness;
  }
}

window.openaiHarness = harness;
document.body.dataset['ready'] = 'true';
