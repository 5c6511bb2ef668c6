import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { modelNames, modelNotFound, modelObject, type ModelNames } from '../../protocol/openai/model-names.ts';
import { OpenAIRequestError, toOpenAIError } from '../../protocol/openai/openai-error.ts';
import { endpointOf } from '../../protocol/openai/route-paths.ts';
import { decideRequest } from '../../protocol/openai/route-request.ts';
import type { ModelList } from '../../protocol/openai-types.ts';
import { BatchQueue, type ServeEngine } from './batch-queue.ts';
import { Lifecycle } from './drain.ts';
import { handleEmbeddings } from './embeddings-handler.ts';
import { readBodyText, sendError, sendJson, sendText } from './http-io.ts';
import { PROMETHEUS_CONTENT_TYPE } from './prometheus.ts';
import { ServeMetrics } from './serve-metrics.ts';

export interface ServeOptions {
  /** The engine, or its load: the server listens at once and answers 503 until it is ready. */
  engine: ServeEngine | Promise<ServeEngine>;
  /** The id `/v1/models` lists (default: the engine's id, or a URL's last folder name). */
  modelId?: string;
  host?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Texts that may wait for the engine before requests get 429 (default 1024). */
  maxQueue?: number;
  /** Merge requests that wait into one engine call (default true). */
  batching?: boolean;
}

export interface RunningServer {
  /** `http://host:port`, the base for `/v1`. */
  url: string;
  /** Resolves when the model is loaded and warm (`/health` 200); rejects with the load's error. */
  ready: Promise<void>;
  /** The batching queue, once `ready`: tests follow its events (`queued`, `dropped`, `batch`). */
  queue: BatchQueue;
  /** Stops taking requests (503), finishes those received, then closes. Idempotent. */
  drain(): Promise<void>;
}

export const DEFAULT_MAX_QUEUE = 1024;

/**
 * An OpenAI-compatible embeddings server on node:http: `POST /v1/embeddings`,
 * `GET /v1/models[/{id}]`, `GET /health`, `GET /metrics`. Requests that wait merge into one
 * engine call (`batch-queue.ts`); `drain()` is what SIGTERM calls.
 *
 * @example
 * const server = await startServer({ engine: createNodeEmbedder({ model: 'public/models/qwen3-tiny' }) });
 * await server.ready;
 * const openai = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'unused' });
 * await openai.embeddings.create({ model: 'qwen3-tiny', input: ['a', 'b'] }); // data: 2 × number[64]
 * await server.drain();
 */
export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const life = new Lifecycle();
  const metrics = new ServeMetrics();
  let loaded: { engine: ServeEngine; model: ModelNames; queue: BatchQueue } | undefined;
  const created = Math.floor(Date.now() / 1000);
  const ready = Promise.resolve(options.engine).then((engine) => {
    const model = modelNames(engine.info().model, {
      ...(options.modelId === undefined ? {} : { id: options.modelId }),
      servedBy: 'this server',
    });
    const queue = new BatchQueue(engine, {
      batching: options.batching ?? true,
      maxQueue: options.maxQueue ?? DEFAULT_MAX_QUEUE,
    });
    queue.on('batch', (requests, texts, tokens) => metrics.recordBatch(requests, texts, tokens));
    queue.on('dropped', () => metrics.recordDropped());
    loaded = { engine, model, queue };
    if (life.phase === 'loading') life.phase = 'ready';
    return loaded;
  });

  const route = async (
    request: IncomingMessage,
    response: ServerResponse,
  ): Promise<{ path: string; status: number }> => {
    // The path as sent, without its query: `new URL` would throw on a request line like `GET //[`.
    const path = (request.url ?? '/').replace(/[?#].*$/s, '');
    // Once draining, each answer also closes its connection, so keep-alive sockets end with the work.
    if (life.phase === 'draining') response.setHeader('connection', 'close');
    if (path === '/health') {
      const status = life.accepting ? 200 : 503;
      sendJson(response, status, { status: life.phase });
      return { path, status };
    }
    if (path === '/metrics') {
      const queue = loaded?.queue;
      const gauges = {
        waitingTexts: queue?.waitingTexts ?? 0,
        waitingRequests: queue?.waitingRequests ?? 0,
        inFlight: life.inFlight,
      };
      sendText(response, 200, metrics.render(gauges, life.accepting), { 'content-type': PROMETHEUS_CONTENT_TYPE });
      return { path, status: 200 };
    }
    // The paths, methods and JSON rule of the in-tab route (route-paths.ts, route-request.ts), so both answer alike.
    const endpoint = endpointOf(path, '/v1');
    if (!endpoint)
      return refuse(
        response,
        path,
        new OpenAIRequestError(
          404,
          'not_found',
          null,
          `no route ${path}: this server answers POST /v1/embeddings, GET /v1/models, /health and /metrics`,
        ),
      );
    const label = endpoint.kind === 'model' ? '/v1/models/{id}' : path;
    if (!life.accepting || !loaded) {
      const refusal =
        life.phase === 'loading'
          ? new OpenAIRequestError(
              503,
              'model_loading',
              null,
              'the model is still loading: retry when GET /health answers 200',
            )
          : new OpenAIRequestError(
              503,
              'server_draining',
              null,
              'the server is shutting down and takes no new requests',
            );
      return refuse(response, label, refusal);
    }
    const { engine, model, queue } = loaded;
    const started = performance.now();
    life.begin();
    try {
      const decision = await decideRequest(endpoint, request.method ?? 'GET', path, () => readBodyText(request));
      switch (decision.answer) {
        case 'preflight':
          sendText(response, 204, '', { allow: decision.allow });
          return { path: label, status: 204 };
        case 'refuse':
          return refuse(
            response,
            label,
            new OpenAIRequestError(decision.status, decision.code, null, decision.message),
            decision.headers,
          );
        case 'forward':
          break;
        default: {
          const unreachable: never = decision;
          return unreachable;
        }
      }
      const { operation } = decision;
      switch (operation.name) {
        case 'embeddings.create': {
          const status = await handleEmbeddings(operation.body, response, engine, model, queue);
          metrics.recordLatency((performance.now() - started) / 1000);
          return { path: label, status };
        }
        case 'models.list':
          sendJson(response, 200, { object: 'list', data: [modelObject(model, created)] } satisfies ModelList);
          return { path: label, status: 200 };
        case 'models.retrieve':
          if (!model.accepted.has(operation.id)) return refuse(response, label, modelNotFound(operation.id, model));
          sendJson(response, 200, modelObject(model, created));
          return { path: label, status: 200 };
        default: {
          const unreachable: never = operation;
          return unreachable;
        }
      }
    } catch (error) {
      // A body cut off by its client (nobody to answer: 499), or over the limit; anything else is a bug, still answered in OpenAI's shape.
      if (response.destroyed) return { path: label, status: 499 };
      return refuse(response, label, toOpenAIError(error));
    } finally {
      life.end();
    }
  };

  const server = createServer((request, response) => {
    void route(request, response)
      // A bug (or a request URL nobody foresaw) answers 500 in OpenAI's shape rather than ending the process.
      .catch((error: unknown) => refuse(response, 'other', toOpenAIError(error)))
      .then(({ path, status }) => metrics.recordRequest(known(path), status));
  });
  server.listen(options.port ?? 0, options.host ?? '127.0.0.1');
  await once(server, 'listening');
  const bound = server.address();
  if (bound === null || typeof bound === 'string')
    throw new Error(`the server listens on ${String(bound)}, not a TCP port`);
  const host = bound.address.includes(':') ? `[${bound.address}]` : bound.address;

  let drained: Promise<void> | undefined;
  const drain = (): Promise<void> =>
    (drained ??= (async () => {
      life.phase = 'draining';
      await life.settled();
      await loaded?.queue.idle();
      life.phase = 'closed';
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    })());

  return {
    url: `http://${host}:${bound.port}`,
    ready: ready.then(() => undefined),
    get queue() {
      if (!loaded) throw new Error('the queue exists once the model is loaded: await ready first');
      return loaded.queue;
    },
    drain,
  };
}

/** A refusal in OpenAI's error shape, and what the metrics record of it. */
function refuse(
  response: ServerResponse,
  path: string,
  error: OpenAIRequestError,
  headers: Record<string, string> = {},
): { path: string; status: number } {
  sendError(response, error, headers);
  return { path, status: error.status };
}

/** Paths as metric labels: the routes' own, anything else `other` (a scanner must not grow the label set). */
function known(path: string): string {
  return ['/v1/embeddings', '/v1/models', '/v1/models/{id}', '/health', '/metrics'].includes(path) ? path : 'other';
}
