/**
 * Whether the model an index names is the model the tab loaded. The page resolves a URL model
 * against itself before the worker sees it (`/models/x/` becomes `http://site/models/x`), so two
 * spellings of one folder must compare equal: URLs are made absolute against the page, with one
 * trailing slash. Hub ids compare as written.
 */
import { looksLikeModelUrl } from '../core/model-text.ts';

/**
 * @example
 * canonicalModelId('/models/qwen3-tiny', 'http://localhost:4173/docs/'); // 'http://localhost:4173/models/qwen3-tiny/'
 * canonicalModelId('onnx-community/Qwen3-Embedding-0.6B-ONNX', base);    // 'onnx-community/Qwen3-Embedding-0.6B-ONNX'
 */
export function canonicalModelId(id: string, base: string): string {
  if (!looksLikeModelUrl(id)) return id;
  return new URL(id, base).href.replace(/\/*$/, '/');
}
