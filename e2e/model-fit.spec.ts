/**
 * The size check in a real Chromium with its real WebGPU adapter (SwiftShader here: 1 GiB for
 * maxBufferSize and maxStorageBufferBindingSize): a model whose largest weight matrix exceeds the
 * adapter's binding limit is refused with MODEL_TOO_LARGE from config.json alone, before any
 * weight file is fetched (a HEAD for its size is all). The fixture's config.json is served with its MLP widened on the way
 * (`page.route`, which also sees the worker's requests), so no multi-gigabyte file is needed. And a
 * half-precision dtype, which SwiftShader (no `shader-f16`) cannot run, is refused with its own code.
 */
import { expect, test } from '@playwright/test';
import { openEmbedderPage } from './support/embedder-page.ts';

const MODEL = '/models/qwen3-tiny/';

test('a model whose largest matrix exceeds the adapter’s binding limit is refused before any weight is fetched, naming the limit and the bytes', async ({
  page,
}) => {
  await openEmbedderPage(page);
  const requested: string[] = [];
  page.context().on('request', (request) => requested.push(`${request.method()} ${new URL(request.url()).pathname}`));
  // hidden 64 × intermediate 40,000,000 in 4 bits: a 1.28 GB matrix, over SwiftShader's 1 GiB.
  await page.context().route(`**${MODEL}config.json`, async (route) => {
    const response = await route.fetch();
    const config = (await response.json()) as Record<string, unknown>;
    // A new body, without the original's Content-Length (the loader checks the bytes against it).
    await route.fulfill({ status: 200, json: { ...config, intermediate_size: 40_000_000 } });
  });
  const limits = await page.evaluate(async () => {
    const adapter = await navigator.gpu.requestAdapter();
    return adapter && [adapter.limits.maxBufferSize, adapter.limits.maxStorageBufferBindingSize];
  });
  expect(limits).toEqual([2 ** 30, 2 ** 30]);
  const error = await page.evaluate(
    (url) => window.harness.createError({ model: { url }, device: 'webgpu', dtype: 'q4', cache: false }),
    MODEL,
  );
  expect(error?.code).toBe('MODEL_TOO_LARGE');
  expect(error?.message).toContain(`maxStorageBufferBindingSize: needs ${(64 * 40_000_000) / 2} bytes, has ${2 ** 30}`);
  expect(error?.message).toMatch(/onnx\/model_q4\.onnx \(q4, on webgpu\) does not fit this device/);
  // Nothing smaller than this 64-wide model is known; a 4B refused here would name the 0.6B (tests/unit/model-fit.test.ts).
  expect(error?.message).toMatch(/no smaller Qwen3-Embedding model fits either$/);
  expect(requested).toContain(`GET ${MODEL}config.json`);
  // The graph's size was asked for (HEAD), its bytes never (no GET under onnx/).
  expect(requested.filter((line) => line.includes(`${MODEL}onnx/`) && !line.startsWith('HEAD '))).toEqual([]);
});

test('q4f16 on SwiftShader, which has no shader-f16, is refused with DTYPE_UNAVAILABLE before any weight is fetched', async ({
  page,
}) => {
  await openEmbedderPage(page);
  const features = await page.evaluate(async () => [...((await navigator.gpu.requestAdapter())?.features ?? [])]);
  expect(features).not.toContain('shader-f16');
  const requested: string[] = [];
  page.context().on('request', (request) => requested.push(`${request.method()} ${new URL(request.url()).pathname}`));
  const error = await page.evaluate(
    (url) => window.harness.createError({ model: { url }, device: 'webgpu', dtype: 'q4f16', cache: false }),
    MODEL,
  );
  expect(error?.code).toBe('DTYPE_UNAVAILABLE');
  expect(error?.message).toContain('onnx/model_q4f16.onnx (dtype q4f16) that webgpu without shader-f16 can run');
  expect(requested.filter((line) => line.includes(`${MODEL}onnx/`) && !line.startsWith('HEAD '))).toEqual([]);
});
