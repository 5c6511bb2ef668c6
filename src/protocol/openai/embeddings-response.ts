import { encodeFloat32Base64 } from '../../core/base64-float32.ts';
import type { CreateEmbeddingResponse, EncodingFormat } from '../openai-types.ts';

/**
 * OpenAI's create response for vectors in the request's order: the facade, the `/v1` route and
 * `tabembed serve` answer with this one shape. `usage` counts the tokens fed to the model (a
 * query's instruction and each final `<|endoftext|>` included), as OpenAI counts its own.
 *
 * @example
 * embeddingsResponse([new Float32Array([0.6, 0.8])], [3], 'float', 'qwen3-tiny');
 * // { object: 'list', data: [{ object: 'embedding', index: 0, embedding: [0.6, 0.8] }],
 * //   model: 'qwen3-tiny', usage: { prompt_tokens: 3, total_tokens: 3 } }
 */
export function embeddingsResponse(
  vectors: readonly Float32Array[],
  tokens: readonly number[],
  encoding: EncodingFormat,
  model: string,
): CreateEmbeddingResponse<number[] | string> {
  const total = tokens.reduce((sum, n) => sum + n, 0);
  return {
    object: 'list',
    data: vectors.map((vector, index) => ({
      object: 'embedding',
      index,
      embedding: encoding === 'base64' ? encodeFloat32Base64(vector) : Array.from(vector),
    })),
    model,
    usage: { prompt_tokens: total, total_tokens: total },
  };
}
