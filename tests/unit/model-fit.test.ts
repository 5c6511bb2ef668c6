import { describe, expect, it } from 'vitest';
import {
  knownModelFits,
  modelFit,
  modelNeeds,
  QWEN3_EMBEDDING,
  smallerModelThatFits,
  tooLargeMessage,
  WASM_HEAP_BYTES,
  type DeviceRoom,
  type ModelShape,
} from '../../src/core/model-fit.ts';
import { adapter } from './adapter-summary.ts';

const [SMALL, FOUR_B] = QWEN3_EMBEDDING.map((model) => model.shape) as [ModelShape, ModelShape];
/** Qwen3-Embedding-8B's config.json shapes: a model past every limit here, as plain data. */
const EIGHT_B: ModelShape = { ...FOUR_B, hiddenSize: 4096, intermediateSize: 12288 };

/** What headless Chromium 156 reports for SwiftShader here: 1 GiB for both limits, deviceMemory 16. */
const SWIFTSHADER: DeviceRoom = {
  device: 'webgpu',
  adapter: adapter({
    vendor: 'google',
    architecture: 'swiftshader',
    isFallbackAdapter: true,
    maxBufferSize: 2 ** 30,
    maxStorageBufferBindingSize: 2 ** 30,
  }),
  deviceMemoryGiB: 16,
};
/** An adapter at WebGPU's default limits (256 MiB buffers, 128 MiB bindings). */
const DEFAULT_LIMITS: DeviceRoom = {
  device: 'webgpu',
  adapter: adapter({ maxBufferSize: 2 ** 28, maxStorageBufferBindingSize: 2 ** 27 }),
  deviceMemoryGiB: undefined,
};
const WASM: DeviceRoom = { device: 'wasm', adapter: undefined, deviceMemoryGiB: 8 };

describe('modelNeeds', () => {
  it('counts the 4B q4 embedding table as float32 rows and its largest matrix as packed 4-bit', () => {
    const needs = modelNeeds(FOUR_B, 'q4');
    expect(needs.tableBytes).toBe(151665 * 2560 * 4);
    // gate/up/down: 9728 × 2560 weights, two to a byte (MatMulNBits).
    expect(needs.largestTensorBytes).toBe((9728 * 2560) / 2);
    // table + 36 layers × (q, o: 2560×4096; k, v: 2560×1024; MLP 3 × 2560×9728) × 20.5/32 bytes.
    expect(needs.weightBytes).toBe(Math.round(151665 * 2560 * 4 + 36 * 100_925_440 * (20.5 / 32)));
  });

  it('takes the weights from the files when their sizes are known', () => {
    expect(modelNeeds(FOUR_B, 'q4', 123).weightBytes).toBe(123);
  });

  it('counts an unknown vocabulary as no table', () => {
    expect(modelNeeds({ ...SMALL, vocabSize: undefined }, 'q4f16').tableBytes).toBe(0);
  });
});

describe('modelFit', () => {
  it('refuses the 4B q4 on WASM: weights and margin exceed the 4 GiB wasm32 heap', () => {
    const verdict = modelFit(modelNeeds(FOUR_B, 'q4'), WASM);
    expect(verdict).toMatchObject({ fits: false, limit: 'the WASM heap', limitBytes: WASM_HEAP_BYTES });
  });

  it('lets the 0.6B q8 run on WASM', () => {
    expect(modelFit(modelNeeds(SMALL, 'q8'), WASM)).toEqual({ fits: true });
  });

  it('lets the 4B q4 run on SwiftShader: the table is split, the largest matrix is 12.5 MB of 1 GiB', () => {
    expect(modelFit(modelNeeds(FOUR_B, 'q4'), SWIFTSHADER)).toEqual({ fits: true });
  });

  it('refuses a matrix larger than the binding limit, naming maxStorageBufferBindingSize', () => {
    // 8B fp32: down_proj is 12288 × 4096 × 4 = 201 MB > 128 MiB.
    const verdict = modelFit(modelNeeds(EIGHT_B, 'fp32'), DEFAULT_LIMITS);
    expect(verdict).toMatchObject({
      fits: false,
      limit: 'maxStorageBufferBindingSize',
      neededBytes: 12288 * 4096 * 4,
      limitBytes: 2 ** 27,
    });
  });

  it('names maxBufferSize when it is the smaller limit', () => {
    const room = {
      ...DEFAULT_LIMITS,
      adapter: adapter({ maxBufferSize: 2 ** 27, maxStorageBufferBindingSize: 2 ** 28 }),
    };
    expect(modelFit(modelNeeds(EIGHT_B, 'fp32'), room)).toMatchObject({ fits: false, limit: 'maxBufferSize' });
  });

  it('refuses weights over half of navigator.deviceMemory', () => {
    const verdict = modelFit(modelNeeds(FOUR_B, 'q4'), { ...SWIFTSHADER, deviceMemoryGiB: 4 });
    expect(verdict).toMatchObject({ fits: false, limit: 'navigator.deviceMemory', limitBytes: 2 * 2 ** 30 });
  });

  it('ignores memory the browser does not report', () => {
    expect(modelFit(modelNeeds(FOUR_B, 'q4'), { ...SWIFTSHADER, deviceMemoryGiB: undefined })).toEqual({ fits: true });
  });
});

describe('smallerModelThatFits and tooLargeMessage', () => {
  it('names the 0.6B for a 4B that WASM cannot hold', () => {
    expect(smallerModelThatFits(FOUR_B.hiddenSize, 'q4', WASM)?.id).toBe('onnx-community/Qwen3-Embedding-0.6B-ONNX');
  });

  it('names the 4B for an 8B whose matrices exceed the binding limit', () => {
    expect(smallerModelThatFits(EIGHT_B.hiddenSize, 'fp32', DEFAULT_LIMITS)?.label).toBe('4B');
  });

  it('names nothing below the smallest model', () => {
    expect(smallerModelThatFits(SMALL.hiddenSize, 'q4', WASM)).toBeUndefined();
  });

  it('writes the limit, both byte counts and the model that would fit', () => {
    const verdict = modelFit(modelNeeds(FOUR_B, 'q4', 3_900_000_000), WASM);
    if (verdict.fits) throw new Error('expected a refusal');
    const message = tooLargeMessage('model_q4.onnx', verdict, smallerModelThatFits(FOUR_B.hiddenSize, 'q4', WASM));
    expect(message).toContain('the WASM heap');
    expect(message).toContain(`needs ${3_900_000_000 + 512 * 2 ** 20} bytes, has ${WASM_HEAP_BYTES}`);
    expect(message).toContain('onnx-community/Qwen3-Embedding-0.6B-ONNX (Qwen3-Embedding-0.6B) would fit');
  });
});

describe('knownModelFits', () => {
  it('offers the 4B on SwiftShader WebGPU and says why not on WASM', () => {
    expect(knownModelFits('q4', SWIFTSHADER).map((choice) => choice.whyNot)).toEqual([undefined, undefined]);
    const [small, large] = knownModelFits('q4', WASM);
    expect(small?.whyNot).toBeUndefined();
    expect(large?.model.id).toBe('onnx-community/Qwen3-Embedding-4B-ONNX');
    expect(large?.whyNot).toMatch(/wasm32 heap.*\(the WASM heap\)$/);
  });
});
