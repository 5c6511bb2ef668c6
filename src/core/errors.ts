/*
 * Every failure that reaches a caller is an `EmbedError` with a stable `code` (tests, UIs and
 * the OpenAI facade switch on it) and a message that names the item or file involved and says
 * what to do next. The class survives the worker boundary: see `src/protocol/error-wire.ts`.
 */

/** Every code an EmbedError may carry, with what it means. */
export const EMBED_ERROR_CODES = [
  'INVALID_INPUT', // not an array, empty array, non-string item, empty string
  'INVALID_OPTION', // bad dimensions, maxTokens, kind, instruction, overLength
  'INPUT_TOO_LONG', // a text over maxTokens when the call asked to refuse rather than truncate
  'MODEL_FILE_MISSING', // 404 or absent local file
  'MODEL_FETCH_FAILED', // network error, dropped connection, CORS refusal, HTML instead of the file
  'MODEL_ACCESS_DENIED', // 401/403: private, gated or nonexistent Hub repo
  'MODEL_INTEGRITY_FAILED', // size or sha256 still wrong after a fresh download
  'MODEL_TOO_LARGE', // a file larger than this browser can hold in one ArrayBuffer, or a model larger than this device can hold (core/model-fit.ts)
  'QUOTA_EXCEEDED', // not enough storage for the files still to download
  'MODEL_CONFIG_INVALID', // config.json unreadable or not a Qwen3 embedding model
  'MODEL_GRAPH_UNSUPPORTED', // graph lacks the inputs/outputs the path needs
  'TOKENIZER_INVALID', // tokenizer files unusable (e.g. no <|endoftext|> token)
  'DEVICE_UNAVAILABLE', // WebGPU asked for but no adapter
  'DTYPE_UNAVAILABLE', // no variant the device can run
  'SESSION_FAILED', // onnxruntime could not create or run the session
  'NOT_LOADED', // embed before load, or after dispose
  'WORKER_FAILED', // the worker script could not load or crashed
  'ABORTED', // the caller's AbortSignal fired
  'SOURCE_INVALID', // a user's texts that cannot be read: a file, stdin or a pasted text (bad JSON line, bad item, unsupported type, no text)
  'INDEX_MISMATCH', // vectors of another model/revision/dtype/dimensions/instruction policy: never mixed into one search
  'INDEX_STORE_FAILED', // IndexedDB refused a read or write (quota, blocked upgrade, private mode)
  'REMOTE_FAILED', // a remote engine did not answer usably: network, dropped connection, 5xx after retries, timeout, a malformed answer
  'REMOTE_REFUSED', // a remote engine refused the request (4xx): bad key, unknown model, batch or text too large
  'UNSUPPORTED', // this provider cannot do that call (countTokens on a remote engine)
] as const;

export type EmbedErrorCode = (typeof EMBED_ERROR_CODES)[number];

export class EmbedError extends Error {
  override readonly name = 'EmbedError';
  readonly code: EmbedErrorCode;
  /** Index of the offending input item, when one item is to blame. */
  readonly index: number | undefined;

  constructor(code: EmbedErrorCode, message: string, options: { index?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.index = options.index;
  }
}

export function isEmbedErrorCode(value: unknown): value is EmbedErrorCode {
  return typeof value === 'string' && (EMBED_ERROR_CODES as readonly string[]).includes(value);
}
