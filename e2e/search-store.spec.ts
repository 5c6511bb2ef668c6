import { expect, test, type Page } from '@playwright/test';
import type { Chunk, IndexFingerprint, SourceText } from '../src/protocol/search-data.ts';
import { randomUnitVectors } from '../tests/search/random-unit-vectors.ts';
import type { Outcome } from './pages/search-store-page.ts';
import { cosine64 } from './support/cosine64.ts';
import { FIXTURE_URL } from './support/embedder-page.ts';
import { fault } from './support/reliability.ts';

/*
 * The search worker and its IndexedDB store in Debian's Chromium: the real worker, the real
 * IndexedDB, reloads included. Each test uses its own database, so none sees another's data.
 * Vectors are seeded random unit vectors; scores are checked against a float64 cosine
 * (support/cosine64.ts).
 */

const D = 16;
const FP: IndexFingerprint = {
  model: '/models/qwen3-tiny/',
  revision: 'r1',
  dtype: 'q8',
  dimensions: D,
  instructionPolicy: 'documents raw; queries "Instruct: t\\nQuery:{text}"',
};

/** A source of `n` chunks, each one word of its text, as chunkSource would cut it (text = slice). */
function source(id: string, n: number): { source: SourceText; chunks: Chunk[] } {
  const words = Array.from({ length: n }, (_, i) => `${id}-word${i} `);
  const text = words.join('');
  let at = 0;
  const chunks = words.map((word, ordinal) => {
    const chunk = {
      id: `${id}#${ordinal}`,
      sourceId: id,
      ordinal,
      text: word,
      start: at,
      end: at + word.length,
      tokens: 3,
    };
    at += word.length;
    return chunk;
  });
  return { source: { id, name: `${id}.txt`, text }, chunks };
}

function value<T>(outcome: Outcome<T>): T {
  if (!outcome.ok) throw new Error(`expected success, got ${outcome.error.code}: ${outcome.error.message}`);
  return outcome.value;
}

function vectorRows(count: number, seed: number): number[][] {
  const flat = randomUnitVectors(count, D, seed);
  return Array.from({ length: count }, (_, r) => Array.from(flat.subarray(r * D, (r + 1) * D)));
}

async function openHarness(page: Page, db: string): Promise<void> {
  page.on('pageerror', (error) => console.log(`[browser pageerror] ${error.message}`));
  await page.goto('/e2e/pages/search-store.html');
  await page.locator('body[data-ready="true"]').waitFor();
  await page.evaluate((name) => window.searchStore.start(name), db);
}

async function reload(page: Page, db: string): Promise<void> {
  await page.reload();
  await page.locator('body[data-ready="true"]').waitFor();
  await page.evaluate((name) => window.searchStore.start(name), db);
}

const open = (page: Page, fp: IndexFingerprint) =>
  page.evaluate(async (f) => window.searchStore.open(f), fp).then(value);
const add = (page: Page, entries: ReturnType<typeof source>[]) =>
  page.evaluate(async (e) => window.searchStore.addSources(e), entries).then(value);
const store = (page: Page, ids: string[], rows: number[][]) =>
  page.evaluate(async ([i, v]) => window.searchStore.storeVectors(i, v, 16), [ids, rows.flat()] as const);
const search = (page: Page, query: number[], k: number, precision: 'float32' | 'int8') =>
  page.evaluate(async ([q, kk, p]) => window.searchStore.search(q, kk, p), [query, k, precision] as const);
const pending = (page: Page, limit?: number) =>
  page.evaluate(async (l) => window.searchStore.pendingChunks(l), limit).then(value);

/** Opens a fresh harness on `db` and adds `entries`; returns their chunk ids and seeded vectors (not stored yet). */
async function seeded(
  page: Page,
  db: string,
  entries: ReturnType<typeof source>[],
  seed: number,
): Promise<{ ids: string[]; rows: number[][] }> {
  await openHarness(page, db);
  await open(page, FP);
  await add(page, entries);
  const ids = entries.flatMap((e) => e.chunks.map((c) => c.id));
  return { ids, rows: vectorRows(ids.length, seed) };
}

test.describe.configure({ mode: 'serial' });

test('search store: vectors survive a reload, and the reopened index finds them', async ({ page }) => {
  const db = 'reload';
  const { ids, rows } = await seeded(page, db, [source('a', 5), source('b', 5)], 1);
  expect(value(await store(page, ids, rows))).toMatchObject({
    chunks: 10,
    embedded: 10,
    pending: 0,
    fingerprint: FP,
    mismatch: undefined,
  });

  await reload(page, db);
  const status = await open(page, FP);
  expect(status).toMatchObject({ chunks: 10, embedded: 10, pending: 0, fingerprint: FP, mismatch: undefined });
  expect(status.sources).toEqual([
    { id: 'a', name: 'a.txt', chunks: 5, embedded: 5 },
    { id: 'b', name: 'b.txt', chunks: 5, embedded: 5 },
  ]);
  const { hits } = value(await search(page, rows[7] ?? [], 1, 'float32'));
  expect(hits[0]).toMatchObject({
    chunkId: 'b#2',
    text: 'b-word2 ',
    sourceId: 'b',
    sourceName: 'b.txt',
    start: 16,
    end: 24,
  });
  expect(hits[0]?.score).toBeCloseTo(1, 5); // the very vector stored before the reload
});

test('search store: a batch that fails in the middle stores none of its vectors', async ({ page }) => {
  fault(
    'a batch of vectors fails in the middle (an id that is not stored)',
    'none of its vectors kept, in memory or in IndexedDB, also after a reload',
  );
  const db = 'atomic';
  const entry = source('a', 6);
  const { rows } = await seeded(page, db, [entry], 2);
  const ids = ['a#0', 'a#1', 'a#2', 'never-added#0', 'a#3'];
  const failed = await store(page, ids, rows.slice(0, ids.length));
  expect(failed).toMatchObject({ ok: false, error: { isEmbedError: true, code: 'INVALID_INPUT', index: 3 } });
  expect(failed.ok ? '' : failed.error.message).toMatch(
    /chunkIds\[3\] \("never-added#0"\) is not a stored chunk: add its source with addSources first/,
  );
  // Neither the memory index nor IndexedDB kept a#0..a#2, written before the bad id.
  expect(value(await page.evaluate(() => window.searchStore.status()))).toMatchObject({
    embedded: 0,
    pending: 6,
    fingerprint: undefined,
  });
  await reload(page, db);
  expect(await open(page, FP)).toMatchObject({ embedded: 0, pending: 6, fingerprint: undefined });
  expect((await pending(page)).map((c) => c.id)).toEqual(entry.chunks.map((c) => c.id));
});

test('search store: a transaction aborted in the middle of a batch (a full disk, a closing database) is INDEX_STORE_FAILED, keeps none of that batch, and the store goes on', async ({
  page,
}) => {
  fault(
    'an IndexedDB transaction aborts in the middle of a batch (a full disk, a closing database)',
    'INDEX_STORE_FAILED; none of that batch kept; the same worker stores it again, and the next',
  );
  // The third vector written aborts its transaction: the first batch of four fails half-written.
  const db = 'aborted-abort-at-3';
  const entry = source('a', 6);
  await openHarness(page, db);
  await page.evaluate((name) => window.searchStore.startAborting(name), db);
  await open(page, FP);
  await add(page, [entry]);
  const rows = vectorRows(6, 4);
  const ids = entry.chunks.map((c) => c.id);
  const failed = await store(page, ids.slice(0, 4), rows.slice(0, 4));
  expect(failed).toMatchObject({ ok: false, error: { isEmbedError: true, code: 'INDEX_STORE_FAILED' } });
  expect(failed.ok ? '' : failed.error.message).toContain('store a batch of vectors');
  expect(value(await page.evaluate(() => window.searchStore.status()))).toMatchObject({ embedded: 0, pending: 6 });

  // The same worker stores the batch again, and the next one.
  expect(value(await store(page, ids.slice(0, 4), rows.slice(0, 4)))).toMatchObject({ embedded: 4, pending: 2 });
  expect(value(await store(page, ids.slice(4), rows.slice(4)))).toMatchObject({ embedded: 6, pending: 0 });

  // On disk, read by a fresh page and worker: each chunk once, with its own vector.
  await reload(page, db);
  expect(await open(page, FP)).toMatchObject({ embedded: 6, pending: 0 });
  for (const [i, row] of rows.entries()) {
    const hits = value(await search(page, row, 1, 'float32'));
    expect(hits.hits[0]?.chunkId).toBe(ids[i]);
  }
});

test('search store: after a partial run the pending chunks are exactly the ones left, in source order', async ({
  page,
}) => {
  const db = 'resume';
  const { ids: all, rows } = await seeded(page, db, [source('first', 4), source('second', 4)], 3);
  // Two batches, the second not from the front: first#0-2, then second#1.
  value(await store(page, all.slice(0, 3), rows.slice(0, 3)));
  value(await store(page, ['second#1'], [rows[5] ?? []]));
  const left = ['first#3', 'second#0', 'second#2', 'second#3'];

  await reload(page, db); // the run was cut short
  expect(await open(page, FP)).toMatchObject({ chunks: 8, embedded: 4, pending: 4 });
  expect((await pending(page)).map((c) => c.id)).toEqual(left);
  expect((await pending(page, 2)).map((c) => c.id)).toEqual(left.slice(0, 2));
  value(
    await store(
      page,
      left,
      left.map((id) => rows[all.indexOf(id)] ?? []),
    ),
  );
  expect(await pending(page)).toEqual([]);
});

test('search store: opening with another fingerprint reports a mismatch and finds none of the old vectors', async ({
  page,
}) => {
  const db = 'mismatch';
  const { ids, rows } = await seeded(page, db, [source('a', 6)], 4);
  value(await store(page, ids, rows));

  const other: IndexFingerprint = { ...FP, dtype: 'q4' };
  await reload(page, db);
  const status = await open(page, other);
  expect(status).toMatchObject({
    fingerprint: FP,
    mismatch: { stored: FP, wanted: other },
    chunks: 6,
    embedded: 6,
    pending: 0,
  });
  expect(value(await search(page, rows[0] ?? [], 10, 'float32')).hits).toEqual([]);
  expect(value(await search(page, rows[0] ?? [], 10, 'int8')).hits).toEqual([]);
  expect(await store(page, ['a#0'], [rows[0] ?? []])).toMatchObject({ ok: false, error: { code: 'INDEX_MISMATCH' } });
  expect(await page.evaluate(() => window.searchStore.pendingChunks())).toMatchObject({
    ok: false,
    error: { code: 'INDEX_MISMATCH' },
  });

  // Nothing was deleted: the right fingerprint gets its vectors back.
  expect(await open(page, FP)).toMatchObject({ embedded: 6, mismatch: undefined });
  expect(value(await search(page, rows[0] ?? [], 1, 'float32')).hits[0]?.chunkId).toBe('a#0');

  // reindex keeps the texts and drops the vectors: every chunk is pending for the new model.
  expect(value(await page.evaluate((f) => window.searchStore.reindex(f), other))).toMatchObject({
    fingerprint: undefined,
    mismatch: undefined,
    chunks: 6,
    embedded: 0,
    pending: 6,
  });
});

test('search store: clear() empties it, for good', async ({ page }) => {
  const db = 'clear';
  const { ids, rows } = await seeded(page, db, [source('a', 3)], 5);
  value(await store(page, ids, rows));
  const empty = {
    fingerprint: undefined,
    sources: [],
    chunks: 0,
    embedded: 0,
    pending: 0,
    mismatch: undefined,
    memory: expect.objectContaining({ keeps: 'float32' }),
  };
  expect(value(await page.evaluate(() => window.searchStore.clear()))).toEqual(empty);
  expect(value(await search(page, rows[0] ?? [], 10, 'float32')).hits).toEqual([]);
  await reload(page, db);
  expect(await open(page, FP)).toEqual(empty);
});

test('search store: results agree with a brute-force cosine, and removing a source removes its hits', async ({
  page,
}) => {
  const { ids, rows } = await seeded(page, 'brute', [source('a', 100), source('b', 100), source('c', 100)], 6);
  for (let at = 0; at < ids.length; at += 64) value(await store(page, ids.slice(at, at + 64), rows.slice(at, at + 64)));

  const queries = vectorRows(5, 7);
  for (const query of queries) {
    const exact = ids.map((id, r) => ({ id, score: cosine64(query, rows[r] ?? []) })).sort((x, y) => y.score - x.score);
    const { hits, ms } = value(await search(page, query, 10, 'float32'));
    expect(ms).toBeGreaterThanOrEqual(0);
    expect(hits.map((h) => h.chunkId)).toEqual(exact.slice(0, 10).map((e) => e.id));
    hits.forEach((hit, i) => expect(Math.abs(hit.score - (exact[i]?.score ?? 0))).toBeLessThan(1e-5)); // float32 sums of 16 terms
    // int8: the int8 scan's candidates rescored in float32, so the same hits with the same scores.
    expect(value(await search(page, query, 10, 'int8')).hits).toEqual(hits);
  }
  const recall = value(await page.evaluate((q) => window.searchStore.int8Recall(q, 10), queries.flat()));
  // Measured 1.000: rescoring returns the exact top 10. One miss in these 50 would give 0.98.
  expect(recall).toBeGreaterThanOrEqual(0.99);

  const { points, explained } = value(await page.evaluate(() => window.searchStore.map()));
  expect(points).toHaveLength(300);
  expect(explained[0]).toBeGreaterThan(explained[1]);

  expect(value(await page.evaluate(() => window.searchStore.removeSource('b')))).toMatchObject({
    chunks: 200,
    embedded: 200,
  });
  const after = value(await search(page, queries[0] ?? [], 1000, 'float32')).hits;
  expect(after).toHaveLength(200);
  expect(after.some((h) => h.sourceId === 'b')).toBe(false);
});

test('search store: with int8 chosen the worker keeps only int8 codes and rescores with rows read from IndexedDB; float32 loads them back', async ({
  page,
}) => {
  const db = 'int8-only';
  const { ids, rows } = await seeded(page, db, [source('a', 150), source('b', 150)], 8);
  for (let at = 0; at < ids.length; at += 64) value(await store(page, ids.slice(at, at + 64), rows.slice(at, at + 64)));
  const floatMap = value(await page.evaluate(() => window.searchStore.map()));

  const switched = value(await page.evaluate(() => window.searchStore.usePrecision('int8')));
  expect(switched).toMatchObject({ embedded: 300, memory: { keeps: 'int8', bytes: 300 * (D + 4) + D * 4 } }); // codes + scales + centre, no rows
  const queries = vectorRows(5, 9);
  for (const query of queries) {
    const exact = ids.map((id, r) => ({ id, score: cosine64(query, rows[r] ?? []) })).sort((x, y) => y.score - x.score);
    const { hits } = value(await search(page, query, 10, 'int8'));
    expect(hits.map((h) => h.chunkId)).toEqual(exact.slice(0, 10).map((e) => e.id));
    hits.forEach((hit, i) => expect(Math.abs(hit.score - (exact[i]?.score ?? 0))).toBeLessThan(1e-5));
    // float32 while int8 is kept: an exact scan of the store, the same hits.
    expect(value(await search(page, query, 10, 'float32')).hits).toEqual(hits);
  }
  expect(
    value(await page.evaluate((q) => window.searchStore.int8Recall(q, 10), queries.flat())),
  ).toBeGreaterThanOrEqual(0.99); // measured 1.000

  // The map: fitted on the rows read by key, each point projected from its int8 code, within
  // Σ|axis|·step/2 ≤ 4 · (2/127)/2 = 0.031 of the float32 map (unit axes in 16 dims, |v − centre| ≤ 2).
  const int8Map = value(await page.evaluate(() => window.searchStore.map()));
  expect(int8Map.points).toHaveLength(300);
  const floatPoint = new Map(floatMap.points.map((p) => [p.chunkId, p]));
  for (const point of int8Map.points) {
    expect(Math.abs(point.x - (floatPoint.get(point.chunkId)?.x ?? Infinity))).toBeLessThan(0.031);
    expect(Math.abs(point.y - (floatPoint.get(point.chunkId)?.y ?? Infinity))).toBeLessThan(0.031);
  }

  // Rescoring reads the store, not memory: change b#7's row in IndexedDB behind the worker's
  // back (to its negation). Its int8 code still says "best match" for its own old vector, so it
  // is a candidate, and the row read back scores it −1.
  const target = rows[ids.indexOf('b#7')] ?? [];
  await page.evaluate(
    async ([name, id]) => {
      const database = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open(name);
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error ?? new Error('open failed'));
      });
      await new Promise<void>((resolve, reject) => {
        const tx = database.transaction('vectors', 'readwrite');
        const records = tx.objectStore('vectors');
        const read = records.get(id);
        read.onsuccess = () => {
          const record = read.result as { vector: Float32Array };
          records.put({ ...record, vector: record.vector.map((x) => -x) });
        };
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error ?? new Error('write failed'));
      });
      database.close();
    },
    [db, 'b#7'] as const,
  );
  const changed = rows.map((r, i) => (ids[i] === 'b#7' ? r.map((x) => -x) : r));
  const exactNow = ids
    .map((id, r) => ({ id, score: cosine64(target, changed[r] ?? []) }))
    .sort((x, y) => y.score - x.score);
  expect(value(await search(page, target, 10, 'int8')).hits.map((h) => h.chunkId)).toEqual(
    exactNow.slice(0, 10).map((e) => e.id),
  );
  expect(value(await search(page, target, 300, 'float32')).hits.at(-1)).toMatchObject({
    chunkId: 'b#7',
    score: expect.closeTo(-1, 5),
  });

  // Indexing goes on in int8: new rows are quantised as they arrive and found.
  await add(page, [source('c', 4)]);
  const fresh = vectorRows(4, 10);
  expect(value(await store(page, ['c#0', 'c#1', 'c#2', 'c#3'], fresh))).toMatchObject({
    embedded: 304,
    memory: { keeps: 'int8' },
  });
  expect(value(await search(page, fresh[2] ?? [], 1, 'int8')).hits[0]).toMatchObject({
    chunkId: 'c#2',
    score: expect.closeTo(1, 5),
  });

  // A reload opens straight into int8; float32 then loads every row back from the store, the changed one included.
  await reload(page, db);
  expect(value(await page.evaluate((f) => window.searchStore.open(f, 'int8'), FP))).toMatchObject({
    embedded: 304,
    memory: { keeps: 'int8', bytes: 304 * (D + 4) + D * 4 },
  });
  expect(value(await search(page, fresh[2] ?? [], 1, 'int8')).hits[0]?.chunkId).toBe('c#2');
  expect(value(await page.evaluate(() => window.searchStore.usePrecision('float32')))).toMatchObject({
    embedded: 304,
    memory: { keeps: 'float32', bytes: 304 * D * 4 },
  });
  expect(value(await search(page, target, 304, 'float32')).hits.at(-1)).toMatchObject({
    chunkId: 'b#7',
    score: expect.closeTo(-1, 5),
  });

  // @ts-expect-error: a precision the type does not allow, as a page could send over Comlink
  expect(await page.evaluate(() => window.searchStore.usePrecision('fp16'))).toMatchObject({
    ok: false,
    error: { code: 'INVALID_OPTION' },
  });
});

test('search store: indexes through a port to the embedding worker, each chunk getting its own text’s vector', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await openHarness(page, 'through-port');
  // The fixture model's full width: the vectors here come from the real embedding worker.
  const fp = { ...FP, dimensions: 64 };
  expect((await open(page, fp)).pending).toBe(0);
  const entries = [source('p', 9), source('q', 5)];
  await add(page, entries);
  const chunks = entries.flatMap((entry) => entry.chunks);
  const texts = chunks.map((chunk) => chunk.text);
  // Slices of 4: four embed calls over one port, the last one short.
  const run = value(
    await page.evaluate(async ([model, t]) => window.searchStore.indexThroughPort(model, 4, t, 64), [
      FIXTURE_URL,
      texts,
    ] as const),
  );
  expect(run.status).toMatchObject({ chunks: 14, embedded: 14, pending: 0 });
  // One report per stored batch: at least one per embed call.
  expect(run.reports).toBeGreaterThanOrEqual(4);
  // Each stored vector is its own chunk's: searching with the embedder's vector of a text finds
  // that text's chunk first, at cosine 1 within the 1e-5 that slices of another size may move
  // a q8 vector (the batch-independence bar of issue 11). A mix-up of ids would find another chunk.
  for (const [i, chunk] of chunks.entries()) {
    const [hit] = value(await search(page, run.direct[i] ?? [], 1, 'float32')).hits;
    expect(hit?.chunkId).toBe(chunk.id);
    expect(hit?.score).toBeGreaterThan(1 - 1e-5);
  }
});

test('search store: an embedding worker that ends mid-run fails the run with WORKER_FAILED instead of leaving it pending, and keeps every batch it stored', async ({
  page,
}) => {
  fault(
    'the embedding worker ends in the middle of an indexing run',
    'WORKER_FAILED instead of a run left pending; every stored batch kept; a new embedder goes on from there',
  );
  test.setTimeout(120_000);
  await openHarness(page, 'embedder-ends');
  const fp = { ...FP, dimensions: 64 };
  await open(page, fp);
  await add(page, [source('w', 12)]);
  // Slices of 2: the worker ends at the first stored batch, with five more calls to go.
  const ended = await page.evaluate(async ([model]) => window.searchStore.indexWhileEmbedderEnds(model, 2), [
    FIXTURE_URL,
  ] as const);
  expect(ended).toMatchObject({ ok: false, error: { isEmbedError: true, code: 'WORKER_FAILED' } });
  const after = value(await page.evaluate(() => window.searchStore.status()));
  expect(after.embedded).toBeGreaterThan(0);
  expect(after.embedded).toBeLessThan(12);
  expect(after.embedded + after.pending).toBe(12);

  // A new embedder goes on from there, and every chunk ends with one vector.
  const resumed = value(
    await page.evaluate(async ([model]) => window.searchStore.indexThroughPort(model, 4, ['x'], 64), [
      FIXTURE_URL,
    ] as const),
  );
  expect(resumed.status).toMatchObject({ chunks: 12, embedded: 12, pending: 0 });
});

test('search store: indexPending refuses a missing port and a bad slice by code, and changes nothing', async ({
  page,
}) => {
  await openHarness(page, 'refused-index');
  await open(page, FP);
  await add(page, [source('r', 3)]);
  const refused = (what: 'no-port' | 'slice-0' | 'slice-1.5') =>
    page.evaluate((w) => window.searchStore.indexPendingRefused(w), what);
  expect(await refused('no-port')).toMatchObject({
    ok: false,
    error: { code: 'INVALID_INPUT', message: expect.stringContaining('MessagePort') },
  });
  expect(await refused('slice-0')).toMatchObject({
    ok: false,
    error: { code: 'INVALID_OPTION', message: expect.stringContaining('slice') },
  });
  expect(await refused('slice-1.5')).toMatchObject({ ok: false, error: { code: 'INVALID_OPTION' } });
  expect(await pending(page)).toHaveLength(3);
});
