import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { loadReferenceModel, referenceEmbedding, type ReferenceModel } from '../tests/reference/reference-embedding.ts';
import { cosine, FIXTURE_DIR, openEmbedderPage } from './support/embedder-page.ts';
import { expect, test, type Hub } from './support/hub-fixture.ts';
import { fault } from './support/reliability.ts';

/*
 * Model delivery against a real HTTP server in Hub layout (e2e/support/hub-server.ts) with
 * faults switched per test, in a fresh browser context (fresh OPFS) per test. The model is the
 * q4 fixture on WASM: one 37 MB graph plus the tokenizer files. Vectors after each recovery are
 * checked against the float64 reference on the q4 weights (cos ≥ 0.9999, as in the numerics suite).
 */
const REPO = 'tabembed/qwen3-tiny';
const GRAPH = 'onnx/model_q4.onnx';
const FILES = ['tokenizer.json', 'tokenizer_config.json', GRAPH];
const TOTAL_BYTES = FILES.reduce((sum, file) => sum + statSync(join(FIXTURE_DIR, file)).size, 0);
const GRAPH_BYTES = statSync(join(FIXTURE_DIR, GRAPH)).size;
/** The cache's name for the graph's file (core/cache-manifest.ts). */
const GRAPH_FILE = encodeURIComponent(GRAPH);
const TEXT = 'cats purr';

let reference: ReferenceModel;
test.beforeAll(async () => {
  reference = await loadReferenceModel(FIXTURE_DIR, 'model_q4.onnx');
});

function options(hub: Hub, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { model: { hub: REPO, revision: 'main', host: hub.origin }, device: 'wasm', dtype: 'q4', ...extra };
}

async function create(page: Page, hub: Hub, extra: Record<string, unknown> = {}) {
  return page.evaluate((o) => window.harness.create(o), options(hub, extra));
}

async function expectRightVector(page: Page, handle: number): Promise<void> {
  const [vector] = await page.evaluate(([h, t]) => window.harness.embed(h, [t]), [handle, TEXT] as const);
  expect(cosine(vector ?? [], referenceEmbedding(reference, TEXT))).toBeGreaterThanOrEqual(0.9999);
}

const gets = (hub: Hub, file: string) =>
  hub.requests().filter((r) => r.method === 'GET' && r.path.endsWith(`/${file}`));

async function cachedEntry(page: Page) {
  const [entry] = await page.evaluate(() => window.harness.listCached());
  if (!entry) throw new Error('nothing is cached');
  return entry;
}

/** The graph is not recorded complete and its bytes so far are kept as a partial file: how many. */
async function keptPartialGraph(page: Page): Promise<number> {
  const entry = await cachedEntry(page);
  expect(entry.files.map((f) => f.path)).not.toContain(GRAPH);
  expect(entry.partialFiles).toEqual([GRAPH]);
  return (await page.evaluate(([k, p]) => window.harness.storedSize(k, p), [entry.key, GRAPH] as const)) ?? 0;
}

/** A load on a disk that fails every write to the graph past its first FAILS_PAST bytes (failing-writes-worker.ts). */
const FAILS_PAST = 10_000_000;
const createOnFailingDisk = (page: Page, hub: Hub, how: 'io' | 'quota') =>
  page.evaluate(([o, h, f, at]) => window.harness.createWithFailingWrites(o, h, f, at), [
    options(hub),
    how,
    GRAPH_FILE,
    FAILS_PAST,
  ] as const);

/** After the disk failed: up to FAILS_PAST bytes of the graph are kept, and the next load resumes from them. */
async function expectResumedAfterFailingDisk(page: Page, hub: Hub): Promise<void> {
  const kept = await keptPartialGraph(page);
  expect(kept).toBeGreaterThan(0);
  expect(kept).toBeLessThanOrEqual(FAILS_PAST);
  await expectResumedFrom(page, hub, kept);
}

/**
 * After a download cut short with `kept` bytes of the graph on disk: the next load asks for the
 * rest of the graph alone (one Range request from `kept`: nothing lost, nothing fetched twice)
 * and gives the right vector, and the load after it asks for nothing.
 */
async function expectResumedFrom(page: Page, hub: Hub, kept: number): Promise<void> {
  hub.resetLog();
  const resumed = await create(page, hub);
  expect(
    hub.requests().map(({ method, path, range, status, bytesSent }) => ({ method, path, range, status, bytesSent })),
  ).toEqual([
    {
      method: 'GET',
      path: `/${REPO}/resolve/main/${GRAPH}`,
      range: `bytes=${kept}-`,
      status: 206,
      bytesSent: GRAPH_BYTES - kept,
    },
  ]);
  await expectRightVector(page, resumed.handle);
  await page.evaluate((h) => window.harness.dispose(h), resumed.handle);

  hub.resetLog();
  const cached = await create(page, hub);
  expect(hub.requests()).toEqual([]);
  await expectRightVector(page, cached.handle);
}

test.beforeEach(async ({ page }) => {
  await openEmbedderPage(page);
});

test('progress: totals are known before the first byte, rise monotonically and end exactly at the total; so does the upload to the session', async ({
  page,
  hub,
}) => {
  const { info, progress } = await create(page, hub);
  expect(info.cached).toBe(true);
  const downloads = progress.filter((event) => event.phase === 'download');
  expect(downloads.length).toBeGreaterThan(3);
  expect(downloads[0]?.totalBytes).toBe(TOTAL_BYTES);
  downloads.forEach((event, i) => {
    expect(event.totalBytes).toBe(TOTAL_BYTES);
    expect(event.totalLoaded ?? -1).toBeGreaterThanOrEqual(downloads[i - 1]?.totalLoaded ?? 0);
  });
  expect(downloads.at(-1)?.totalLoaded).toBe(TOTAL_BYTES);
  expect(downloads.some((event) => (event.bytesPerSecond ?? 0) > 0)).toBe(true);
  // The upload: counted from onnxruntime's own reads of the cached file (its JSPI loader reads each
  // tensor's slice from the Blob), rising in several steps to a total of the graph's large weights:
  // here the 151669 × 64 float32 embedding table, 38827264 bytes of the 39 MB graph.
  const uploads = progress.filter((event) => event.phase === 'upload');
  const uploadTotal = uploads[0]?.totalBytes ?? 0;
  expect(uploadTotal).toBe(151669 * 64 * 4);
  expect(uploadTotal).toBeLessThanOrEqual(GRAPH_BYTES);
  expect(uploads.length).toBeGreaterThan(3);
  uploads.forEach((event, i) => {
    expect(event.totalBytes).toBe(uploadTotal);
    expect(event.totalLoaded ?? -1).toBeGreaterThan(uploads[i - 1]?.totalLoaded ?? 0);
  });
  expect(uploads.at(-1)?.totalLoaded).toBe(uploadTotal);
  expect(progress.map((e) => e.phase).filter((phase, i, all) => phase !== all[i - 1])).toEqual([
    'resolve',
    'download',
    'compile',
    'upload',
    'warmup',
    'ready',
  ]);
});

test('on WebGPU the weights reach the session from the cached file through the paced upload: counted to their total, the vector right', async ({
  page,
  hub,
}) => {
  // The WebGPU load opens a two-node session first, to pace the upload on its device's queue
  // (src/engine/upload-pacing.ts); this 38.8 MB table stays under one 64 MiB step, so the wait
  // itself is exercised by the 4B-wide loads of bench/load-4b-memory.ts, not here.
  const { handle, info, progress } = await create(page, hub, { device: 'webgpu' });
  expect(info.device).toBe('webgpu');
  const uploads = progress.filter((event) => event.phase === 'upload');
  expect(uploads.length).toBeGreaterThan(3);
  expect(uploads.at(-1)?.totalLoaded).toBe(151669 * 64 * 4);
  await expectRightVector(page, handle);
  await page.evaluate((h) => window.harness.dispose(h), handle);
});

test('offline: a second load makes zero requests, and with the model host refusing everything the model loads and embeds', async ({
  page,
  hub,
}) => {
  fault(
    'the model host is down (every request answers 500) after a first load',
    'the model loads from the cache with no request at all, and embeds the right vector',
  );
  const first = await create(page, hub);
  await page.evaluate((h) => window.harness.dispose(h), first.handle);
  hub.resetLog();

  const second = await create(page, hub);
  expect(hub.requests()).toEqual([]);
  expect(second.progress.filter((e) => e.phase === 'download').every((e) => e.fromCache)).toBe(true);
  await page.evaluate((h) => window.harness.dispose(h), second.handle);

  // The model host goes down. (Taking the whole network away also takes the page's own worker
  // script and /ort/ files; keeping those is the app-shell service worker's job, in the demo.)
  hub.setFaults([{ path: '*', fault: '500' }]);
  const offline = await create(page, hub);
  expect(hub.requests()).toEqual([]);
  await expectRightVector(page, offline.handle);
});

test('corrupt: a zero-filled or truncated cached file is detected, discarded and fetched again, never served', async ({
  page,
  hub,
}) => {
  fault(
    'a cached model file is zero-filled or truncated on disk',
    'caught by its size and sha256, discarded and fetched again; never served',
  );
  const first = await create(page, hub);
  await page.evaluate((h) => window.harness.dispose(h), first.handle);
  const [cached] = await page.evaluate(() => window.harness.listCached());
  expect(cached?.files.map((f) => f.path).sort()).toEqual(['config.json', ...FILES].sort());

  for (const how of ['zeros', 'truncate'] as const) {
    await page.evaluate(([key, path, h]) => window.harness.corruptCached(key, path, h), [
      cached?.key ?? '',
      GRAPH,
      how,
    ] as const);
    hub.resetLog();
    const again = await create(page, hub);
    expect(gets(hub, 'model_q4.onnx')).toHaveLength(1);
    await expectRightVector(page, again.handle);
    await page.evaluate((h) => window.harness.dispose(h), again.handle);
  }
});

test('corrupt download: a bit-flipped body fails its sha256 and is fetched again', async ({ page, hub }) => {
  fault('a download arrives with flipped bits', 'its sha256 fails; it is fetched again, and the vector is right');
  hub.setFaults([{ path: GRAPH, fault: 'bitflip', times: 1 }]);
  const { handle } = await create(page, hub);
  expect(gets(hub, 'model_q4.onnx')).toHaveLength(2);
  await expectRightVector(page, handle);
});

test('resume: a connection dropped mid-file resumes with a Range request from where it stopped', async ({
  page,
  hub,
}) => {
  fault(
    'the connection drops 10 MB into the model file',
    'the download resumes with a Range request from where it stopped',
  );
  hub.setFaults([{ path: GRAPH, fault: 'drop', after: 10_000_000, times: 1 }]);
  const { handle, progress } = await create(page, hub);
  const [dropped, resumed] = gets(hub, 'model_q4.onnx');
  expect(dropped?.range).toBeUndefined();
  const start = Number(/^bytes=(\d+)-$/.exec(resumed?.range ?? '')?.[1]);
  expect(start).toBeGreaterThan(0);
  expect(start).toBeLessThanOrEqual(10_000_000);
  expect(resumed?.status).toBe(206);
  expect(progress.filter((e) => e.phase === 'download').at(-1)?.totalLoaded).toBe(TOTAL_BYTES);
  await expectRightVector(page, handle);
});

test('stall: a server that goes silent mid-file is given up on after idleTimeoutMs, and the download resumes from where it stopped', async ({
  page,
  hub,
}) => {
  fault(
    'the server goes silent mid-file, the connection left open',
    'given up on after idleTimeoutMs, then resumed with Range from where it stopped',
  );
  // Headers and 10 MB, then nothing with the connection open: a hung mirror or proxy.
  hub.setFaults([{ path: GRAPH, fault: 'stall', after: 10_000_000, times: 1 }]);
  const { handle } = await create(page, hub, { idleTimeoutMs: 1500 });
  const [stalled, resumed] = gets(hub, 'model_q4.onnx');
  expect(stalled?.faults).toEqual(['stall']);
  expect(stalled?.aborted).toBe(true); // the browser closed the stalled connection
  const start = Number(/^bytes=(\d+)-$/.exec(resumed?.range ?? '')?.[1]);
  expect(start).toBeGreaterThan(0);
  expect(start).toBeLessThanOrEqual(10_000_000);
  expect(resumed?.status).toBe(206);
  await expectRightVector(page, handle);
});

test('stalled storage: an OPFS call that never answers is given up on after idleTimeoutMs, the model comes from the network, and the cache stays usable', async ({
  page,
  hub,
}) => {
  fault(
    'an OPFS call never answers (opening the graph to write it, or to read it)',
    'given up on after idleTimeoutMs; the model comes from the network, and the cache stays usable',
  );
  const graphFile = encodeURIComponent(GRAPH); // the cache's name for it (core/cache-manifest.ts)
  const stalledCreate = (method: 'getFile' | 'createSyncAccessHandle') =>
    page.evaluate(([o, m, f]) => window.harness.createWithStalledStorage(o, m, f), [
      options(hub, { idleTimeoutMs: 1500 }),
      method,
      graphFile,
    ] as const);

  // A first load whose storage never opens the graph for writing: the tokenizer files are stored,
  // the graph is downloaded into memory instead.
  const uncached = await stalledCreate('createSyncAccessHandle');
  await expectRightVector(page, uncached.handle);
  await page.evaluate((h) => window.harness.dispose(h), uncached.handle);

  // Storage that works again: only the graph is fetched, and now stored.
  hub.resetLog();
  const stored = await create(page, hub);
  expect(hub.requests().map((r) => r.path.slice(r.path.lastIndexOf('/') + 1))).toEqual(['model_q4.onnx']);
  await page.evaluate((h) => window.harness.dispose(h), stored.handle);

  // A load whose storage never hands back the stored graph: it comes from the network again.
  hub.resetLog();
  const refetched = await stalledCreate('getFile');
  expect(gets(hub, 'model_q4.onnx')).toHaveLength(1);
  await expectRightVector(page, refetched.handle);
  await page.evaluate((h) => window.harness.dispose(h), refetched.handle);

  // Nothing was lost: the next load is served from the cache alone.
  hub.resetLog();
  const cached = await create(page, hub);
  expect(hub.requests()).toEqual([]);
  await expectRightVector(page, cached.handle);
});

test('two tabs: loading the same model at once downloads it once, serves both, and leaves a cache the next load uses alone', async ({
  page,
  hub,
}) => {
  fault(
    'two tabs load the same model at the same moment',
    'one download serves both (a Web Lock per model); the next load reads the cache alone',
  );
  const other = await page.context().newPage();
  await openEmbedderPage(other);
  // Both start before either has a byte: the cache entry's Web Lock makes the second wait for the
  // first, which it then finds stored.
  const [first, second] = await Promise.all([create(page, hub), create(other, hub)]);
  for (const file of FILES) expect(gets(hub, file.slice(file.lastIndexOf('/') + 1)), file).toHaveLength(1);
  expect([first.info.cached, second.info.cached]).toEqual([true, true]);
  const fromCache = (progress: typeof second.progress): boolean =>
    progress.filter((e) => e.phase === 'download').every((e) => e.fromCache);
  expect([first.progress, second.progress].filter(fromCache)).toHaveLength(1);
  await expectRightVector(page, first.handle);
  await expectRightVector(other, second.handle);
  await other.close();

  hub.resetLog();
  const third = await create(page, hub);
  expect(hub.requests()).toEqual([]);
  await expectRightVector(page, third.handle);
});

test('restart: without Range support a dropped download restarts cleanly from the first byte', async ({
  page,
  hub,
}) => {
  fault('the connection drops on a server without Range support', 'the download restarts cleanly from the first byte');
  hub.setFaults([
    { path: GRAPH, fault: 'drop', after: 10_000_000, times: 1 },
    { path: GRAPH, fault: 'noRange' },
  ]);
  const { handle } = await create(page, hub);
  const attempts = gets(hub, 'model_q4.onnx');
  expect(attempts).toHaveLength(2);
  expect(attempts[1]?.status).toBe(200);
  await expectRightVector(page, handle);
});

test('abort: a load aborted mid-download rejects with ABORTED, keeps nothing marked complete, and a later load resumes', async ({
  page,
  hub,
}) => {
  fault('the caller aborts a load mid-download', 'ABORTED; nothing marked complete; the next load resumes with Range');
  hub.setFaults([{ path: GRAPH, fault: 'trickle', after: 1_000_000 }]);
  const { error } = await page.evaluate((o) => window.harness.createAborted(o, 8_000_000), options(hub));
  expect(error).toMatchObject({ isEmbedError: true, code: 'ABORTED' });
  const [cached] = await page.evaluate(() => window.harness.listCached());
  expect(cached?.files.map((f) => f.path)).not.toContain(GRAPH);
  expect(cached?.partialFiles).toContain(GRAPH);

  hub.clearFaults();
  hub.resetLog();
  const { handle } = await create(page, hub);
  expect(gets(hub, 'model_q4.onnx')[0]?.range).toMatch(/^bytes=[1-9]\d*-$/);
  await expectRightVector(page, handle);
});

test('reload: a page reloaded mid-download keeps the bytes it wrote, and the next load resumes from them', async ({
  page,
  hub,
}) => {
  fault(
    'the page is reloaded in the middle of a model download',
    'the next load resumes with one Range request from the bytes the cache kept and gives the right vector; the load after it makes no request',
  );
  // The server sends the first 10 MB of the graph and then holds the response open; the idle
  // limit is longer than the test, so only the reload ends it.
  const HELD_AT = 10_000_000;
  hub.setFaults([{ path: GRAPH, fault: 'stall', after: HELD_AT, times: 1 }]);
  await page.evaluate((o) => window.harness.startCreate(o), options(hub, { idleTimeoutMs: 600_000 }));
  // Reload only once every byte sent has reached the cache: the graph's 10 MB written (progress
  // is reported after each write), the tokenizer files recorded complete.
  await expect
    .poll(() => page.evaluate(() => window.harness.startedLoad()), { timeout: 120_000 })
    .toEqual({
      loaded: { 'tokenizer.json': expect.any(Number), 'tokenizer_config.json': expect.any(Number), [GRAPH]: HELD_AT },
      error: undefined,
    });
  await expect
    .poll(async () => (await cachedEntry(page)).files.map((f) => f.path).sort(), { timeout: 60_000 })
    .toEqual(['config.json', 'tokenizer.json', 'tokenizer_config.json']);

  await page.reload();
  await page.locator('body[data-ready="true"]').waitFor();
  // The reload ended the worker, and with it the held request.
  await expect.poll(() => gets(hub, 'model_q4.onnx').map((r) => r.aborted)).toEqual([true]);
  expect(await keptPartialGraph(page)).toBe(HELD_AT);

  await expectResumedFrom(page, hub, HELD_AT);
});

test('disk I/O error: a cache write that fails mid-download leaves the cache out of that load, which gets the graph from the network; the next load resumes', async ({
  page,
  hub,
}) => {
  fault(
    'the disk fails a cache write in the middle of a model download',
    'that load gets the file from the network instead and gives the right vector; nothing is recorded complete that is not; the next load resumes with one Range request',
  );
  const created = await createOnFailingDisk(page, hub, 'io');
  if ('error' in created) throw new Error(`the load failed: ${JSON.stringify(created.error)}`);
  // The bytes before the failure were only on the failing disk: the graph is fetched again, whole.
  const [failed, whole] = gets(hub, 'model_q4.onnx');
  expect(gets(hub, 'model_q4.onnx')).toHaveLength(2);
  expect([failed?.range, whole?.range, whole?.status, whole?.bytesSent]).toEqual([
    undefined,
    undefined,
    200,
    GRAPH_BYTES,
  ]);
  await expectRightVector(page, created.handle);
  await page.evaluate((h) => window.harness.dispose(h), created.handle);

  await expectResumedAfterFailingDisk(page, hub);
});

test('disk full: a cache write refused for space mid-download fails the load with QUOTA_EXCEEDED, keeps the partial file, and the next load resumes it', async ({
  page,
  hub,
}) => {
  fault(
    'the disk fills up in the middle of a model download',
    'QUOTA_EXCEEDED naming the file; nothing is recorded complete that is not; the next load resumes with one Range request',
  );
  const created = await createOnFailingDisk(page, hub, 'quota');
  expect(created).toMatchObject({ error: { isEmbedError: true, code: 'QUOTA_EXCEEDED' } });
  expect('error' in created && created.error.message).toMatch(
    /filled up while storing onnx\/model_q4\.onnx \(at byte \d+\)/,
  );
  expect(gets(hub, 'model_q4.onnx')).toHaveLength(1);

  await expectResumedAfterFailingDisk(page, hub);
});

test('quota: a download that cannot fit fails before its first byte, naming the bytes needed and available', async ({
  page,
  hub,
}) => {
  fault(
    "the origin's storage quota is smaller than the model",
    'QUOTA_EXCEEDED before the first byte, naming the bytes needed and those available',
  );
  const error = await page.evaluate((o) => window.harness.createError(o, 20_000_000), options(hub));
  expect(error).toMatchObject({ isEmbedError: true, code: 'QUOTA_EXCEEDED' });
  expect(error?.message).toMatch(new RegExp(`needs [\\d.]+ MB \\(${TOTAL_BYTES} bytes\\)`));
  expect(error?.message).toContain('may store only 20.0 MB (20000000 bytes)');
  expect(gets(hub, 'model_q4.onnx')).toEqual([]);
});

test('404: a missing file fails with MODEL_FILE_MISSING naming the file and its URL', async ({ page, hub }) => {
  fault('a model file is missing on the server (404)', 'MODEL_FILE_MISSING naming the file and its URL');
  hub.setFaults([{ path: 'tokenizer.json', fault: '404' }]);
  const error = await page.evaluate((o) => window.harness.createError(o), options(hub));
  expect(error).toMatchObject({ code: 'MODEL_FILE_MISSING' });
  expect(error?.message).toContain(`${hub.url(REPO)}tokenizer.json`);
});

test('404: a missing external data file is named, with what the export needs', async ({ page, hub }) => {
  fault(
    "an export's external data file is missing (404)",
    'MODEL_FILE_MISSING naming onnx/model.onnx_data and what the export needs',
  );
  hub.setFaults([{ path: 'onnx/model.onnx_data', fault: '404' }]);
  const error = await page.evaluate((o) => window.harness.createError(o), options(hub, { dtype: 'fp32' }));
  expect(error).toMatchObject({ code: 'MODEL_FILE_MISSING' });
  expect(error?.message).toContain('onnx/model.onnx_data');
  expect(error?.message).toContain('external data');
});

test('401: a private or gated repo fails with MODEL_ACCESS_DENIED', async ({ page, hub }) => {
  fault('the repo is private or gated (401)', 'MODEL_ACCESS_DENIED naming the repo');
  const error = await page.evaluate((o) => window.harness.createError(o), {
    ...options(hub),
    model: { hub: 'someone/private-model', host: hub.origin },
  });
  expect(error).toMatchObject({ code: 'MODEL_ACCESS_DENIED' });
  expect(error?.message).toContain('someone/private-model');
});

test('html: an HTML page served with status 200 instead of the model is refused', async ({ page, hub }) => {
  fault(
    'an HTML page comes with status 200 instead of the model file',
    'MODEL_FETCH_FAILED saying HTML came instead of the file, naming it',
  );
  hub.setFaults([{ path: GRAPH, fault: 'html200' }]);
  const error = await page.evaluate((o) => window.harness.createError(o), options(hub));
  expect(error).toMatchObject({ code: 'MODEL_FETCH_FAILED' });
  expect(error?.message).toContain('HTML');
  expect(error?.message).toContain(GRAPH);
});

test('cors: a server without CORS headers fails with MODEL_FETCH_FAILED that says so', async ({ page, hub }) => {
  fault('the model host sends no CORS headers', 'MODEL_FETCH_FAILED that says CORS');
  hub.setFaults([{ path: '*', fault: 'noCors' }]);
  const error = await page.evaluate((o) => window.harness.createError(o), options(hub));
  expect(error).toMatchObject({ code: 'MODEL_FETCH_FAILED' });
  expect(error?.message).toContain('CORS');
});

test('cache list and delete: cached models are listed with their sizes and can be deleted', async ({ page, hub }) => {
  const { handle } = await create(page, hub);
  await page.evaluate((h) => window.harness.dispose(h), handle);
  const [cached] = await page.evaluate(() => window.harness.listCached());
  expect(cached).toMatchObject({
    id: REPO,
    revision: 'main',
    bytes: TOTAL_BYTES + statSync(join(FIXTURE_DIR, 'config.json')).size,
  });
  expect(await page.evaluate((key) => window.harness.deleteCached(key), cached?.key ?? '')).toBe(true);
  expect(await page.evaluate(() => window.harness.listCached())).toEqual([]);
  hub.resetLog();
  await create(page, hub);
  expect(gets(hub, 'model_q4.onnx')).toHaveLength(1);
});
