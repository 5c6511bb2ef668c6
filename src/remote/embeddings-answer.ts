/*
 * An engine's `/v1/embeddings` answer, checked before a vector is trusted: one row per input,
 * each index once, finite numbers (or a whole base64 block of float32), the width expected, and
 * the model asked for. Another model's or another width's vectors are INDEX_MISMATCH (they live
 * in another embedding space); an answer that is not one is REMOTE_FAILED.
 */
import { decodeFloat32Base64 } from '../core/base64-float32.ts';
import { EmbedError } from '../core/errors.ts';
import { isRecord } from '../core/is-record.ts';

export interface AnswerExpectation {
  url: string;
  count: number;
  model: string;
  /** The values per vector an answer may have (all rows alike); empty until the first answer has set the width. */
  widths: readonly number[];
}

export interface EmbeddingsAnswer {
  /** In input order. */
  vectors: Float32Array[];
  /** `usage.prompt_tokens` when the engine said. */
  promptTokens: number | undefined;
}

/**
 * @example
 * readEmbeddingsAnswer({ model: 'm', data: [{ index: 0, embedding: [0.6, 0.8] }] }, { url, count: 1, model: 'm', widths: [2] });
 * // { vectors: [Float32Array [0.6, 0.8]], promptTokens: undefined }
 */
export function readEmbeddingsAnswer(answer: unknown, expected: AnswerExpectation): EmbeddingsAnswer {
  const { url, count, model } = expected;
  const malformed = (what: string): never => {
    throw new EmbedError(
      'REMOTE_FAILED',
      `${url} answered 2xx, but ${what}; it is not an OpenAI-compatible embeddings answer (is --remote-engine right?)`,
    );
  };
  if (!isRecord(answer) || !Array.isArray(answer['data'])) return malformed('the body has no "data" array');
  const answered = answer['model'];
  if (typeof answered === 'string' && answered !== model)
    throw new EmbedError(
      'INDEX_MISMATCH',
      `expected vectors of model "${model}", but ${url} answered with model "${answered}": its vectors are another embedding space; point remote.baseURL at an engine serving "${model}", or set remote.model to "${answered}" if that is the same model under another name`,
    );
  const data: unknown[] = answer['data'];
  if (data.length !== count) return malformed(`"data" holds ${data.length} rows for ${count} inputs`);
  const vectors: (Float32Array | undefined)[] = new Array<Float32Array | undefined>(count);
  data.forEach((row, position) => {
    if (!isRecord(row)) return malformed(`data[${position}] is not an object`);
    const index = row['index'] ?? position;
    if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= count || vectors[index])
      return malformed(`data[${position}].index is ${JSON.stringify(index)}, not a new row number below ${count}`);
    vectors[index] = readVector(row['embedding'], `data[${position}].embedding`, malformed);
  });
  let width: number | undefined;
  const rows = vectors.map((vector, i) => {
    if (!vector) return malformed(`row ${i} is missing`);
    width ??= vector.length;
    const allowed = expected.widths.length > 0 ? expected.widths : [width];
    if (vector.length !== width || !allowed.includes(vector.length))
      throw new EmbedError(
        'INDEX_MISMATCH',
        `expected ${allowed.join(' or ')} values per vector, but ${url} answered ${vector.length} for input ${i}: another model, or a Matryoshka cut the request did not ask for`,
        { index: i },
      );
    return vector;
  });
  const usage = answer['usage'];
  const tokens = isRecord(usage) ? usage['prompt_tokens'] : undefined;
  return { vectors: rows, promptTokens: typeof tokens === 'number' ? tokens : undefined };
}

function readVector(value: unknown, where: string, malformed: (what: string) => never): Float32Array {
  if (typeof value === 'string') {
    try {
      return decodeFloat32Base64(value, where);
    } catch (error) {
      return malformed(error instanceof Error ? error.message : String(error));
    }
  }
  if (!Array.isArray(value) || value.length === 0) return malformed(`${where} is neither a number array nor base64`);
  const vector = new Float32Array(value.length);
  for (let i = 0; i < value.length; i++) {
    const v: unknown = value[i];
    if (typeof v !== 'number' || !Number.isFinite(v))
      return malformed(`${where}[${i}] is ${JSON.stringify(v)}, not a finite number`);
    vector[i] = v;
  }
  return vector;
}
