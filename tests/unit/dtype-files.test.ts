import { describe, expect, it } from 'vitest';
import { DTYPES } from '../../src/core/choices.ts';
import { modelFiles } from '../../src/model/dtype-files.ts';

/** `transformers.js_config.use_external_data_format` of onnx-community/Qwen3-Embedding-0.6B-ONNX. */
const QWEN3_06B = { externalData: { 'model.onnx': true, 'model_fp16.onnx': true } };

describe('modelFiles on the Qwen3-Embedding-0.6B-ONNX layout', () => {
  it('fp32 is onnx/model.onnx with onnx/model.onnx_data', () => {
    expect(modelFiles('fp32', QWEN3_06B)).toEqual({ graph: 'onnx/model.onnx', externalData: ['onnx/model.onnx_data'] });
  });

  it('fp16 is onnx/model_fp16.onnx with its _data file, because the config says so', () => {
    expect(modelFiles('fp16', QWEN3_06B)).toEqual({
      graph: 'onnx/model_fp16.onnx',
      externalData: ['onnx/model_fp16.onnx_data'],
    });
  });

  it('fp16 has no _data when the config does not list it', () => {
    expect(modelFiles('fp16', { externalData: { 'model.onnx': true } })).toEqual({
      graph: 'onnx/model_fp16.onnx',
      externalData: [],
    });
  });

  it.each([
    ['q8', 'onnx/model_quantized.onnx'],
    ['q4', 'onnx/model_q4.onnx'],
    ['q4f16', 'onnx/model_q4f16.onnx'],
    ['int8', 'onnx/model_int8.onnx'],
    ['uint8', 'onnx/model_uint8.onnx'],
    ['bnb4', 'onnx/model_bnb4.onnx'],
  ] as const)('%s is %s with no external data', (dtype, graph) => {
    expect(modelFiles(dtype, QWEN3_06B)).toEqual({ graph, externalData: [] });
  });

  it('knows the eight transformers.js dtypes', () => {
    expect([...DTYPES].sort()).toEqual(['bnb4', 'fp16', 'fp32', 'int8', 'q4', 'q4f16', 'q8', 'uint8']);
  });
});

describe('modelFiles external data forms', () => {
  it('a chunk count of 3 names _data, _data_1 and _data_2', () => {
    expect(modelFiles('q4', { externalData: 3 }).externalData).toEqual([
      'onnx/model_q4.onnx_data',
      'onnx/model_q4.onnx_data_1',
      'onnx/model_q4.onnx_data_2',
    ]);
  });

  it('use_external_data_format: true applies to every file', () => {
    expect(modelFiles('q8', { externalData: true }).externalData).toEqual(['onnx/model_quantized.onnx_data']);
    expect(modelFiles('fp32', { externalData: true }).externalData).toEqual(['onnx/model.onnx_data']);
  });

  it('false means no external data', () => {
    expect(modelFiles('fp32', { externalData: false }).externalData).toEqual([]);
  });

  it('the per-file object form takes a count per file', () => {
    const spec = { externalData: { 'model_q4f16.onnx': 2, 'model.onnx': false } };
    expect(modelFiles('q4f16', spec).externalData).toEqual([
      'onnx/model_q4f16.onnx_data',
      'onnx/model_q4f16.onnx_data_1',
    ]);
    expect(modelFiles('fp32', spec).externalData).toEqual([]);
  });

  it('uses the given base file name', () => {
    expect(modelFiles('q4', { externalData: 1 }, 'encoder_model')).toEqual({
      graph: 'onnx/encoder_model_q4.onnx',
      externalData: ['onnx/encoder_model_q4.onnx_data'],
    });
  });

  it('throws on a chunk count above 100', () => {
    expect(() => modelFiles('fp32', { externalData: 101 })).toThrow(RangeError);
    expect(() => modelFiles('fp32', { externalData: 101 })).toThrow(
      'use_external_data_format for model.onnx must be a boolean or a chunk count ≤ 100, got 101',
    );
    expect(modelFiles('fp32', { externalData: 100 }).externalData).toHaveLength(100);
  });

  it('throws on a negative or fractional chunk count', () => {
    expect(() => modelFiles('fp32', { externalData: -1 })).toThrow(RangeError);
    expect(() => modelFiles('fp32', { externalData: 1.5 })).toThrow(RangeError);
  });
});
