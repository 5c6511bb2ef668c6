/** The model shape as the reference reads it from config.json (HF key names). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ReferenceConfig {
  hiddenSize: number;
  numLayers: number;
  numHeads: number;
  numKvHeads: number;
  headDim: number;
  intermediateSize: number;
  vocabSize: number;
  ropeTheta: number;
  rmsNormEps: number;
}

function numberField(json: Record<string, unknown>, key: string): number {
  const value = json[key];
  if (typeof value !== 'number') throw new Error(`config.json: "${key}" is missing or not a number`);
  return value;
}

export function readReferenceConfig(modelDir: string): ReferenceConfig {
  const json = JSON.parse(readFileSync(join(modelDir, 'config.json'), 'utf8')) as Record<string, unknown>;
  return {
    hiddenSize: numberField(json, 'hidden_size'),
    numLayers: numberField(json, 'num_hidden_layers'),
    numHeads: numberField(json, 'num_attention_heads'),
    numKvHeads: numberField(json, 'num_key_value_heads'),
    headDim: numberField(json, 'head_dim'),
    intermediateSize: numberField(json, 'intermediate_size'),
    vocabSize: numberField(json, 'vocab_size'),
    ropeTheta: numberField(json, 'rope_theta'),
    rmsNormEps: numberField(json, 'rms_norm_eps'),
  };
}
