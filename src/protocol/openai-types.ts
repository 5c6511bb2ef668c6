/**
 * OpenAI's wire shapes for `/v1/embeddings` and `/v1/models`, as the official client types them
 * (openai-node `resources/embeddings.ts`, `resources/models.ts`), plus the two non-standard body
 * fields other OpenAI-compatible embedding servers use for asymmetric models (`input_type`,
 * `instruction`). Types only.
 */
import type { TextKind } from '../core/prompt.ts';

export type EncodingFormat = 'float' | 'base64';

/** Qwen3-Embedding embeds queries with an instruction and documents raw: core's own two kinds. */
export type InputType = TextKind;

export interface EmbeddingsCreateParams {
  /** The loaded model's id, or an accepted alias (see `OpenAIFacadeOptions`). */
  model: string;
  /** One text or up to `MAX_INPUTS_PER_REQUEST` texts. Token arrays are refused (400). */
  input: string | string[];
  /** Matryoshka size: the first `dimensions` values, renormalised (32 ≤ d ≤ hidden size). */
  dimensions?: number;
  /** `float` (the default) or `base64`: little-endian float32 bytes, base64-encoded. */
  encoding_format?: EncodingFormat;
  /** Accepted and ignored, as nothing leaves the tab. */
  user?: string;
  /** Non-standard: `query` embeds `Instruct: {instruction}\nQuery:{text}`; `document` (the default) embeds the raw text. */
  input_type?: InputType;
  /** Non-standard: the query's task sentence; only with `input_type: 'query'`. Defaults to the web-search one. */
  instruction?: string;
}

export interface EmbeddingObject<E extends number[] | string> {
  object: 'embedding';
  index: number;
  embedding: E;
}

export interface CreateEmbeddingResponse<E extends number[] | string = number[]> {
  object: 'list';
  data: EmbeddingObject<E>[];
  model: string;
  usage: { prompt_tokens: number; total_tokens: number };
}

export interface ModelObject {
  id: string;
  object: 'model';
  /** Unix seconds. */
  created: number;
  owned_by: string;
}

export interface ModelList {
  object: 'list';
  data: ModelObject[];
}

/** `invalid_request_error` for 4xx, `server_error` for 5xx, as OpenAI's API answers. */
export type OpenAIErrorType = 'invalid_request_error' | 'server_error';

export interface OpenAIErrorBody {
  error: {
    message: string;
    type: OpenAIErrorType;
    /** The offending field: `input`, `input[3]`, `dimensions`, `model`, … or null. */
    param: string | null;
    /** Ours in snake_case (`input_too_long`), or the engine's `EmbedError` code for 5xx (`SESSION_FAILED`). */
    code: string | null;
  };
}
