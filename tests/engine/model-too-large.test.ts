/**
 * MODEL_TOO_LARGE through the real load path (loadModel over a real folder source), decided from
 * config.json and the files' sizes before a single weight byte is read: every file the source
 * opens is logged, and only config.json may be among them. Where the test needs a model larger
 * than the fixture, the source reports larger sizes for the weight files (nothing is read, so
 * nothing else notices).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { generateFixture } from '../../scripts/fixture/generate.ts';
import { WASM_HEAP_BYTES } from '../../src/core/model-fit.ts';
import type { AdapterSummary, DeviceName, Dtype } from '../../src/core/types.ts';
import { leftPad } from '../../src/core/left-pad.ts';
import { EngineDevice } from '../../src/engine/engine-device.ts';
import { loadModel, type LoadedModel, type LoadRequest } from '../../src/engine/load-model.ts';
import type { FileSource } from '../../src/model/file-source.ts';
import { modelFiles } from '../../src/model/model-files.ts';
import { fsSource } from '../../src/node/fs-source.ts';
import { faultyGpuRuntime } from './faulty-gpu-runtime.ts';

const MODEL = 'public/models/qwen3-tiny';

beforeAll(async () => {
  await generateFixture({ outDir: 'public/models' });
}, 120_000);

/** The fixture folder, logging what it opens; weight files report `scale` × their size. */
function loggingSource(scale = 1): { source: FileSource; opened: string[] } {
  const inner = fsSource(MODEL);
  const opened: string[] = [];
  return {
    opened,
    source: {
      locate: (path) => inner.locate(path),
      async stat(path, signal) {
        const stat = await inner.stat(path, signal);
        return stat && path.startsWith('onnx/') ? { ...stat, size: (stat.size ?? 0) * scale } : stat;
      },
      open(path, options) {
        opened.push(path);
        return inner.open(path, options);
      },
    },
  };
}

const gpu = (limits: Partial<AdapterSummary>): AdapterSummary => ({
  vendor: 'test',
  architecture: 'small-limits',
  device: '',
  description: '',
  isFallbackAdapter: false,
  shaderF16: false,
  maxBufferSize: 2 ** 30,
  maxStorageBufferBindingSize: 2 ** 30,
  ...limits,
});

async function load(
  device: DeviceName,
  dtype: Dtype,
  adapter: AdapterSummary | undefined,
  options: { scale?: number; deviceMemoryGiB?: number } = {},
): Promise<{ result: Promise<LoadedModel>; opened: string[] }> {
  const { source, opened } = loggingSource(options.scale);
  const { runtime } = faultyGpuRuntime({});
  const result = loadModel({
    files: modelFiles(source),
    runtime,
    device,
    dtype,
    adapter,
    deviceMemoryGiB: options.deviceMemoryGiB,
  });
  result.catch(() => undefined);
  return { result, opened };
}

describe('a model this device cannot hold', () => {
  it('is refused on WebGPU when its largest matrix exceeds maxStorageBufferBindingSize, before any weight is read', async () => {
    // The fixture's MLP matrices: 192 × 64 weights, 4-bit packed = 6144 bytes; the limit is 4096.
    const { result, opened } = await load('webgpu', 'q4', gpu({ maxStorageBufferBindingSize: 4096 }));
    await expect(result).rejects.toMatchObject({
      code: 'MODEL_TOO_LARGE',
      message: expect.stringMatching(/maxStorageBufferBindingSize: needs 6144 bytes, has 4096.*no smaller/),
    });
    expect(opened).toEqual(['config.json']);
  });

  it('is refused on WASM when its files exceed the wasm32 heap, naming the limit and both byte counts', async () => {
    // model_quantized.onnx is 39 MB: × 120 it stands for a 4.7 GB export.
    const { result, opened } = await load('wasm', 'q8', undefined, { scale: 120 });
    await expect(result).rejects.toMatchObject({
      code: 'MODEL_TOO_LARGE',
      message: expect.stringContaining(`the WASM heap: needs`),
    });
    await expect(result).rejects.toThrow(`has ${WASM_HEAP_BYTES}`);
    expect(opened).toEqual(['config.json']);
  });

  it('is refused where its weights exceed half of navigator.deviceMemory', async () => {
    // 1/64 GiB = 16 MiB, half of it 8 MiB; the q4 export is 39 MB.
    const { result, opened } = await load('webgpu', 'q4', gpu({}), { deviceMemoryGiB: 1 / 64 });
    await expect(result).rejects.toMatchObject({
      code: 'MODEL_TOO_LARGE',
      message: expect.stringContaining('navigator.deviceMemory: needs'),
    });
    expect(opened).toEqual(['config.json']);
  });

  it('loads when the limits hold it', async () => {
    const { result } = await load('wasm', 'q8', undefined, { deviceMemoryGiB: 8 });
    await expect(result).resolves.toMatchObject({ dtype: { dtype: 'q8' }, wasmRefusal: undefined });
    await (await result).runner.session.release();
  });
});

describe('a model WebGPU holds and WASM cannot', () => {
  it('skips the numerics probe and, when WebGPU fails, says WASM cannot take over instead of opening it', async () => {
    const { runtime, log, armed } = faultyGpuRuntime({ alwaysFail: true });
    armed.on = false;
    const request: LoadRequest = {
      files: modelFiles(fsSource(MODEL)),
      runtime,
      device: 'webgpu',
      dtype: 'q4',
      adapter: gpu({}),
    };
    const model = await loadModel(request);
    // As a 4B's load finds it (core/model-fit.ts's wasmRefusal); the fixture itself fits WASM.
    const refusal = 'its weights (3881.9 MB) and a working margin … (the WASM heap)';
    const device = new EngineDevice({ ...model, wasmRefusal: refusal }, request, request.adapter, undefined);
    armed.on = true;
    await device.runCanary(64, false);
    expect(device.describe().deviceReason).toContain(`no numerics probe: WASM cannot hold this model, ${refusal}`);
    const batch = leftPad([[9707, 151643]], 151643);
    // A failing one-row batch: recovery may retry on a new session first; it must end refused, never on WASM.
    let outcome: unknown;
    for (let attempt = 0; attempt < 5 && outcome === undefined; attempt++)
      outcome = await device.run(batch).then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(outcome).toMatchObject({
      code: 'SESSION_FAILED',
      message: expect.stringContaining(`and WASM cannot take over: ${refusal}`),
    });
    expect(log.sessions.wasm).toBe(0);
    await model.runner.session.release();
  });
});
