/**
 * A Qwen3 ONNX export's weights, all of them at once, as plain float64 matrices (q4 and q8
 * dequantised by dequantize.ts). Fine for the tiny fixture; a large export goes through
 * weight-source.ts one layer at a time instead.
 */
import { ReferenceWeightSource } from './weight-source.js';

/** Row-major [rows, cols]; projections are [in, out] so y = x · W. */
export interface Matrix {
  rows: number;
  cols: number;
  data: Float64Array;
}

export interface ReferenceLayer {
  inputNorm: Float64Array;
  postAttentionNorm: Float64Array;
  qNorm: Float64Array;
  kNorm: Float64Array;
  q: Matrix;
  k: Matrix;
  v: Matrix;
  o: Matrix;
  gate: Matrix;
  up: Matrix;
  down: Matrix;
}

export interface ReferenceWeights {
  /** [vocab, hidden] embedding table. */
  embed: Matrix;
  layers: ReferenceLayer[];
  finalNorm: Float64Array;
  /** How each projection was stored: 'float' (fp32/fp16), 'q4' or 'q8'. */
  projectionEncoding: 'float' | 'q4' | 'q8';
}

/**
 * Loads `<modelDir>/onnx/<file>` (e.g. 'model_q4.onnx'), resolving external data next to it.
 * Example: `const w = await loadReferenceWeights('public/models/qwen3-tiny', 'model.onnx')`
 * → w.layers.length === 3, w.layers[0].q is { rows: 64, cols: 128 }.
 */
export function loadReferenceWeights(modelDir: string, file: string): Promise<ReferenceWeights> {
  const source = new ReferenceWeightSource(modelDir, file);
  return Promise.resolve({
    embed: source.embedTable(),
    layers: Array.from({ length: source.layerCount }, (_, i) => source.layer(i)),
    finalNorm: source.finalNorm(),
    projectionEncoding: source.projectionEncoding,
  });
}
