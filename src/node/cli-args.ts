import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import { DTYPE_CHOICES, isOneOf } from '../core/choices.ts';
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
}

export type CliCommand = { name: 'embed'; options: EmbedCommand } | { name: 'index'; options: IndexCommand };

export const USAGE = `usage: tabembed embed --model <dir|url|hub-id> [--dtype d] [--query] [--instruction t]
                     [--dimensions n] [--max-tokens n] [--backend native|wasm] [--idle-timeout s]
                     < in.jsonl > out.jsonl
       tabembed index --model <dir|url|hub-id> [--model-id id] [--dtype d] [--dimensions n]
                     [--instruction t] [--max-tokens n] [--backend native|wasm] [--idle-timeout s]
                     < docs.jsonl > index.json
       tabembed embed|index --remote <baseURL> [--remote-model name] [--remote-engine e] [--model …] …

embed: each input line is a JSON string or {"id":…,"text":…}; each output line is
{"id":…,"embedding":[…],"tokens":n}. --query prefixes "Instruct: {instruction}\\nQuery:".
index: each input line is a JSON string or {"id":…,"text":…,"url":…,"title":…} (a JSON array
works too); the output is one tabembed index for <semantic-search src="index.json">.
--model-id is the model as the page loads it (e.g. /models/qwen3-tiny/) when --model is a folder.
--idle-timeout: seconds without a byte before a model download counts as stalled and is
resumed (default 30); after 3 retries it fails with MODEL_FETCH_FAILED.
--remote: embed on an engine's /v1/embeddings (vLLM, SGLang, TEI, OpenAI-compatible, tabembed
serve) instead of here; --remote-model is the name it serves (default ${DEFAULT_REMOTE_MODEL}),
--remote-engine its dialect (${REMOTE_ENGINES.join(', ')}; default openai). The API key is read
from TABEMBED_REMOTE_API_KEY. With --model too, the engine's vectors for fixed probe texts must
match that local model's (cos >= 0.999 each) before anything else is embedded.`;

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
  return argv[0] === 'index'
    ? { name: 'index', options: parseIndexCommand(argv) }
    : { name: 'embed', options: parseEmbedCommand(argv) };
}

export function parseEmbedCommand(argv: readonly string[]): EmbedCommand {
  const values = parseFlags(argv, 'embed', { query: { type: 'boolean', default: false } });
  return { ...sharedOptions(values), kind: values.query ? 'query' : 'document' };
}

export function parseIndexCommand(argv: readonly string[]): IndexCommand {
  const values = parseFlags(argv, 'index', { 'model-id': { type: 'string' } });
  if (values['model-id'] === '') throw new UsageError('--model-id must not be empty');
  if (values.instruction !== undefined && values.instruction.trim() === '')
    throw new UsageError('--instruction must not be empty');
  return { ...sharedOptions(values), modelId: values['model-id'] };
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
function seconds(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!(n > 0) || !Number.isFinite(n))
    throw new UsageError(`${flag} must be a positive number of seconds, got ${value}`);
  return n * 1000;
}

function integer(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n)) throw new UsageError(`${flag} must be a whole number, got ${value}`);
  return n;
}

/** --dtype: auto or a dtype tabembed knows. */
function dtypeOption(value: string): Dtype | 'auto' {
  if (isOneOf(DTYPE_CHOICES, value)) return value;
  throw new UsageError(`--dtype must be one of ${DTYPE_CHOICES.join(', ')}, got ${value}`);
}
