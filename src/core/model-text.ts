import type { ModelSource } from './types.ts';

/** The model a load without `model` gets (src/model/model-source.ts pins its revision). */
export const DEFAULT_MODEL_ID = 'onnx-community/Qwen3-Embedding-0.6B-ONNX';

/**
 * A model named in text (a widget attribute, a CLI flag, an index file's fingerprint): a slash
 * or dot in front, or a scheme, is a base URL in Hub layout; anything else is a Hub id.
 *
 * @example
 * modelSourceFromText('/models/qwen3-tiny/');                       // { url: '/models/qwen3-tiny/' }
 * modelSourceFromText('onnx-community/Qwen3-Embedding-0.6B-ONNX');  // 'onnx-community/Qwen3-Embedding-0.6B-ONNX'
 */
export function modelSourceFromText(text: string): ModelSource {
  const value = text.trim();
  return looksLikeModelUrl(value) ? { url: value } : value;
}

/** A slash or dot in front, or a scheme (`https:`, `http:`): a URL, not a Hub id (which is `owner/name`). */
export function looksLikeModelUrl(value: string): boolean {
  return value.startsWith('/') || value.startsWith('.') || /^[a-z][a-z0-9+.-]*:/i.test(value);
}
