import { EmbedError } from './errors.ts';
import { isRecord } from './is-record.ts';

/** The parts of a Hugging Face `config.json` the path needs. */
export interface ModelSpec {
  modelType: string;
  hiddenSize: number;
  numLayers: number;
  numAttentionHeads: number;
  numKeyValueHeads: number;
  headDim: number;
  intermediateSize: number;
  maxPositionEmbeddings: number | undefined;
  /** Rows of the embedding table (`vocab_size`), for the size check (core/model-fit.ts). */
  vocabSize: number | undefined;
  /**
   * `transformers.js_config.use_external_data_format`: true / a chunk count for every file, or
   * per file name (`{"model.onnx": true, "model_fp16.onnx": 2}`).
   */
  externalData: boolean | number | Record<string, unknown>;
  /** `transformers.js_config.kv_cache_dtype`: dtype → 'float16' | 'float32'. */
  kvCacheDtype: Record<string, string>;
  /** Set by our own fixture generator: random weights, not a semantic model. */
  randomWeights: boolean;
}

const SUPPORTED_MODEL_TYPES = ['qwen3'];

export function parseModelConfig(json: unknown, source: string): ModelSpec {
  if (!isRecord(json)) throw new EmbedError('MODEL_CONFIG_INVALID', `${source} is not a JSON object`);
  const config = json;
  const modelType = config['model_type'];
  if (typeof modelType !== 'string' || !SUPPORTED_MODEL_TYPES.includes(modelType)) {
    throw new EmbedError(
      'MODEL_CONFIG_INVALID',
      `${source} has model_type ${JSON.stringify(modelType)}; tabembed runs ${SUPPORTED_MODEL_TYPES.join(', ')} embedding models (Qwen3-Embedding exports)`,
    );
  }
  const int = (key: string): number => {
    const value = config[key];
    if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
      throw new EmbedError('MODEL_CONFIG_INVALID', `${source} lacks a positive integer "${key}"`);
    }
    return value;
  };
  const hiddenSize = int('hidden_size');
  const numHeads = int('num_attention_heads');
  const jsConfig = isRecord(config['transformers.js_config']) ? config['transformers.js_config'] : {};
  const fixture = isRecord(config['tabembed_fixture']) ? config['tabembed_fixture'] : {};
  return {
    modelType,
    hiddenSize,
    numLayers: int('num_hidden_layers'),
    numAttentionHeads: numHeads,
    numKeyValueHeads: typeof config['num_key_value_heads'] === 'number' ? int('num_key_value_heads') : numHeads,
    headDim: typeof config['head_dim'] === 'number' ? int('head_dim') : hiddenSize / numHeads,
    intermediateSize: int('intermediate_size'),
    maxPositionEmbeddings:
      typeof config['max_position_embeddings'] === 'number' ? config['max_position_embeddings'] : undefined,
    vocabSize: typeof config['vocab_size'] === 'number' ? int('vocab_size') : undefined,
    externalData: externalDataFormat(jsConfig['use_external_data_format'], source),
    kvCacheDtype: stringFields(jsConfig['kv_cache_dtype']),
    randomWeights: fixture['random_weights'] === true,
  };
}

/** As the config gives it; model/dtype-files.ts checks the one file's value it reads. */
function externalDataFormat(value: unknown, source: string): ModelSpec['externalData'] {
  if (value === undefined) return false;
  if (typeof value === 'boolean' || typeof value === 'number' || isRecord(value)) return value;
  throw new EmbedError(
    'MODEL_CONFIG_INVALID',
    `${source}: transformers.js_config.use_external_data_format must be a boolean, a chunk count or a map of file names to those, got ${JSON.stringify(value)}`,
  );
}

/** The string-valued fields of a JSON object; anything else gives none. */
function stringFields(value: unknown): Record<string, string> {
  if (!isRecord(value)) return {};
  return Object.fromEntries(
    Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );
}
