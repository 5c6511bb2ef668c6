import { expect, test, type Page } from '@playwright/test';
import { createNodeEmbedder } from '../src/node/node-embedder.ts';
import type { EmbedEngine } from '../src/engine/embed-engine.ts';
import { loadReferenceModel, referenceEmbedding, type ReferenceModel } from '../tests/reference/reference-embedding.ts';
import { startFakeEngine, type FakeEngine } from '../tests/remote/fake-engines.ts';
import { cosine, FIXTURE_DIR, FIXTURE_URL } from './support/embedder-page.ts';
import { fault } from './support/reliability.ts';
import type {} from './pages/remote-page.ts'; // window.remoteHarness's type

/*
 * createEmbedder({ remote }) in Debian's Chromium: fetch from the page's origin to an engine on
 * 127.0.0.1 that answers as TEI documents, its vectors from the fixture model in Node. fp32 on
 * the engine against the float64 reference: cos ≥ 0.99999 (float32 rounding only); the probe
 * compares it with the same fixture on WASM fp32 in the tab (bar: 0.999).
 */
const SERVED = 'Qwen/Qwen3-Embedding-tiny';
const TEXTS = ['Hello world', '你好，世界', 'cats purr'];

let weights: EmbedEngine;
let reference: ReferenceModel;
let withCors: FakeEngine;
let withoutCors: FakeEngine;

test.beforeAll(async () => {
  weights = await createNodeEmbedder({ model: FIXTURE_DIR, dtype: 'fp32' });
  reference = await loadReferenceModel(FIXTURE_DIR, 'model.onnx');
  withCors = await startFakeEngine({ dialect: 'tei', model: SERVED, weights, cors: true });
  withoutCors = await startFakeEngine({ dialect: 'tei', model: SERVED, weights });
});

test.afterAll(async () => {
  await Promise.all([withCors.close(), withoutCors.close(), weights.dispose()]);
});

async function openRemotePage(page: Page): Promise<void> {
  await page.goto('/e2e/pages/remote.html');
  await page.locator('body[data-ready="true"]').waitFor();
}

test('a page embeds on an engine that allows its origin, proven by probe against the model in the tab', async ({
  page,
}) => {
  await openRemotePage(page);
  const result = await page.evaluate(
    ([baseURL, texts, model]) =>
      window.remoteHarness.embed({ baseURL, model: 'Qwen/Qwen3-Embedding-tiny', engine: 'tei' }, texts, model),
    [withCors.baseURL, TEXTS, FIXTURE_URL] as const,
  );
  if (!result.ok) throw new Error(`${result.code}: ${result.message}`);
  expect(result.run.probe.verified).toBe(true);
  expect(result.run.probe.minCosine).toBeGreaterThanOrEqual(0.999);
  result.run.vectors.forEach((vector, i) => {
    expect(vector).toHaveLength(64);
    expect(cosine(vector, referenceEmbedding(reference, TEXTS[i] ?? ''))).toBeGreaterThanOrEqual(0.99999);
  });
  // Two POSTs, the probe's and the texts' (preflights are answered apart and not counted).
  expect(withCors.requests.length).toBe(2);
});

test('a page gets REMOTE_FAILED naming the URL and CORS when the engine does not allow its origin', async ({
  page,
}) => {
  fault(
    'a remote engine that does not allow the page’s origin (no CORS)',
    'REMOTE_FAILED naming the URL and CORS, after one retry; no vectors',
  );
  await openRemotePage(page);
  const result = await page.evaluate(
    ([baseURL, texts]) =>
      window.remoteHarness.embed(
        { baseURL, model: 'Qwen/Qwen3-Embedding-tiny', engine: 'tei', retry: { retries: 1, baseDelayMs: 1 } },
        texts,
      ),
    [withoutCors.baseURL, TEXTS] as const,
  );
  expect(result).toMatchObject({ ok: false, code: 'REMOTE_FAILED' });
  if (result.ok) return;
  expect(result.message).toContain(`${withoutCors.baseURL}/v1/embeddings`);
  expect(result.message).toContain('CORS');
});
