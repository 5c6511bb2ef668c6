/**
 * `createEmbedder({ remote: … })`'s options, checked and completed before any request: a bad
 * one is INVALID_OPTION naming it, a misspelt one is refused (it would otherwise be ignored).
 */
import { EmbedError } from '../core/errors.ts';
import { describeInput, validateOptionNames } from '../core/validate.ts';
import { DIALECTS, REMOTE_ENGINES, type Dialect, type RemoteEngine } from './dialects.ts';
import type { LocalReference } from './probe.ts';
import { PROBE_MIN_COSINE } from './probe.ts';
import type { RetryEvent } from './post-json.ts';
import { DEFAULT_RETRY, type RetryPolicy } from './retry.ts';

export interface RemoteOptions {
  /** The engine's base URL: `http://gpu:8000/v1` or `http://gpu:8000` (then `/v1` is added). */
  baseURL: string;
  /** The model name the engine serves, e.g. `Qwen/Qwen3-Embedding-0.6B`; every answer must name it. */
  model: string;
  /** Sent as `Authorization: Bearer …`. Never logged, never recorded in an index. */
  apiKey?: string;
  /** Whose dialect the engine speaks (default 'openai'). */
  engine?: RemoteEngine;
  /** The model revision the engine runs, when pinned (part of the embedding space). */
  revision?: string;
  /** The dtype the engine runs (part of the embedding space; default 'served'). */
  dtype?: string;
  /** A local embedder to compare the probe texts with at first use: cos ≥ minCosine per probe, else INDEX_MISMATCH. */
  verifyAgainst?: LocalReference;
  /** Per-probe cosine bar (default 0.999). */
  minCosine?: number;
  /** Full vector width; default: the local model's, else Qwen3-Embedding's by name (1024/2560/4096), else the probe answer's. */
  hiddenSize?: number;
  /** Texts per request (default: the engine's limit, TEI 32, others 64). */
  batchSize?: number;
  /** Requests in flight at once (default 4). */
  concurrency?: number;
  /** ms without a whole answer after which a request fails (default 120 000). */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  /** `float` or `base64` answers (default: base64 where the engine documents it). */
  encoding?: 'float' | 'base64';
  /** Called before each retry (a 429, a 503, a dropped connection), with the wait. */
  onRetry?: (event: RetryEvent) => void;
}

/** The options with every default filled in. */
export interface RemoteConfig {
  url: string;
  /** The base URL as recorded (no credentials, no query). */
  baseURL: string;
  engine: RemoteEngine;
  dialect: Dialect;
  model: string;
  revision: string | undefined;
  dtype: string;
  apiKey: string | undefined;
  verifyAgainst: LocalReference | undefined;
  minCosine: number;
  hiddenSize: number | undefined;
  batchSize: number;
  concurrency: number;
  timeoutMs: number;
  retry: RetryPolicy;
  encoding: 'float' | 'base64';
  onRetry: ((event: RetryEvent) => void) | undefined;
}

const OPTION_NAMES = [
  'baseURL',
  'model',
  'apiKey',
  'engine',
  'revision',
  'dtype',
  'verifyAgainst',
  'minCosine',
  'hiddenSize',
  'batchSize',
  'concurrency',
  'timeoutMs',
  'retry',
  'encoding',
  'onRetry',
] as const satisfies readonly (keyof RemoteOptions)[];

/** Qwen3-Embedding's full widths (its model card), so a wrong width is caught on the first answer. */
const QWEN3_WIDTHS: Record<string, number> = { '0.6b': 1024, '4b': 2560, '8b': 4096 };

export function remoteConfig(options: RemoteOptions): RemoteConfig {
  validateOptionNames(options, OPTION_NAMES, 'remote');
  const fail = (name: string, rule: string, got: unknown): never => {
    throw new EmbedError('INVALID_OPTION', `remote.${name} must be ${rule}, got ${describeInput(got)}`);
  };
  const engine = options.engine ?? 'openai';
  if (!REMOTE_ENGINES.includes(engine)) fail('engine', `one of ${REMOTE_ENGINES.join(', ')}`, engine);
  if (typeof options.model !== 'string' || options.model === '')
    fail('model', 'the model name the engine serves, e.g. "Qwen/Qwen3-Embedding-0.6B"', options.model);
  const { url, baseURL } = endpointUrl(options.baseURL);
  const dialect = DIALECTS[engine];
  const count = (name: keyof RemoteOptions, fallback: number, max = Infinity): number => {
    const value: unknown = options[name];
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max)
      return fail(name, `a whole number from 1${max < Infinity ? ` to ${max}` : ''}`, value);
    return value;
  };
  const minCosine = options.minCosine ?? PROBE_MIN_COSINE;
  if (typeof minCosine !== 'number' || !(minCosine > 0 && minCosine <= 1))
    fail('minCosine', 'a number in (0, 1]', minCosine);
  const encoding = options.encoding ?? dialect.encoding;
  if (encoding !== 'float' && encoding !== 'base64') fail('encoding', '"float" or "base64"', encoding);
  const sizeByName = /Qwen3-Embedding-(0\.6B|4B|8B)\b/i.exec(options.model)?.[1]?.toLowerCase();
  return {
    url,
    baseURL,
    engine,
    dialect,
    model: options.model,
    revision: options.revision,
    dtype: options.dtype ?? 'served',
    apiKey: options.apiKey,
    verifyAgainst: options.verifyAgainst,
    minCosine,
    hiddenSize:
      options.hiddenSize !== undefined
        ? count('hiddenSize', 0)
        : (options.verifyAgainst?.info().hiddenSize ?? (sizeByName ? QWEN3_WIDTHS[sizeByName] : undefined)),
    batchSize: count('batchSize', dialect.maxInputs),
    concurrency: count('concurrency', 4, 64),
    timeoutMs: count('timeoutMs', 120_000),
    retry: { ...DEFAULT_RETRY, ...options.retry },
    encoding,
    onRetry: options.onRetry,
  };
}

/**
 * The embeddings URL for a base URL, and the base as it may be recorded: an index names where its
 * vectors came from, and must not carry a token in a query (credentials are refused outright).
 *
 * @example
 * endpointUrl('http://gpu:8000'); // { url: 'http://gpu:8000/v1/embeddings', baseURL: 'http://gpu:8000/' }
 * endpointUrl('https://host/v1/?token=x'); // { url: 'https://host/v1/embeddings?token=x', baseURL: 'https://host/v1/' }
 */
export function endpointUrl(base: unknown): { url: string; baseURL: string } {
  const refuse = (): never => {
    throw new EmbedError(
      'INVALID_OPTION',
      `remote.baseURL must be an absolute http(s) URL such as "http://localhost:8000/v1", got ${describeInput(base)}`,
    );
  };
  let parsed: URL;
  try {
    parsed = typeof base === 'string' ? new URL(base) : refuse();
  } catch {
    return refuse();
  }
  // `gpu:8000` parses, as a URL of scheme "gpu:".
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return refuse();
  // fetch refuses a URL with credentials, and an index would record them.
  if (parsed.username !== '' || parsed.password !== '')
    throw new EmbedError(
      'INVALID_OPTION',
      'remote.baseURL holds a user name or password: leave them out and pass the key as remote.apiKey (sent as a Bearer token)',
    );
  const path = parsed.pathname.replace(/\/+$/, '');
  const url = new URL(parsed.href);
  url.pathname = `${path.endsWith('/v1') ? path : `${path}/v1`}/embeddings`;
  const recorded = new URL(parsed.href);
  recorded.search = '';
  recorded.hash = '';
  return { url: url.href, baseURL: recorded.href };
}
