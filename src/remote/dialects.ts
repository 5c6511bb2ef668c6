/*
 * What each engine's `/v1/embeddings` does differently, as its own documentation and source say.
 * Every engine takes OpenAI's request shape ({ model, input: string[], encoding_format });
 * they differ in how many inputs one request may hold, whether `dimensions` is safe to send,
 * whether base64 is documented, and how an error body looks. Every answer's `model` must name
 * the model tabembed was told (`remote.model`): vLLM and SGLang echo the served name, TEI names
 * its `--model-id` whatever the request said.
 *
 * - vLLM (`vllm serve Qwen/Qwen3-Embedding-0.6B --runner pooling`, older releases `--task embed`;
 *   docs.vllm.ai "Pooling Models"): `dimensions` only for a model vLLM marks as Matryoshka, else
 *   400 "does not support matryoshka representation" (vllm/pooling_params.py `verify`), and
 *   Qwen3-Embedding needs `--hf-overrides '{"is_matryoshka": true}'` for it; so never sent, the
 *   cut is made here. Answers `model` = the served model name. Errors: `{ error: { message, type,
 *   param, code } }` (newer) or `{ object: "error", message, type, param, code }` (older).
 * - SGLang (`python -m sglang.launch_server --model-path Qwen/Qwen3-Embedding-4B --is-embedding`;
 *   docs.sglang.io "Embedding Models", "OpenAI APIs - Embedding"): OpenAI shapes; `dimensions`
 *   not documented for Qwen3 there, so cut here. Errors `{ object: "error", message, … }`.
 * - TEI (`ghcr.io/huggingface/text-embeddings-inference:<tag> --model-id Qwen/Qwen3-Embedding-0.6B`;
 *   huggingface/text-embeddings-inference router/src/http/types.rs `OpenAICompatRequest`,
 *   server.rs `From<&ErrorType> for StatusCode`): at most `--max-client-batch-size` inputs per
 *   request (default 32; more is 413 Validation), `encoding_format` float|base64, `model` in the
 *   request ignored and the answer's `model` is the served `--model-id`. Errors are a flat
 *   `{ message, code, type }` with type Unhealthy 503, Backend 424, Overloaded 429, Tokenizer 422,
 *   Validation 413. `dimensions` exists only in recent releases: cut here.
 * - openai: any OpenAI-compatible server. `dimensions` is part of OpenAI's API, so sent; the
 *   answer's width is checked and the vector renormalised anyway.
 * - tabembed: `tabembed serve`, OpenAI shapes and the `{ error: { message, type, param, code } }`
 *   body; it cuts and normalises by the same rule as the tab, so `dimensions` is sent.
 *
 * Queries are always prompted here (`Instruct: {task}\nQuery:{text}`), never left to the engine:
 * vLLM and SGLang add no instruction, and TEI's `prompt_name` is not on its OpenAI route.
 */
import { isRecord } from '../core/is-record.ts';

export const REMOTE_ENGINES = ['vllm', 'sglang', 'tei', 'openai', 'tabembed'] as const;
export type RemoteEngine = (typeof REMOTE_ENGINES)[number];

export interface Dialect {
  /** Inputs per request the engine accepts by default. */
  maxInputs: number;
  /** Whether `dimensions` is sent (the engine cuts and normalises), else full width is asked for and cut here. */
  sendsDimensions: boolean;
  /** `base64` (little-endian float32, a quarter of the bytes) where documented, else `float`. */
  encoding: 'float' | 'base64';
}

export const DIALECTS: Record<RemoteEngine, Dialect> = {
  vllm: { maxInputs: 64, sendsDimensions: false, encoding: 'base64' },
  // SGLang's docs show only "float"; base64 is not documented there.
  sglang: { maxInputs: 64, sendsDimensions: false, encoding: 'float' },
  tei: { maxInputs: 32, sendsDimensions: false, encoding: 'base64' },
  openai: { maxInputs: 64, sendsDimensions: true, encoding: 'base64' },
  tabembed: { maxInputs: 64, sendsDimensions: true, encoding: 'base64' },
};

/**
 * The message an engine put in its error body, whichever of the three shapes it used (OpenAI's
 * nested `{ error: { message } }`, vLLM's and SGLang's flat `{ object: "error", message }`, TEI's
 * flat `{ message, type }` or native `{ error: "…", error_type }`), else the start of the text.
 *
 * @example
 * errorMessage('{"message":"batch size 40 > maximum allowed batch size 32","code":413,"type":"Validation"}');
 * // 'batch size 40 > maximum allowed batch size 32 (Validation)'
 */
export function errorMessage(body: string): string {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return body.trim().slice(0, 200) || '(empty body)';
  }
  if (!isRecord(value)) return body.slice(0, 200);
  const nested = isRecord(value['error']) ? value['error'] : value;
  const message = nested['message'] ?? value['error'];
  const type = nested['type'] ?? value['error_type'];
  const text = typeof message === 'string' ? message : body.slice(0, 200);
  return typeof type === 'string' && type !== '' ? `${text} (${type})` : text;
}
