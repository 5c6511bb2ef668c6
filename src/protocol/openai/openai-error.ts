import { EmbedError, type EmbedErrorCode } from '../../core/errors.ts';
import type { OpenAIErrorBody } from '../openai-types.ts';

/** Our codes for requests the facade refuses; engine failures carry the `EmbedError` code instead. */
export type OpenAIRequestErrorCode =
  | 'invalid_body'
  | 'missing_model'
  | 'model_not_found'
  | 'invalid_input'
  | 'empty_input'
  | 'token_arrays_unsupported'
  | 'invalid_dimensions'
  | 'invalid_encoding_format'
  | 'invalid_input_type'
  | 'invalid_instruction'
  | 'invalid_user'
  | 'too_many_inputs'
  | 'input_too_long'
  | 'internal_error'
  // Only HTTP says these: the route (`route-request.ts`: methods, JSON) and `tabembed serve` (also its queue and life cycle).
  | 'body_too_large'
  | 'invalid_json'
  | 'queue_full'
  | 'model_loading'
  | 'server_draining'
  | 'not_found'
  | 'method_not_allowed';

/**
 * A refusal or failure in OpenAI's shape: `status` is the HTTP status the route answers with,
 * `body` the JSON it sends (`{ error: { message, type, param, code } }`).
 *
 * @example
 * try { await facade.embeddings.create({ model: 'qwen3-tiny', input: [] }); }
 * catch (e) { if (e instanceof OpenAIRequestError) e.status; } // 400, e.body.error.param === 'input'
 */
export class OpenAIRequestError extends Error {
  override readonly name = 'OpenAIRequestError';
  readonly status: number;
  readonly code: OpenAIRequestErrorCode | EmbedErrorCode;
  readonly param: string | null;

  constructor(
    status: number,
    code: OpenAIRequestErrorCode | EmbedErrorCode,
    param: string | null,
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.status = status;
    this.code = code;
    this.param = param;
  }

  get body(): OpenAIErrorBody {
    return {
      error: {
        message: this.message,
        type: this.status >= 500 ? 'server_error' : 'invalid_request_error',
        param: this.param,
        code: this.code,
      },
    };
  }
}

/** Any failure as an `OpenAIRequestError`: engine errors keep their code and get the status that fits it. */
export function toOpenAIError(error: unknown): OpenAIRequestError {
  if (error instanceof OpenAIRequestError) return error;
  if (error instanceof EmbedError && error.code === 'INPUT_TOO_LONG' && error.index !== undefined) {
    // The engine names the text as the caller gave it (`texts[1]`); here the caller said `input`.
    const message = error.message.replace(/^texts\[/, 'input[');
    return new OpenAIRequestError(413, 'input_too_long', `input[${error.index}]`, message, { cause: error });
  }
  if (error instanceof EmbedError) {
    const param = error.index === undefined ? null : `input[${error.index}]`;
    return new OpenAIRequestError(statusOf(error.code), error.code, param, error.message, { cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new OpenAIRequestError(500, 'internal_error', null, `the embedder failed unexpectedly: ${message}`, {
    cause: error,
  });
}

/**
 * 503 where the model is not there to run (gone, never started, device lost for good): worth a
 * retry once a page loads it again. 500 where it is there and failed. The request checks run
 * before the engine, so INVALID_* only arrive here if the engine is stricter than the facade.
 */
function statusOf(code: EmbedErrorCode): number {
  switch (code) {
    case 'INVALID_INPUT':
    case 'INVALID_OPTION':
      return 400;
    case 'INPUT_TOO_LONG':
      return 413;
    case 'NOT_LOADED':
    case 'WORKER_FAILED':
    case 'DEVICE_UNAVAILABLE':
    case 'ABORTED':
      return 503;
    case 'MODEL_FILE_MISSING':
    case 'MODEL_FETCH_FAILED':
    case 'MODEL_ACCESS_DENIED':
    case 'MODEL_INTEGRITY_FAILED':
    case 'MODEL_TOO_LARGE':
    case 'QUOTA_EXCEEDED':
    case 'MODEL_CONFIG_INVALID':
    case 'MODEL_GRAPH_UNSUPPORTED':
    case 'TOKENIZER_INVALID':
    case 'DTYPE_UNAVAILABLE':
    case 'SESSION_FAILED':
    case 'SOURCE_INVALID':
    case 'INDEX_MISMATCH':
    case 'INDEX_STORE_FAILED':
      return 500;
    // A remote engine behind this embedder failed or refused: the upstream's fault, a gateway's status.
    case 'REMOTE_FAILED':
    case 'REMOTE_REFUSED':
      return 502;
    case 'UNSUPPORTED':
      return 501;
    default: {
      const unreachable: never = code;
      return unreachable;
    }
  }
}
