import { describe, expect, it } from 'vitest';
import { EmbedError } from '../../src/core/errors.ts';
import { parseModelConfig } from '../../src/core/model-config.ts';

/** Shaped like onnx-community/Qwen3-Embedding-0.6B-ONNX config.json. */
const QWEN3_06B = {
  architectures: ['Qwen3ForCausalLM'],
  attention_bias: false,
  attention_dropout: 0.0,
  bos_token_id: 151643,
  eos_token_id: 151643,
  head_dim: 128,
  hidden_act: 'silu',
  hidden_size: 1024,
  initializer_range: 0.02,
  intermediate_size: 3072,
  max_position_embeddings: 32768,
  max_window_layers: 28,
  model_type: 'qwen3',
  num_attention_heads: 16,
  num_hidden_layers: 28,
  num_key_value_heads: 8,
  rms_norm_eps: 1e-6,
  rope_scaling: null,
  rope_theta: 1000000,
  sliding_window: null,
  tie_word_embeddings: true,
  torch_dtype: 'float32',
  transformers_version: '4.51.3',
  use_cache: true,
  use_sliding_window: false,
  vocab_size: 151669,
  'transformers.js_config': {
    use_external_data_format: { 'model.onnx': true, 'model_fp16.onnx': true },
    kv_cache_dtype: { q4f16: 'float16', fp16: 'float16' },
  },
};

describe('parseModelConfig', () => {
  it('reads the Qwen3-Embedding-0.6B config', () => {
    expect(parseModelConfig(QWEN3_06B, 'config.json')).toEqual({
      modelType: 'qwen3',
      hiddenSize: 1024,
      numLayers: 28,
      numAttentionHeads: 16,
      numKeyValueHeads: 8,
      headDim: 128,
      intermediateSize: 3072,
      maxPositionEmbeddings: 32768,
      vocabSize: 151669,
      externalData: { 'model.onnx': true, 'model_fp16.onnx': true },
      kvCacheDtype: { q4f16: 'float16', fp16: 'float16' },
      randomWeights: false,
    });
  });

  it('falls back to num_attention_heads for KV heads and hidden/heads for head_dim', () => {
    const { head_dim: _h, num_key_value_heads: _k, ...rest } = QWEN3_06B;
    const spec = parseModelConfig(rest, 'config.json');
    expect(spec.numKeyValueHeads).toBe(16);
    expect(spec.headDim).toBe(64);
  });

  it('defaults to no external data and no kv cache dtypes without transformers.js_config', () => {
    const { 'transformers.js_config': _js, ...rest } = QWEN3_06B;
    const spec = parseModelConfig(rest, 'config.json');
    expect(spec.externalData).toBe(false);
    expect(spec.kvCacheDtype).toEqual({});
  });

  it('marks our own fixture as random weights', () => {
    expect(parseModelConfig({ ...QWEN3_06B, tabembed_fixture: { random_weights: true } }, 'c').randomWeights).toBe(
      true,
    );
  });

  it('rejects an unknown model_type with MODEL_CONFIG_INVALID naming the type', () => {
    const parse = (): unknown => parseModelConfig({ ...QWEN3_06B, model_type: 'bert' }, 'https://x/config.json');
    expect(parse).toThrow(EmbedError);
    expect(parse).toThrow('https://x/config.json has model_type "bert"');
    expect(parse).toThrow(expect.objectContaining({ code: 'MODEL_CONFIG_INVALID' }));
  });

  it('rejects a config without hidden_size, naming the key', () => {
    const { hidden_size: _h, ...rest } = QWEN3_06B;
    expect(() => parseModelConfig(rest, 'config.json')).toThrow(
      expect.objectContaining({
        code: 'MODEL_CONFIG_INVALID',
        message: 'config.json lacks a positive integer "hidden_size"',
      }),
    );
  });

  it('rejects a non-integer layer count, naming the key', () => {
    expect(() => parseModelConfig({ ...QWEN3_06B, num_hidden_layers: 2.5 }, 'config.json')).toThrow(
      '"num_hidden_layers"',
    );
  });

  it('rejects something that is not an object', () => {
    expect(() => parseModelConfig('qwen3', 'config.json')).toThrow(
      expect.objectContaining({ code: 'MODEL_CONFIG_INVALID' }),
    );
    expect(() => parseModelConfig(null, 'config.json')).toThrow('config.json is not a JSON object');
  });
});
