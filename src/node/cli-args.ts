import { parseArgs } from 'node:util';
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
}

export type CliCommand = { name: 'embed'; options: EmbedCommand } | { name: 'index'; options: IndexCommand };

export const USAGE = `usage: tabembed embed --model <dir|url|hub-id> [--dtype d] [--query] [--instruction t]
                     [--dimensions n] [--max-tokens n] [--backend native|wasm] < in.jsonl > out.jsonl
       tabembed index --model <dir|url|hub-id> [--model-id id] [--dtype d] [--dimensions n]
                     [--instruction t] [--max-tokens n] [--backend native|wasm] < docs.jsonl > index.json

embed: each input line is a JSON string or {"id":…,"text":…}; each output line is
{"id":…,"embedding":[…],"tokens":n}. --query prefixes "Instruct: {instruction}\\nQuery:".
index: each input line is a JSON string or {"id":…,"text":…,"url":…,"title":…} (a JSON array
works too); the output is one tabembed index for <semantic-search src="index.json">.
--model-id is the model as the page loads it (e.g. /models/qwen3-tiny/) when --model is a folder.`;

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
  return argv[0] === 'index' ? { name: 'index', options: parseIndexCommand(argv) } : { name: 'embed', options: parseEmbedCommand(argv) };
}

export function parseEmbedCommand(argv: readonly string[]): EmbedCommand {
  const [command, ...rest] = argv;
  if (command !== 'embed') throw new UsageError(command === undefined ? 'missing command' : `unknown command "${command}"`);
  const { values } = parseArgs({
    args: [...rest],
    options: {
      model: { type: 'string' },
      dtype: { type: 'string', default: 'auto' },
      query: { type: 'boolean', default: false },
      instruction: { type: 'string' },
      dimensions: { type: 'string' },
      'max-tokens': { type: 'string' },
      backend: { type: 'string', default: 'native' },
    },
    strict: true,
  });
  if (!values.model) throw new UsageError('--model is required');
  if (values.backend !== 'native' && values.backend !== 'wasm') throw new UsageError(`--backend must be native or wasm, got ${values.backend}`);
  return {
    model: values.model,
    dtype: values.dtype as Dtype | 'auto',
    kind: values.query ? 'query' : 'document',
    instruction: values.instruction,
    dimensions: integer(values.dimensions, '--dimensions'),
    maxTokens: integer(values['max-tokens'], '--max-tokens'),
    backend: values.backend,
  };
}

export function parseIndexCommand(argv: readonly string[]): IndexCommand {
  const [command, ...rest] = argv;
  if (command !== 'index') throw new UsageError(command === undefined ? 'missing command' : `unknown command "${command}"`);
  const { values } = parseArgs({
    args: [...rest],
    options: {
      model: { type: 'string' },
      'model-id': { type: 'string' },
      dtype: { type: 'string', default: 'auto' },
      instruction: { type: 'string' },
      dimensions: { type: 'string' },
      'max-tokens': { type: 'string' },
      backend: { type: 'string', default: 'native' },
    },
    strict: true,
  });
  if (!values.model) throw new UsageError('--model is required');
  if (values['model-id'] === '') throw new UsageError('--model-id must not be empty');
  if (values.instruction !== undefined && values.instruction.trim() === '') throw new UsageError('--instruction must not be empty');
  if (values.backend !== 'native' && values.backend !== 'wasm') throw new UsageError(`--backend must be native or wasm, got ${values.backend}`);
  return {
    model: values.model,
    modelId: values['model-id'],
    dtype: values.dtype as Dtype | 'auto',
    instruction: values.instruction,
    dimensions: integer(values.dimensions, '--dimensions'),
    maxTokens: integer(values['max-tokens'], '--max-tokens'),
    backend: values.backend,
  };
}

function integer(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n)) throw new UsageError(`${flag} must be a whole number, got ${value}`);
  return n;
}
