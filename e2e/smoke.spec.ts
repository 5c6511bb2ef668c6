import { expect, test } from '@playwright/test';
import {
  MODEL_FILE,
  MODEL_URL,
  cosine,
  openSmokePage,
  runInWorker,
  type PlainRunResult,
} from './support/smoke-page.ts';

/*
 * Smoke tests for the build/serving setup, with raw onnxruntime-web in a module worker (no
 * product code): cross-origin isolation, a WebGPU adapter on SwiftShader, and ort's runtime files
 * loading from our own origin for both backends.
 */

const TOKENS = 8; // SwiftShader WebGPU is slow; keep the input short (ENVIRONMENT.md).

function expectHealthyOutput(result: PlainRunResult): void {
  expect(result.outputNames).toContain('last_hidden_state');
  expect(result.dims).toEqual([1, TOKENS, result.hiddenSize]);
  expect(result.allFinite).toBe(true);
  expect(result.last).toHaveLength(result.hiddenSize);
  expect(Math.hypot(...result.last)).toBeGreaterThan(0);
}

test.beforeEach(async ({ page }) => {
  await openSmokePage(page);
});

test('the page is cross-origin isolated and Chromium offers a SwiftShader WebGPU adapter', async ({ page }) => {
  expect(await page.evaluate(() => window.smoke.pageIsolated())).toBe(true);
  const worker = await page.evaluate(() => window.smoke.probeWorker());
  expect(worker).toMatchObject({ crossOriginIsolated: true, sharedArrayBuffer: true });

  const adapter = await page.evaluate(() => window.smoke.adapter());
  console.log(`[smoke] worker hardwareConcurrency=${worker.hardwareConcurrency}`);
  console.log(`[smoke] WebGPU adapter ${JSON.stringify(adapter, null, 2)}`);
  console.log(`[smoke] shader-f16: ${adapter.features.includes('shader-f16')}`);
  expect(adapter.present).toBe(true);
  // A machine with a real GPU reports its own architecture; these CI machines have none.
  expect(adapter.info.architecture).toMatch(process.env.SMOKE_EXPECT_ADAPTER ?? /swiftshader/i);
  expect(adapter.limits.maxBufferSize).toBeGreaterThanOrEqual(256 * 1024 * 1024);
  expect(adapter.limits.maxStorageBufferBindingSize).toBeGreaterThanOrEqual(128 * 1024 * 1024);
});

test('onnxruntime-web runs a model in a worker on wasm, multi-threaded, from our own origin', async ({ page }) => {
  const ortRequests: string[] = [];
  page.context().on('request', (req) => {
    if (req.url().includes('/ort/')) ortRequests.push(req.url());
  });
  const numThreads = 2;
  const result = await runInWorker(page, {
    modelUrl: MODEL_URL,
    modelFile: MODEL_FILE,
    backend: 'wasm',
    numThreads,
    tokens: TOKENS,
  });
  console.log(
    `[smoke] wasm: create ${result.createMs.toFixed(0)} ms, run ${result.runMs.toFixed(0)} ms, threads ${result.numThreads}`,
  );
  console.log(`[smoke] ort fetches: ${JSON.stringify(ortRequests)}`);

  expectHealthyOutput(result);
  // ort drops to 1 thread (with only a console warning) when SharedArrayBuffer is unavailable.
  expect(result.numThreads).toBe(numThreads);
  const origin = new URL(page.url()).origin;
  expect(result.wasmPaths).toBe(`${origin}/ort/`);
  const wasmFetches = ortRequests.filter((url) => url.endsWith('.wasm'));
  expect(wasmFetches).toEqual([`${origin}/ort/ort-wasm-simd-threaded.jspi.wasm`]);
});

test('onnxruntime-web runs the same model in a worker on webgpu and agrees with wasm', async ({ page }) => {
  const wasm = await runInWorker(page, {
    modelUrl: MODEL_URL,
    modelFile: MODEL_FILE,
    backend: 'wasm',
    numThreads: 1,
    tokens: TOKENS,
  });
  const webgpu = await runInWorker(page, {
    modelUrl: MODEL_URL,
    modelFile: MODEL_FILE,
    backend: 'webgpu',
    numThreads: 1,
    tokens: TOKENS,
  });
  console.log(`[smoke] webgpu: create ${webgpu.createMs.toFixed(0)} ms, run ${webgpu.runMs.toFixed(0)} ms`);

  expectHealthyOutput(webgpu);
  expect(webgpu.dims).toEqual(wasm.dims);
  const cos = cosine(wasm.last, webgpu.last);
  console.log(`[smoke] cosine(wasm, webgpu) on the last position = ${cos.toFixed(6)}`);
  expect(cos).toBeGreaterThanOrEqual(0.999);
});
