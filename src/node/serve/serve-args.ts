import { parseArgs } from 'node:util';
import type { Dtype } from '../../core/types.ts';
import { dtypeOption, integer, seconds, UsageError } from '../cli-args.ts';
import type { NodeBackend } from '../node-embedder.ts';
import { DEFAULT_MAX_QUEUE } from './server.ts';

/** What `tabembed serve` runs: the model to load and how the server takes requests. */
export interface ServeCommand {
  model: string;
  /** The id `/v1/models` lists; default: a folder's name, else the Hub id or the URL's last folder. */
  modelId: string | undefined;
  dtype: Dtype | 'auto';
  backend: NodeBackend;
  maxTokens: number | undefined;
  /** --idle-timeout in seconds, as milliseconds (a stalled model download). */
  idleTimeoutMs: number | undefined;
  host: string;
  port: number;
  maxQueue: number;
  batching: boolean;
}

export const DEFAULT_PORT = 8080;

/**
 * `serve` and its flags → a ServeCommand. Throws UsageError for a bad flag.
 *
 * @example
 * parseServeCommand(['serve', '--model', 'public/models/qwen3-tiny', '--port', '0', '--no-batching']);
 * // { model: 'public/models/qwen3-tiny', host: '127.0.0.1', port: 0, maxQueue: 1024, batching: false, … }
 */
export function parseServeCommand(argv: readonly string[]): ServeCommand {
  const [command, ...rest] = argv;
  if (command !== 'serve') throw new UsageError(`unknown command "${String(command)}"`);
  const { values } = parseArgs({
    args: rest,
    strict: true,
    options: {
      model: { type: 'string' },
      'model-id': { type: 'string' },
      dtype: { type: 'string', default: 'auto' },
      backend: { type: 'string', default: 'native' },
      'max-tokens': { type: 'string' },
      'idle-timeout': { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: String(DEFAULT_PORT) },
      'max-queue': { type: 'string', default: String(DEFAULT_MAX_QUEUE) },
      'no-batching': { type: 'boolean', default: false },
    },
  });
  if (!values.model) throw new UsageError('--model is required');
  if (values['model-id'] === '') throw new UsageError('--model-id must not be empty');
  if (values.backend !== 'native' && values.backend !== 'wasm')
    throw new UsageError(`--backend must be native or wasm, got ${values.backend}`);
  if (values.host === '') throw new UsageError('--host must not be empty');
  const port = integer(values.port, '--port') ?? DEFAULT_PORT;
  if (port < 0 || port > 65535) throw new UsageError(`--port must be 0 to 65535 (0: any free port), got ${port}`);
  const maxQueue = integer(values['max-queue'], '--max-queue') ?? DEFAULT_MAX_QUEUE;
  if (maxQueue < 1) throw new UsageError(`--max-queue must be at least 1, got ${maxQueue}`);
  return {
    model: values.model,
    modelId: values['model-id'],
    dtype: dtypeOption(values.dtype),
    backend: values.backend,
    maxTokens: integer(values['max-tokens'], '--max-tokens'),
    idleTimeoutMs: seconds(values['idle-timeout'], '--idle-timeout'),
    host: values.host,
    port,
    maxQueue,
    batching: !values['no-batching'],
  };
}
