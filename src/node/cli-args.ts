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

export const USAGE = `usage: tabembed embed --model <dir|url|hub-id> [--dtype d] [--query] [--instruction t]
                     [--dimensions n] [--max-tokens n] [--backend native|wasm] < in.jsonl > out.jsonl

Each input line is a JSON string or {"id":…,"text":…}; each output line is
{"id":…,"embedding":[…],"tokens":n}. --query prefixes "Instruct: {instruction}\\nQuery:".`;

export class UsageError extends Error {}

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

function integer(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n)) throw new UsageError(`${flag} must be a whole number, got ${value}`);
  return n;
}
