import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { PackManifest } from '../src/model/pack-manifest.ts';
import { packModel } from '../src/node/pack-model.ts';
import { loadReferenceModel, referenceEmbedding, type ReferenceModel } from '../tests/reference/reference-embedding.ts';
import { cosine, FIXTURE_DIR, openEmbedderPage } from './support/embedder-page.ts';
import { startStaticSite, type StaticSite } from './support/static-site.ts';

/*
 * A model packed by `tabembed pack-model` (src/node/pack-model.ts) served by a static host that
 * refuses every file over its per-file limit (413, as a host with a 25 MiB cap never serves a
 * larger one), loaded in Chromium with `createEmbedder({ model: { url } })`. The limit is 6 MiB
 * rather than 25: the tiny fixture's files are small, and 6 MiB is the least that holds its
 * tokenizer.json (5.4 MB, read whole); the q8 graph's 38.8 MB embedding table still goes out in
 * 7 chunks of row blocks. The vector is checked against the float64 reference on the q8 weights
 * with per-row 8-bit activations (cos ≥ 0.9999, as in the numerics suite).
 */
const LIMIT = 6 * 1024 * 1024;
const TEXT = 'cats purr';

let work: string;
let manifest: PackManifest;
let site: StaticSite;
let reference: ReferenceModel;

test.beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'tabembed-static-host-'));
  [manifest, reference] = await Promise.all([
    packModel(FIXTURE_DIR, join(work, 'packed'), { maxFileSize: LIMIT, dtypes: ['q8'] }),
    loadReferenceModel(FIXTURE_DIR, 'model_quantized.onnx', 'per-row-int8'),
  ]);
  site = await startStaticSite({
    mounts: { '/model/': join(work, 'packed'), '/original/': FIXTURE_DIR },
    maxFileSize: LIMIT,
    // The page is on another port: the worker's fetches are CORS requests from an isolated page.
    headers: () => ({ 'Access-Control-Allow-Origin': '*', 'Cross-Origin-Resource-Policy': 'cross-origin' }),
  });
});

test.afterAll(async () => {
  await site.close();
  rmSync(work, { recursive: true, force: true });
});

test('a packed model loads from a host that refuses files over its limit, every request under it, and loads again from the OPFS cache alone', async ({
  page,
}) => {
  // The host really refuses: the original q8 graph (39 MB, weights inline) is not served.
  const original = await fetch(`${site.origin}/original/onnx/model_quantized.onnx`);
  expect(original.status).toBe(413);
  await original.body?.cancel();

  await openEmbedderPage(page);
  const options = { model: { url: `${site.origin}/model/` }, device: 'wasm', dtype: 'q8' } as const;
  const modelRequests = () => site.requests().filter((r) => r.path.startsWith('/model/'));

  const first = await page.evaluate((o) => window.harness.create(o), options);
  const [vector] = await page.evaluate(([h, t]) => window.harness.embed(h, [t]), [first.handle, TEXT] as const);
  expect(cosine(vector ?? [], referenceEmbedding(reference, TEXT))).toBeGreaterThanOrEqual(0.9999);

  // Every request was answered, and each file it asked for is under the limit.
  const asked = modelRequests();
  expect(asked.filter((r) => r.status !== 200)).toEqual([]);
  for (const request of asked) {
    const path = request.path.slice('/model/'.length);
    expect(statSync(join(work, 'packed', path)).size, path).toBeLessThanOrEqual(LIMIT);
  }
  // The load read the config, the manifest, the tokenizer, the graph and all 7 chunks, once each.
  const chunks = manifest.files.filter((f) => f.path.startsWith('onnx/model_quantized.onnx_data')).map((f) => f.path);
  expect(chunks).toHaveLength(7);
  const loaded = ['config.json', 'tabembed-pack.json', 'tokenizer.json', 'tokenizer_config.json'].concat(
    'onnx/model_quantized.onnx',
    chunks,
  );
  expect(asked.map((r) => `${r.method} ${r.path.slice('/model/'.length)}`).sort()).toEqual(
    loaded.map((path) => `GET ${path}`).sort(),
  );
  // Progress counts the bytes of every chunk: it ends at the total of the files the load needs.
  const sizeOf = (path: string): number => manifest.files.find((f) => f.path === path)?.size ?? Number.NaN;
  const total = ['tokenizer.json', 'tokenizer_config.json', 'onnx/model_quantized.onnx', ...chunks].reduce(
    (sum, path) => sum + sizeOf(path),
    0,
  );
  const downloads = first.progress.filter((e) => e.phase === 'download');
  expect(downloads.at(-1)).toMatchObject({ totalLoaded: total, totalBytes: total });
  expect(first.info.cached).toBe(true);
  await page.evaluate((h) => window.harness.dispose(h), first.handle);

  // The second load: no request to the host at all, every file from the OPFS cache.
  const before = modelRequests().length;
  const second = await page.evaluate((o) => window.harness.create(o), options);
  expect(modelRequests().slice(before)).toEqual([]);
  expect(second.progress.filter((e) => e.phase === 'download').every((e) => e.fromCache)).toBe(true);
  const [again] = await page.evaluate(([h, t]) => window.harness.embed(h, [t]), [second.handle, TEXT] as const);
  expect(again).toEqual(vector);
  await page.evaluate((h) => window.harness.dispose(h), second.handle);
});
