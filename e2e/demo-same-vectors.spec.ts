import { expect, test, type Browser, type Page } from '@playwright/test';
import { cosine64 } from './support/cosine64.ts';
import {
  DEMO_PAGE,
  indexCounts,
  logBrowserErrors,
  openDemo,
  waitForIndexed,
  waitForModel,
} from './support/demo-page.ts';

/*
 * Run-to-run determinism on the search page (issue 11): the same corpus indexed in one run, and
 * again in other slices (`?slice=7` instead of 128 texts per embed call) with a reload in the
 * middle, gets the same vector for every chunk. Different slices put each chunk in batches with
 * other batch-mates and other padding, which is what used to move q8 vectors (the default dtype
 * on WASM). Vectors are read straight from IndexedDB, keyed by chunk text (source ids are
 * random per added text).
 *
 * Bound: cos ≥ 0.99999 for every chunk, issue 11's bar for "the same vector". Not bitwise: the
 * padding a chunk gets depends on its batch-mates, and onnxruntime's float32 sums (attention over
 * the padded length, WASM's threaded kernels) round in another order, ~1e-7; now and then such a
 * difference moves one activation across a q8 rounding boundary, one level of 127, which shows
 * as max |Δ| up to ~1e-3 in a handful of chunks. Measured: see the log line and issue 11's note.
 */

/** Every stored vector of this origin's index, by the text of its chunk. */
async function storedVectors(page: Page): Promise<Map<string, number[]>> {
  const entries = await page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('tabembed-index');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error ?? new Error('indexedDB.open failed'));
    });
    const all = <T>(store: string): Promise<T[]> =>
      new Promise((resolve, reject) => {
        const request = db.transaction(store).objectStore(store).getAll();
        request.onsuccess = () => resolve(request.result as T[]);
        request.onerror = () => reject(request.error ?? new Error(`reading ${store} failed`));
      });
    const chunks = new Map((await all<{ id: string; text: string }>('chunks')).map((c) => [c.id, c.text]));
    const vectors = await all<{ chunkId: string; vector: Float32Array }>('vectors');
    db.close();
    return vectors.map((v) => [chunks.get(v.chunkId) ?? `missing chunk ${v.chunkId}`, Array.from(v.vector)] as const);
  });
  return new Map(entries);
}

async function indexSampleCorpus(browser: Browser, path: string, reloadAfter?: number): Promise<Map<string, number[]>> {
  const context = await browser.newContext();
  const page = await context.newPage();
  logBrowserErrors(page);
  await openDemo(page, path);
  await page.getByRole('button', { name: 'Add the sample corpus' }).click();
  if (reloadAfter !== undefined) {
    await expect
      .poll(async () => (await indexCounts(page)).embedded, { timeout: 120_000 })
      .toBeGreaterThan(reloadAfter);
    await page.reload();
    await waitForModel(page);
  }
  const counts = await waitForIndexed(page);
  const vectors = await storedVectors(page);
  expect(vectors.size).toBe(counts.chunks);
  await context.close();
  return vectors;
}

test('demo gives every chunk the same vector whether the corpus is indexed in one run or in other slices resumed after a reload', async ({
  browser,
}) => {
  const oneRun = await indexSampleCorpus(browser, DEMO_PAGE);
  const sliced = await indexSampleCorpus(browser, `${DEMO_PAGE}&slice=7`, 40);
  expect([...sliced.keys()].sort()).toEqual([...oneRun.keys()].sort());
  let maxDiff = 0;
  let minCos = 1;
  let differing = 0;
  for (const [text, vector] of oneRun) {
    const other = sliced.get(text) ?? [];
    expect(other).toHaveLength(vector.length);
    const diff = Math.max(...vector.map((v, i) => Math.abs(v - (other[i] ?? NaN))));
    if (diff > 0) differing++;
    maxDiff = Math.max(maxDiff, diff);
    minCos = Math.min(minCos, cosine64(vector, other));
  }
  console.log(
    `[demo] ${oneRun.size} chunks indexed twice (slices of 128 in one run; of 7 with a reload): ${differing} differ at all; min cos ${minCos.toFixed(9)}, max |Δ| ${maxDiff.toExponential(2)}`,
  );
  expect(minCos).toBeGreaterThanOrEqual(0.99999);
});
