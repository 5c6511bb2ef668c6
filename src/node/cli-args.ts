import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import { DTYPE_CHOICES, isOneOf } from '../core/choices.ts';
import type { Dtype } from '../core/types.ts';
import type { NodeBackend } from './node-embedder.ts';

export interface EmbedCommand {
  model: string;
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
  model: string;
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
       tabembed pack-model <model dir> <out dir> [--max-file-size 25MiB] [--dtype q8,q4,…]

embed: each input line is a JSON string or {"id":…,"text":…}; each output line is
{"id":…,"embedding":[…],"tokens":n}. --query prefixes "Instruct: {instruction}\\nQuery:".
index: each input line is a JSON string or {"id":…,"text":…,"url":…,"title":…} (a JSON array
works too); the output is one tabembed index for <semantic-search src="index.json">.
--model-id is the model as the page loads it (e.g. /models/qwen3-tiny/) when --model is a folder.
--idle-timeout: seconds without a byte before a model download counts as stalled and is
resumed (default 30); after 3 retries it fails with MODEL_FETCH_FAILED.
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
  const values = parseFlags(argv, 'index', { 'model-id': { type: 'string' } });
  if (values['model-id'] === '') throw new UsageError('--model-id must not be empty');
  if (values.instruction !== undefined && values.instruction.trim() === '')
    throw new UsageError('--instruction must not be empty');
  return { ...sharedOptions(values), modelId: values['model-id'] };
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
} as const satisfies ParseArgsOptionsConfig;

/** The shared flags as parseArgs gives them, --model present. */
interface SharedFlagValues {
  model: string;
  dtype: string;
  instruction?: string | undefined;
  dimensions?: string | undefined;
  'max-tokens'?: string | undefined;
  backend: string;
  'idle-timeout'?: string | undefined;
}

type SharedOptions = Omit<EmbedCommand, 'kind'>;

/** Checks the command name, parses the shared flags plus `own`, and requires --model. */
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

/** `values` with --model required (a non-empty string). */
function withModel<V extends { model?: string | undefined }>(values: V): V & { model: string } {
  if (!values.model) throw new UsageError('--model is required');
  return { ...values, model: values.model };
}

/** The shared flags, checked: --backend is native or wasm; --dimensions and --max-tokens are whole numbers. */
function sharedOptions(values: SharedFlagValues): SharedOptions {
  if (values.backend !== 'native' && values.backend !== 'wasm')
    throw new UsageError(`--backend must be native or wasm, got ${values.backend}`);
  return {
    model: values.model,
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
