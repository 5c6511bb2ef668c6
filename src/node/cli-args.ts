import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import { DTYPE_CHOICES, isOneOf } from '../core/choices.ts';
import { COMPACT_ENCODINGS, DEFAULT_SHARD_ROWS, type CompactEncoding } from '../search/compact-index-file.ts';
import type { Dtype } from '../core/types.ts';
import { REMOTE_ENGINES, type RemoteEngine } from '../remote/dialects.ts';
import type { NodeBackend } from './node-embedder.ts';

/** `--remote <baseURL> [--remote-model name] [--remote-engine e]`: vectors from an engine's /v1/embeddings. */
export interface RemoteCommand {
  baseURL: string;
  model: string;
  engine: RemoteEngine;
}

/** The model the remote engine is taken to serve when --remote-model is not given. */
export const DEFAULT_REMOTE_MODEL = 'Qwen/Qwen3-Embedding-0.6B';

export interface EmbedCommand {
  /** The local model; with --remote, the one the engine's probe vectors are checked against (optional then). */
  model: string | undefined;
  remote: RemoteCommand | undefined;
  dtype: Dtype | 'auto';
  kind: 'query' | 'document';
  instruction: string | undefined;
  dimensions: number | undefined;
  maxTokens: number | undefined;
  backend: NodeBackend;
  /** --idle-timeout in seconds, as milliseconds. */
  idleTimeoutMs: number | undefined;
}

/** What `tabembed index` writes: a precomputed index for the `<semantic-search>` element. */
export interface IndexCommand {
  model: string | undefined;
  remote: RemoteCommand | undefined;
  /** The id the page loads the model by (a URL or Hub id), recorded in the index; default: --model. */
  modelId: string | undefined;
  dtype: Dtype | 'auto';
  /** The recommended query task, recorded in the index (documents are embedded raw). */
  instruction: string | undefined;
  dimensions: number | undefined;
  maxTokens: number | undefined;
  backend: NodeBackend;
  /** --idle-timeout in seconds, as milliseconds. */
  idleTimeoutMs: number | undefined;
  /**
   * A compact (version 2) index: a head and shard files in `out` (compact-index-file.ts);
   * undefined writes the version 1 file on stdout, as before.
   */
  compact: { out: string; encoding: CompactEncoding; shardRows: number; lexical: boolean } | undefined;
  /** --site: the items are a built site's pages (src/node/site/), linked under `baseUrl`, instead of stdin's lines. */
  site: { folder: string; baseUrl: string } | undefined;
}

/** What `tabembed pack-model` writes: a copy of a model folder that a static host serves (pack-model.ts). */
export interface PackCommand {
  modelDir: string;
  outDir: string;
  /** As given (`25MiB`); pack-model.ts parses and checks it. */
  maxFileSize: string | undefined;
  /** As given, comma-separated; pack-model.ts checks each. */
  dtypes: string[] | undefined;
}

export type CliCommand =
  | { name: 'embed'; options: EmbedCommand }
  | { name: 'index'; options: IndexCommand }
  | { name: 'pack-model'; options: PackCommand };

export const USAGE = `usage: tabembed embed --model <dir|url|hub-id> [--dtype d] [--query] [--instruction t]
                     [--dimensions n] [--max-tokens n] [--backend native|wasm] [--idle-timeout s]
                     < in.jsonl > out.jsonl
       tabembed index --model <dir|url|hub-id> [--model-id id] [--dtype d] [--dimensions n]
                     [--instruction t] [--max-tokens n] [--backend native|wasm] [--idle-timeout s]
                     < docs.jsonl > index.json
       tabembed index … --out <dir> [--encoding float32|int8|binary] [--shard-rows n] [--lexical]
                     < docs.jsonl
       tabembed index … --site <folder of built HTML> [--base-url /]
       tabembed serve --model <dir|url|hub-id> [--model-id id] [--dtype d] [--backend native|wasm]
                     [--host 127.0.0.1] [--port 8080] [--max-queue n] [--max-tokens n]
                     [--no-batching] [--idle-timeout s]
       tabembed embed|index --remote <baseURL> [--remote-model name] [--remote-engine e] [--model …] …
       tabembed pack-model <model dir> <out dir> [--max-file-size 25MiB] [--dtype q8,q4,…]

embed: each input line is a JSON string or {"id":…,"text":…}; each output line is
{"id":…,"embedding":[…],"tokens":n}. --query prefixes "Instruct: {instruction}\\nQuery:".
index: each input line is a JSON string or {"id":…,"text":…,"url":…,"title":…} (a JSON array
works too); the output is one tabembed index for <semantic-search src="index.json">.
--out writes a compact index instead: <dir>/index.json (a small head) and shard files beside it,
fetched by the widget as searches need them; --encoding (default float32) stores int8 codes
(4 + d bytes a row) or sign bits with int8 codes to rescore (8 + 9d/8 bytes); pair it with
--dimensions (e.g. 256) to cut the vectors first. --lexical adds BM25 postings of the titles and texts.
--site reads a built site instead of stdin: one item per section of each page's main content
(cut at headings, linked to page#heading-id; nav, header, footer and data-tabembed-ignore left
out), the pages' URLs under --base-url (default /).
serve: an OpenAI-compatible server: POST /v1/embeddings, GET /v1/models, /health, /metrics.
--max-queue: texts that may wait before requests get 429 (default 1024). SIGTERM or SIGINT
drains: new requests get 503, received ones finish, then it exits 0.
--model-id: index: the model as the page loads it (e.g. /models/qwen3-tiny/) when --model is a
folder; serve: the id /v1/models lists (default: the folder's name, the Hub id, the URL's last folder).
--idle-timeout: seconds without a byte before a model download counts as stalled and is
resumed (default 30); after 3 retries it fails with MODEL_FETCH_FAILED.
--remote: embed on an engine's /v1/embeddings (vLLM, SGLang, TEI, OpenAI-compatible, tabembed
serve) instead of here; --remote-model is the name it serves (default ${DEFAULT_REMOTE_MODEL}),
--remote-engine its dialect (${REMOTE_ENGINES.join(', ')}; default openai). The API key is read
from TABEMBED_REMOTE_API_KEY. With --model too, the engine's vectors for fixed probe texts must
match that local model's (cos >= 0.999 each) before anything else is embedded.
pack-model: copies a model folder so that every file is at most --max-file-size (default 25MiB,
a static host's per-file limit), weights in external-data chunks, with tabembed-pack.json
(every file's size and sha256) that the loader checks each file against.`;

export class UsageError extends Error {}

/**
 * The command line → which command, with its options. Throws UsageError for an unknown command
 * or bad flags.
 *
 * @example
 * parseCliCommand(['index', '--model', 'public/models/qwen3-tiny', '--model-id', '/models/qwen3-tiny/']);
 * // { name: 'index', options: { model: 'public/models/qwen3-tiny', modelId: '/models/qwen3-tiny/', dtype: 'auto', … } }
 */
export function parseCliCommand(argv: readonly string[]): CliCommand {
  if (argv[0] === 'pack-model') return { name: 'pack-model', options: parsePackCommand(argv) };
  return argv[0] === 'index'
    ? { name: 'index', options: parseIndexCommand(argv) }
    : { name: 'embed', options: parseEmbedCommand(argv) };
}

export function parseEmbedCommand(argv: readonly string[]): EmbedCommand {
  const values = parseFlags(argv, 'embed', { query: { type: 'boolean', default: false } });
  return { ...sharedOptions(values), kind: values.query ? 'query' : 'document' };
}

export function parseIndexCommand(argv: readonly string[]): IndexCommand {
  const values = parseFlags(argv, 'index', {
    'model-id': { type: 'string' },
    out: { type: 'string' },
    encoding: { type: 'string' },
    'shard-rows': { type: 'string' },
    lexical: { type: 'boolean', default: false },
    site: { type: 'string' },
    'base-url': { type: 'string' },
  });
  if (values['model-id'] === '') throw new UsageError('--model-id must not be empty');
  if (values.instruction !== undefined && values.instruction.trim() === '')
    throw new UsageError('--instruction must not be empty');
  return {
    ...sharedOptions(values),
    modelId: values['model-id'],
    compact: compactOptions(values),
    site: siteOptions(values.site, values['base-url']),
  };
}

/** --site <folder> [--base-url /]. */
function siteOptions(folder: string | undefined, baseUrl: string | undefined): IndexCommand['site'] {
  if (folder === undefined) {
    if (baseUrl !== undefined) throw new UsageError("--base-url places a built site's pages: give --site <folder>");
    return undefined;
  }
  if (folder === '') throw new UsageError('--site must name a folder');
  if (baseUrl !== undefined && !baseUrl.startsWith('/') && !/^https?:\/\//.test(baseUrl))
    throw new UsageError(`--base-url must start with / or http(s)://, got ${baseUrl}`);
  return { folder, baseUrl: baseUrl ?? '/' };
}

/** --out, --encoding, --shard-rows, --lexical: all or nothing of a compact index. */
function compactOptions(values: {
  out?: string | undefined;
  encoding?: string | undefined;
  'shard-rows'?: string | undefined;
  lexical?: boolean | undefined;
}): IndexCommand['compact'] {
  const { out, encoding } = values;
  if (out === undefined) {
    if (encoding !== undefined || values['shard-rows'] !== undefined || values.lexical === true)
      throw new UsageError(
        '--encoding, --shard-rows and --lexical write a compact index, a head and shard files: give --out <dir>',
      );
    return undefined;
  }
  if (out === '') throw new UsageError('--out must name a folder');
  if (encoding !== undefined && !isOneOf(COMPACT_ENCODINGS, encoding))
    throw new UsageError(`--encoding must be one of ${COMPACT_ENCODINGS.join(', ')}, got ${encoding}`);
  const shardRows = integer(values['shard-rows'], '--shard-rows') ?? DEFAULT_SHARD_ROWS;
  if (shardRows < 1) throw new UsageError(`--shard-rows must be at least 1, got ${shardRows}`);
  return { out, encoding: encoding ?? 'float32', shardRows, lexical: values.lexical === true };
}

export function parsePackCommand(argv: readonly string[]): PackCommand {
  const { values, positionals } = parseArgs({
    args: argv.slice(1),
    options: { 'max-file-size': { type: 'string' }, dtype: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  const [modelDir, outDir, ...extra] = positionals;
  if (!modelDir || !outDir || extra.length > 0)
    throw new UsageError('pack-model takes two folders: the model folder and the folder to write');
  return {
    modelDir,
    outDir,
    maxFileSize: values['max-file-size'],
    dtypes: values.dtype?.split(',').map((dtype) => dtype.trim()),
  };
}

/** The flags `embed` and `index` both take; each command adds its own to these. */
const SHARED_FLAGS = {
  model: { type: 'string' },
  dtype: { type: 'string', default: 'auto' },
  instruction: { type: 'string' },
  dimensions: { type: 'string' },
  'max-tokens': { type: 'string' },
  backend: { type: 'string', default: 'native' },
  'idle-timeout': { type: 'string' },
  remote: { type: 'string' },
  'remote-model': { type: 'string' },
  'remote-engine': { type: 'string' },
} as const satisfies ParseArgsOptionsConfig;

/** The shared flags as parseArgs gives them, --model or --remote present. */
interface SharedFlagValues {
  model?: string | undefined;
  remote?: string | undefined;
  'remote-model'?: string | undefined;
  'remote-engine'?: string | undefined;
  dtype: string;
  instruction?: string | undefined;
  dimensions?: string | undefined;
  'max-tokens'?: string | undefined;
  backend: string;
  'idle-timeout'?: string | undefined;
}

type SharedOptions = Omit<EmbedCommand, 'kind'>;

/** Checks the command name, parses the shared flags plus `own`, and requires --model or --remote. */
function parseFlags<const Own extends ParseArgsOptionsConfig>(
  argv: readonly string[],
  name: CliCommand['name'],
  own: Own,
) {
  const [command, ...rest] = argv;
  if (command !== name)
    throw new UsageError(command === undefined ? 'missing command' : `unknown command "${command}"`);
  return withModel(parseArgs({ args: [...rest], options: { ...SHARED_FLAGS, ...own }, strict: true }).values);
}

/** `values` with --model or --remote required. */
function withModel<V extends { model?: string | undefined; remote?: string | undefined }>(values: V): V {
  if (values.model === '' || (values.model === undefined && values.remote === undefined))
    throw new UsageError('--model is required (or --remote <baseURL>)');
  return values;
}

/** --remote and its companions; --remote-model and --remote-engine without --remote are a mistake. */
function remoteOption(values: SharedFlagValues): RemoteCommand | undefined {
  const engine = values['remote-engine'] ?? 'openai';
  if (values.remote === undefined) {
    if (values['remote-model'] !== undefined || values['remote-engine'] !== undefined)
      throw new UsageError('--remote-model and --remote-engine need --remote <baseURL>');
    return undefined;
  }
  if (!/^https?:\/\//.test(values.remote))
    throw new UsageError(`--remote must be an http(s) base URL such as http://localhost:8000/v1, got ${values.remote}`);
  if (!isOneOf(REMOTE_ENGINES, engine))
    throw new UsageError(`--remote-engine must be one of ${REMOTE_ENGINES.join(', ')}, got ${engine}`);
  const model = values['remote-model'] ?? DEFAULT_REMOTE_MODEL;
  if (model === '') throw new UsageError('--remote-model must not be empty');
  return { baseURL: values.remote, model, engine };
}

/** The shared flags, checked: --backend is native or wasm; --dimensions and --max-tokens are whole numbers. */
function sharedOptions(values: SharedFlagValues): SharedOptions {
  if (values.backend !== 'native' && values.backend !== 'wasm')
    throw new UsageError(`--backend must be native or wasm, got ${values.backend}`);
  return {
    model: values.model,
    remote: remoteOption(values),
    dtype: dtypeOption(values.dtype),
    instruction: values.instruction,
    dimensions: integer(values.dimensions, '--dimensions'),
    maxTokens: integer(values['max-tokens'], '--max-tokens'),
    backend: values.backend,
    idleTimeoutMs: seconds(values['idle-timeout'], '--idle-timeout'),
  };
}

/** A positive number of seconds, as milliseconds. */
export function seconds(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!(n > 0) || !Number.isFinite(n))
    throw new UsageError(`${flag} must be a positive number of seconds, got ${value}`);
  return n * 1000;
}

export function integer(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n)) throw new UsageError(`${flag} must be a whole number, got ${value}`);
  return n;
}

/** --dtype: auto or a dtype tabembed knows. */
export function dtypeOption(value: string): Dtype | 'auto' {
  if (isOneOf(DTYPE_CHOICES, value)) return value;
  throw new UsageError(`--dtype must be one of ${DTYPE_CHOICES.join(', ')}, got ${value}`);
}
