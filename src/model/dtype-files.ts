import type { Dtype } from '../core/types.ts';
import type { ModelSpec } from '../core/model-config.ts';

/**
 * dtype → file names, following the onnx-community layout that transformers.js reads
 * (`DEFAULT_DTYPE_SUFFIX_MAPPING` and `getExternalDataChunkNames` in transformers.js 4.3; those
 * helpers are not exported, so the convention is restated here and pinned by unit tests against
 * the real Qwen3-Embedding-0.6B-ONNX file list).
 */
export const DTYPE_SUFFIX = {
  fp32: '',
  fp16: '_fp16',
  q8: '_quantized',
  int8: '_int8',
  uint8: '_uint8',
  q4: '_q4',
  q4f16: '_q4f16',
  bnb4: '_bnb4',
} as const satisfies Record<Dtype, string>;

export interface ModelFileSet {
  /** e.g. `onnx/model_q4.onnx` */
  graph: string;
  /** External data chunks, relative to the repo root: `onnx/model.onnx_data`, `onnx/model.onnx_data_1`, … */
  externalData: string[];
}

export const MAX_EXTERNAL_DATA_CHUNKS = 100; // the bound transformers.js enforces too

export function modelFiles(dtype: Dtype, spec: Pick<ModelSpec, 'externalData'>, fileName = 'model'): ModelFileSet {
  const baseName = `${fileName}${DTYPE_SUFFIX[dtype]}.onnx`;
  const chunks = externalChunkCount(spec.externalData, baseName, fileName);
  const externalData = Array.from({ length: chunks }, (_, i) => `onnx/${baseName}_data${i === 0 ? '' : `_${i}`}`);
  return { graph: `onnx/${baseName}`, externalData };
}

function externalChunkCount(config: ModelSpec['externalData'], baseName: string, fileName: string): number {
  const raw = typeof config === 'object' ? (config[baseName] ?? config[fileName] ?? 0) : config;
  const count = Number(raw);
  if (!Number.isInteger(count) || count < 0 || count > MAX_EXTERNAL_DATA_CHUNKS) {
    throw new RangeError(
      `use_external_data_format for ${baseName} must be a boolean or a chunk count ≤ ${MAX_EXTERNAL_DATA_CHUNKS}, got ${JSON.stringify(raw)}`,
    );
  }
  return count;
}
