/**
 * A Qwen3 ONNX export's weights, read from its files one layer at a time. The graph file is
 * decoded once (for an export with external data that is names, shapes and offsets only); a
 * layer's weights are read and dequantised when asked for, and an embedding row is read on its
 * own, so a forward over a 4B export holds about one layer in float64 plus the rows of the
 * tokens it uses (issue 17), where loading everything would take ~32 GB.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  dims,
  need,
  projection,
  projectionEncoding,
  type Initializers,
  type ProjectionEncoding,
} from './dequantize.js';
import { onnx } from './onnx-proto.js';
import type { Matrix, ReferenceLayer } from './onnx-weights.js';
import { elementsToFloat64, ExternalData, tensorToFloat64 } from './tensor-data.js';

/** What the forward pass reads, in the order it reads it. */
export interface LayerByLayerWeights {
  readonly vocabSize: number;
  readonly layerCount: number;
  /** Row `id` of the [vocab, hidden] embedding table. */
  embedRow(id: number): Float64Array;
  layer(index: number): ReferenceLayer;
  finalNorm(): Float64Array;
}

const EMBED = 'model.embed_tokens.weight';

export class ReferenceWeightSource implements LayerByLayerWeights {
  readonly vocabSize: number;
  readonly hiddenSize: number;
  readonly layerCount: number;
  /** How the projections are stored (the first layer's q_proj speaks for all). */
  readonly projectionEncoding: ProjectionEncoding;
  private readonly inits: Initializers;
  private readonly ext: ExternalData;

  /**
   * Opens `<modelDir>/onnx/<file>` (e.g. 'model_q4.onnx'), resolving external data next to it.
   * Example: `new ReferenceWeightSource('public/models/qwen3-tiny', 'model.onnx').layer(0).q`
   * is { rows: 64, cols: 128, data: Float64Array(8192) }.
   */
  constructor(modelDir: string, file: string) {
    const path = join(modelDir, 'onnx', file);
    const model = onnx.ModelProto.decode(readFileSync(path));
    this.inits = new Map((model.graph?.initializer ?? []).map((t) => [t.name ?? '', t]));
    this.ext = new ExternalData(dirname(path));
    const [vocab = 0, hidden = 0] = dims(need(this.inits, EMBED));
    this.vocabSize = vocab;
    this.hiddenSize = hidden;
    let layers = 0;
    while (this.inits.has(`model.layers.${layers}.input_layernorm.weight`)) layers++;
    this.layerCount = layers;
    this.projectionEncoding = projectionEncoding(this.inits, 'model.layers.0.self_attn.q_proj.weight');
  }

  /** The whole [vocab, hidden] table: for the tiny fixture only (4B: 1.55 GB as float32, 3.1 GB here). */
  embedTable(): Matrix {
    return { rows: this.vocabSize, cols: this.hiddenSize, data: this.vector(EMBED) };
  }

  embedRow(id: number): Float64Array {
    if (!Number.isInteger(id) || id < 0 || id >= this.vocabSize)
      throw new Error(`token id ${id} outside the vocabulary`);
    return elementsToFloat64(need(this.inits, EMBED), this.ext, id * this.hiddenSize, this.hiddenSize);
  }

  layer(i: number): ReferenceLayer {
    const v = (name: string): Float64Array => this.vector(`model.layers.${i}.${name}.weight`);
    const p = (block: string, name: string): Matrix =>
      projection(this.inits, `model.layers.${i}.${block}.${name}.weight`, this.ext);
    return {
      inputNorm: v('input_layernorm'),
      postAttentionNorm: v('post_attention_layernorm'),
      qNorm: v('self_attn.q_norm'),
      kNorm: v('self_attn.k_norm'),
      q: p('self_attn', 'q_proj'),
      k: p('self_attn', 'k_proj'),
      v: p('self_attn', 'v_proj'),
      o: p('self_attn', 'o_proj'),
      gate: p('mlp', 'gate_proj'),
      up: p('mlp', 'up_proj'),
      down: p('mlp', 'down_proj'),
    };
  }

  finalNorm(): Float64Array {
    return this.vector('model.norm.weight');
  }

  private vector(name: string): Float64Array {
    return tensorToFloat64(need(this.inits, name), this.ext);
  }
}
