import { statSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { createNodeEmbedder } from '../src/node/node-embedder.ts';
import type { EmbedEngine } from '../src/engine/embed-engine.ts';
import { loadReferenceModel, referenceEmbedding, type ReferenceModel } from '../tests/reference/reference-embedding.ts';
import { startFakeEngine, type FakeEngine } from '../tests/remote/fake-engines.ts';
import { cosine, FIXTURE_DIR, FIXTURE_URL } from './support/embedder-page.ts';
import type {} from './pages/remote-page.ts'; // window.remoteHarness's type

/*
 * createEmbedder({ model, device: 'auto', remoteFallback }) in Debian's Chromium, against an
 * engine on 127.0.0.1 that answers as TEI documents (with CORS), its vectors from the fixture in
 * Node. This machine cannot be a phone or a 1 GB device: a test that needs one overrides
 * navigator.deviceMemory before the page runs (page.addInitScript). Everything else is real
 * Chromium: its WebGPU adapter (SwiftShader here, a software one), its workers and OPFS.
 * Vectors are checked against the float64 reference, cos ≥ 0.99999 (float32 rounding only:
 * fp32 in the tab, fp32 on the engine).
 */
const SERVED = 'Qwen/Qwen3-Embedding-tiny';
const TEXT = 'cats purr';
/** The fp32 fixture the page loads: its graph and its weights, ≈ 40 MB, far under LARGE_MODEL_BYTES. */
const FIXTURE_BYTES = ['model.onnx', 'model.onnx_data']
  .map((file) => statSync(join(FIXTURE_DIR, 'onnx', file)).size)
  .reduce((a, b) => a + b, 0);

let weights: EmbedEngine;
let reference: ReferenceModel;
let engine: FakeEngine;

test.beforeAll(async () => {
  weights = await createNodeEmbedder({ model: FIXTURE_DIR, dtype: 'fp32' });
  reference = await loadReferenceModel(FIXTURE_DIR, 'model.onnx');
  engine = await startFakeEngine({ dialect: 'tei', model: SERVED, weights, cors: true });
});

test.afterAll(async () => {
  await Promise.all([engine.close(), weights.dispose()]);
});

test.beforeEach(() => {
  engine.requests.length = 0;
});

/** Opens the harness as a device with `memoryGB` of memory (Chromium reports 0.25–8). */
async function openAs(page: Page, memoryGB: number): Promise<void> {
  await page.addInitScript((gb) => {
    Object.defineProperty(Navigator.prototype, 'deviceMemory', { get: () => gb, configurable: true });
  }, memoryGB);
  await page.goto('/e2e/pages/remote.html');
  await page.locator('body[data-ready="true"]').waitFor();
  expect(await page.evaluate(() => ('deviceMemory' in navigator ? navigator.deviceMemory : undefined))).toBe(memoryGB);
}

const REMOTE = (baseURL: string) => ({ baseURL, model: SERVED, engine: 'tei' as const });

test('a 1 GB device with a remote fallback gets the engine, and info() says why', async ({ page }) => {
  await openAs(page, 1);
  const result = await page.evaluate(([remote, model, text]) => window.remoteHarness.choose(remote, model, text), [
    REMOTE(engine.baseURL),
    FIXTURE_URL,
    TEXT,
  ] as const);
  if (!result.ok) throw new Error(`${result.code}: ${result.message}`);
  expect(result.run.remote).toBe(true);
  expect(result.run.where).toBe(`${engine.baseURL}/`);
  // No model bytes given: the 0.6B q8 default, 1.3 × 1020 MB ≈ 1.33 GB at peak, over half of 1 GB.
  expect(result.run.choice).toEqual({
    provider: 'remote',
    reason:
      "loading the model takes about 1.33 GB at peak (1.3 × 1020 MB, the assumed 0.6B q8 size), more than half of this device's 1 GB",
  });
  expect(cosine(result.run.vector, referenceEmbedding(reference, TEXT))).toBeGreaterThanOrEqual(0.99999);
  // The probe's POST and the text's: the text left the tab, as the choice said it would.
  expect(engine.requests.length).toBe(2);
});

test('a device that can hold the model keeps it in the tab, and the engine hears nothing', async ({ page }) => {
  await openAs(page, 8);
  const result = await page.evaluate(
    ([remote, model, text, bytes]) => window.remoteHarness.choose(remote, model, text, { modelBytes: bytes }),
    [REMOTE(engine.baseURL), FIXTURE_URL, TEXT, FIXTURE_BYTES] as const,
  );
  if (!result.ok) throw new Error(`${result.code}: ${result.message}`);
  expect(result.run.remote).toBe(false);
  expect(result.run.where).toBe('wasm');
  expect(result.run.choice?.provider).toBe('local');
  // SwiftShader is no hardware GPU, but a 40 MB model is small enough for WASM.
  expect(result.run.choice?.reason).toContain(`(${Math.round(FIXTURE_BYTES / 1e6)} MB; 8 GB reported)`);
  expect(result.run.choice?.reason).toContain('a model small enough for WASM');
  expect(cosine(result.run.vector, referenceEmbedding(reference, TEXT))).toBeGreaterThanOrEqual(0.99999);
  expect(engine.requests.length).toBe(0);
});

test('an explicit device stays in the tab even on a 1 GB device', async ({ page }) => {
  await openAs(page, 1);
  const result = await page.evaluate(
    ([remote, model, text]) => window.remoteHarness.choose(remote, model, text, { device: 'wasm' }),
    [REMOTE(engine.baseURL), FIXTURE_URL, TEXT] as const,
  );
  if (!result.ok) throw new Error(`${result.code}: ${result.message}`);
  expect(result.run.remote).toBe(false);
  expect(result.run.choice).toEqual({
    provider: 'local',
    reason: "device 'wasm' was requested: an explicit device always runs in this tab",
  });
  expect(engine.requests.length).toBe(0);
});

test('a local load refused for storage (QUOTA_EXCEEDED) falls back to the engine and says so', async ({ page }) => {
  await openAs(page, 8);
  const result = await page.evaluate(
    ([remote, model, text, bytes]) =>
      window.remoteHarness.choose(remote, model, text, { modelBytes: bytes, quotaBytes: 1_000_000 }),
    [REMOTE(engine.baseURL), FIXTURE_URL, TEXT, FIXTURE_BYTES] as const,
  );
  if (!result.ok) throw new Error(`${result.code}: ${result.message}`);
  expect(result.run.remote).toBe(true);
  expect(result.run.choice?.provider).toBe('remote');
  expect(result.run.choice?.reason).toMatch(/^the model did not load in this tab \(QUOTA_EXCEEDED: /);
  expect(result.run.choice?.reason).toContain('this device can hold the model');
  expect(cosine(result.run.vector, referenceEmbedding(reference, TEXT))).toBeGreaterThanOrEqual(0.99999);
  expect(engine.requests.length).toBe(2);
});

/** The search page on the fixture, with the page's opt-in to the engine in its URL. */
function demoWithRemote(device: 'auto' | 'wasm'): string {
  const params = new URLSearchParams({
    model: FIXTURE_URL,
    device,
    remote: engine.baseURL,
    remoteModel: SERVED,
    remoteEngine: 'tei',
  });
  return `/?${params.toString()}`;
}

test('the search page opted into an engine says plainly, on a 1 GB device, that texts leave the tab', async ({
  page,
}) => {
  await page.addInitScript(() => {
    Object.defineProperty(Navigator.prototype, 'deviceMemory', { get: () => 1, configurable: true });
  });
  await page.goto(demoWithRemote('auto'));
  await expect(page.locator('body')).toHaveAttribute('data-state', 'remote');
  const where = page.locator('#where-computed');
  await expect(where).toHaveAttribute('data-provider', 'remote');
  await expect(where).toContainText(`Vectors are computed on ${engine.baseURL}/ (your texts leave this tab).`);
  await expect(where).toContainText("more than half of this device's 1 GB");
  // It says too that it cannot index this way, and leaves adding texts off.
  await expect(page.locator('#index-detail')).toContainText('with the remote engine it cannot index');
  await expect(page.locator('#paste-add')).toBeDisabled();
  // The probe reached the engine: the choice was acted on, not only shown.
  expect(engine.requests.length).toBe(1);
});

test('the search page with the engine configured but an explicit device computes in the tab and says so', async ({
  page,
}) => {
  await page.addInitScript(() => {
    Object.defineProperty(Navigator.prototype, 'deviceMemory', { get: () => 1, configurable: true });
  });
  await page.goto(demoWithRemote('wasm'));
  await expect(page.locator('body')).toHaveAttribute('data-state', 'ready');
  const where = page.locator('#where-computed');
  await expect(where).toHaveAttribute('data-provider', 'local');
  await expect(where).toContainText('Vectors are computed in this tab (WASM); your texts stay here.');
  await expect(where).toContainText("device 'wasm' was requested");
  expect(engine.requests.length).toBe(0);
});

test('the search page without ?remote= says its vectors are computed in this tab', async ({ page }) => {
  await page.goto(`/?model=${FIXTURE_URL}&device=wasm`);
  await expect(page.locator('body')).toHaveAttribute('data-state', 'ready');
  const where = page.locator('#where-computed');
  await expect(where).toHaveAttribute('data-provider', 'local');
  await expect(where).toHaveText('Vectors are computed in this tab (WASM); your texts stay here.');
});
