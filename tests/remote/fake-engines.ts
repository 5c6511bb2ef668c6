/**
 * Small engines on 127.0.0.1 that answer `/v1/embeddings` exactly as each engine's documentation
 * and source say (shapes, limits, error bodies and statuses; see src/remote/dialects.ts for the
 * references), computing their vectors with a real local model: raw text in, vectors out, as a
 * real engine would. `intercept` lets a test answer a request itself (a 429, a dropped socket,
 * a hang) before the engine does.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { encodeFloat32Base64 } from '../../src/core/base64-float32.ts';
import type { EmbedEngine } from '../../src/engine/embed-engine.ts';
import type { RemoteEngine } from '../../src/remote/dialects.ts';

/** One request as the engine received it. */
export interface SeenRequest {
  n: number;
  body: Record<string, unknown>;
  authorization: string | undefined;
  /** The `usage.prompt_tokens` the engine answered with, once it answered. */
  promptTokens?: number;
}

export interface FakeEngineOptions {
  dialect: RemoteEngine;
  /** The model name the engine serves (TEI: its --model-id). */
  model: string;
  /** The weights: every vector comes from this engine. */
  weights: EmbedEngine;
  /** TEI's --max-client-batch-size (default 32, as TEI's). */
  maxClientBatchSize?: number;
  /** vLLM: launched with --hf-overrides '{"is_matryoshka": true}'. */
  matryoshka?: boolean;
  /** Answer CORS preflights and allow every origin, as a browser-facing engine must be configured to. */
  cors?: boolean;
  /** Answer a request before the engine does; true when it answered (or dropped it). A promise holds the request until it settles. */
  intercept?: (request: SeenRequest, req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;
}

export interface FakeEngine {
  baseURL: string;
  requests: SeenRequest[];
  close(): Promise<void>;
}

export async function startFakeEngine(options: FakeEngineOptions): Promise<FakeEngine> {
  const requests: SeenRequest[] = [];
  const server: Server = createServer((req, res) => {
    if (options.cors) {
      res.setHeader('access-control-allow-origin', '*');
      if (req.method === 'OPTIONS') {
        res.writeHead(204, {
          'access-control-allow-methods': 'POST',
          'access-control-allow-headers': 'authorization, content-type',
        });
        res.end();
        return;
      }
    }
    // The route takes POST only: a browser's CORS preflight to an engine without CORS ends here.
    if (req.method !== 'POST') {
      res.writeHead(405).end();
      return;
    }
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (text += chunk));
    req.on('end', () => {
      const seen: SeenRequest = {
        n: requests.length,
        body: JSON.parse(text) as Record<string, unknown>,
        authorization: req.headers.authorization,
      };
      requests.push(seen);
      if (req.url !== '/v1/embeddings') return send(res, 404, { error: 'Not Found' });
      void Promise.resolve(options.intercept?.(seen, req, res) ?? false)
        .then(async (handled) => {
          if (handled) return;
          const { status, body } = await answer(options, seen);
          send(res, status, body);
        })
        .catch((error: unknown) => send(res, 500, { message: String(error) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/** Each engine's documented error body for `status` and `message`. */
export function errorBody(dialect: RemoteEngine, status: number, message: string): unknown {
  switch (dialect) {
    case 'tei': {
      // router/src/http/server.rs: OpenAICompatErrorResponse { message, code, type }.
      const type = { 503: 'Unhealthy', 424: 'Backend', 429: 'Overloaded', 422: 'Tokenizer', 413: 'Validation' }[status];
      return { message, code: status, type: type ?? 'Empty' };
    }
    case 'sglang':
      // sglang/srt/entrypoints/openai/protocol.py ErrorResponse: flat, object "error".
      return { object: 'error', message, type: 'BadRequestError', param: null, code: status };
    case 'vllm':
    case 'openai':
    case 'tabembed':
      return {
        error: { message, type: status === 429 ? 'rate_limit_error' : 'BadRequestError', param: null, code: status },
      };
    default: {
      const unreachable: never = dialect;
      return unreachable;
    }
  }
}

async function answer(options: FakeEngineOptions, seen: SeenRequest): Promise<{ status: number; body: unknown }> {
  const { body } = seen;
  const { dialect, model, weights } = options;
  const input = typeof body['input'] === 'string' ? [body['input']] : (body['input'] as string[]);
  const dimensions = body['dimensions'] as number | undefined;
  const fail = (status: number, message: string) => ({ status, body: errorBody(dialect, status, message) });
  if (dialect === 'tei' && input.length > (options.maxClientBatchSize ?? 32))
    return fail(413, `batch size ${input.length} > maximum allowed batch size ${options.maxClientBatchSize ?? 32}`);
  // vLLM, SGLang and OpenAI-compatible servers check the model name; TEI ignores it.
  if (dialect !== 'tei' && body['model'] !== model)
    return fail(404, `The model \`${String(body['model'])}\` does not exist.`);
  if (dialect === 'vllm' && dimensions !== undefined && !options.matryoshka)
    return fail(
      400,
      `Model "${model}" does not support matryoshka representation, changing output dimensions will lead to poor results.`,
    );
  // Raw text in: the engine does no prompting of its own.
  const result = await weights.embed(input, { kind: 'document', dimensions });
  const base64 = body['encoding_format'] === 'base64' && dialect !== 'sglang';
  const rows = input.map((_, index) => {
    const vector = result.vectors.subarray(index * result.dimensions, (index + 1) * result.dimensions);
    return { object: 'embedding', index, embedding: base64 ? encodeFloat32Base64(vector) : Array.from(vector) };
  });
  // OpenAI's API keys each row by `index`, not by position: this one sends them last first.
  const data = dialect === 'openai' ? [...rows].reverse() : rows;
  const tokens = result.tokens.reduce((a, b) => a + b, 0);
  seen.promptTokens = tokens;
  const usage = { prompt_tokens: tokens, total_tokens: tokens };
  switch (dialect) {
    case 'vllm':
      return {
        status: 200,
        body: { id: 'embd-1', object: 'list', created: 0, model, data, usage: { ...usage, completion_tokens: 0 } },
      };
    case 'sglang':
      return { status: 200, body: { data, model, object: 'list', usage: { ...usage, completion_tokens: 0 } } };
    case 'tei':
    case 'openai':
    case 'tabembed':
      return { status: 200, body: { object: 'list', data, model, usage } };
    default: {
      const unreachable: never = dialect;
      return unreachable;
    }
  }
}
