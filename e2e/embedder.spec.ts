import { execFileSync } from 'node:child_process';
import { expect, test, type Page } from '@playwright/test';
import {
  loadReferenceModel,
  referenceEmbedding,
  referenceIds,
  referencePrompt,
  type ReferenceModel,
} from '../tests/reference/reference-embedding.ts';
import { parseVerdict, verdictKey, type RaceVerdict } from '../src/engine/race-verdict.ts';
import { FIXTURE_DIR, FIXTURE_URL, cosine, openEmbedderPage } from './support/embedder-page.ts';
import { fault } from './support/reliability.ts';

/*
 * The public createEmbedder() API in Debian's Chromium, worker and all, on the tiny Qwen3
 * fixture, on both backends. WebGPU runs on SwiftShader, so its inputs stay short (ENVIRONMENT.md).
 *
 * Tolerances: fp32 against the float64 reference ≥ 0.99999 (float32 rounding only, as in the
 * numerics suite); the same text in different batches ≥ 0.9999 (padding changes the summation
 * order of masked-out softmax terms and WebGPU reduces in other orders; a padding or position
 * bug drops cosines far below, ~0.8 on this fixture).
 */
const SHORT = ['Hello world', 'Bonjour le monde, ça va ?', '你好，世界', 'cats purr'];
const LONG = [
  'The quick brown fox jumps over the lazy dog while the farmer watches from the porch and sips his coffee slowly.',
  'Embeddings map text to vectors so that texts with similar meaning end up close together in the space.',
];
const INSTRUCTION = 'Given a question, retrieve passages that answer it';

/** The /ort/ files the page's workers fetch while `action` runs, by file name, sorted (ort's pthreads fetch the glue again). */
async function ortFetches<T>(page: Page, action: () => Promise<T>): Promise<{ result: T; files: string[] }> {
  const files = new Set<string>();
  const listener = (req: { url(): string }): void => {
    const url = new URL(req.url());
    if (url.pathname.startsWith('/ort/')) files.add(url.pathname.slice('/ort/'.length));
  };
  page.context().on('request', listener);
  try {
    return { result: await action(), files: [...files].sort() };
  } finally {
    page.context().off('request', listener);
  }
}

for (const device of ['wasm', 'webgpu'] as const) {
  test.describe(`createEmbedder on ${device}`, () => {
    test.describe.configure({ mode: 'serial' });
    let page: Page;
    let handle: number;
    let reference: ReferenceModel;

    test.beforeAll(async ({ browser }) => {
      reference = await loadReferenceModel(FIXTURE_DIR, 'model.onnx');
      page = await browser.newPage();
      await openEmbedderPage(page);
      const { result: created, files } = await ortFetches(page, () =>
        page.evaluate(([url, d]) => window.harness.create({ model: { url }, device: d, dtype: 'fp32' }), [
          FIXTURE_URL,
          device,
        ] as const),
      );
      handle = created.handle;
      expect(created.info).toMatchObject({
        device,
        dtype: 'fp32',
        hiddenSize: 64,
        randomWeights: true,
        graph: { positionIds: true, pastKeyValues: 6 },
      });
      // Chromium has JSPI: the JSPI build serves both devices, and no other build is fetched
      // (the builds without JSPI are checked below, in 'the onnxruntime-web build').
      expect(files).toEqual(['ort-wasm-simd-threaded.jspi.mjs', 'ort-wasm-simd-threaded.jspi.wasm']);
      if (device === 'webgpu') {
        // The numerics canary compared a probe with WASM at load and kept WebGPU.
        expect(created.info.fallback).toBeUndefined();
        expect(created.info.canary?.action).toBe('kept webgpu');
        expect(created.info.canary?.cosine).toBeGreaterThanOrEqual(0.99);
        console.log(`[canary] WebGPU vs WASM probe cosine ${created.info.canary?.cosine.toFixed(7) ?? '?'}`);
      }
    });

    test.afterAll(async () => {
      await page.evaluate((h) => window.harness.dispose(h), handle);
      await page.close();
    });

    test('its vectors match an independent float64 reference (fp32, cos ≥ 0.99999)', async () => {
      const texts = device === 'webgpu' ? SHORT : [...SHORT, ...LONG];
      const vectors = await page.evaluate(([h, t]) => window.harness.embed(h, t), [handle, texts] as const);
      texts.forEach((text, i) => {
        const cos = cosine(vectors[i] ?? [], referenceEmbedding(reference, referencePrompt(text)));
        console.log(`[${device}] reference cos ${cos.toFixed(7)} for ${JSON.stringify(text.slice(0, 20))}`);
        expect(cos).toBeGreaterThanOrEqual(0.99999);
      });
    });

    test('a text alone and inside a batch with much longer texts gets the same vector', async () => {
      const companions = device === 'webgpu' ? [SHORT[1] ?? '', 'x'.repeat(40)] : LONG;
      const [alone] = await page.evaluate(([h, t]) => window.harness.embed(h, [t]), [handle, 'cats purr'] as const);
      const batch = await page.evaluate(([h, t]) => window.harness.embed(h, t), [
        handle,
        [...companions, 'cats purr'],
      ] as const);
      const cos = cosine(alone ?? [], batch.at(-1) ?? []);
      console.log(`[${device}] alone vs in batch cos ${cos.toFixed(7)}`);
      expect(cos).toBeGreaterThanOrEqual(0.9999);
    });

    test('a shuffled batch gives each text the same vector', async () => {
      const order = [2, 0, 3, 1];
      const straight = await page.evaluate(([h, t]) => window.harness.embed(h, t), [handle, SHORT] as const);
      const shuffled = await page.evaluate(([h, t]) => window.harness.embed(h, t), [
        handle,
        order.map((i) => SHORT[i] ?? ''),
      ] as const);
      order.forEach((original, position) => {
        expect(cosine(shuffled[position] ?? [], straight[original] ?? [])).toBeGreaterThanOrEqual(0.9999);
      });
      // And the texts really differ, so the check above could fail.
      expect(cosine(straight[0] ?? [], straight[1] ?? [])).toBeLessThan(0.99);
    });

    test('a query differs from the same text as a document only through the instruction', async () => {
      const text = 'what do cats eat';
      const query = await page.evaluate(([h, t, i]) => window.harness.embedQuery(h, t, { instruction: i }), [
        handle,
        text,
        INSTRUCTION,
      ] as const);
      const [asDocument, spelledOut] = await page.evaluate(
        ([h, t]) => window.harness.embed(h, t, { kind: 'document' }),
        [handle, [text, referencePrompt(text, { instruction: INSTRUCTION })]] as const,
      );
      expect(cosine(query, spelledOut ?? [])).toBeGreaterThanOrEqual(0.9999);
      expect(cosine(query, asDocument ?? [])).toBeLessThan(0.99);
      expect(
        cosine(query, referenceEmbedding(reference, referencePrompt(text, { instruction: INSTRUCTION }))),
      ).toBeGreaterThanOrEqual(0.99999);
    });

    test('dimensions keep the first values of the full vector, renormalised', async () => {
      const [full] = await page.evaluate(([h, t]) => window.harness.embed(h, [t]), [handle, 'cats purr'] as const);
      const [cut] = await page.evaluate(([h, t]) => window.harness.embed(h, [t], { dimensions: 32 }), [
        handle,
        'cats purr',
      ] as const);
      expect(cut).toHaveLength(32);
      expect(Math.hypot(...(cut ?? []))).toBeCloseTo(1, 5);
      expect(cosine(cut ?? [], (full ?? []).slice(0, 32))).toBeGreaterThanOrEqual(0.99999);
      expect(cosine(cut ?? [], referenceEmbedding(reference, 'cats purr', 32))).toBeGreaterThanOrEqual(0.99999);
    });

    test('the page gives the vectors the CLI gives for the same texts (cos ≥ 0.9999)', async () => {
      const texts = device === 'webgpu' ? SHORT : [...SHORT, ...LONG];
      const fromPage = await page.evaluate(
        ([h, t, i]) => window.harness.embed(h, t, { kind: 'query', instruction: i }),
        [handle, texts, INSTRUCTION] as const,
      );
      const stdout = execFileSync(
        process.execPath,
        [
          'bin/tabembed.js',
          'embed',
          '--model',
          FIXTURE_DIR,
          '--dtype',
          'fp32',
          '--query',
          '--instruction',
          INSTRUCTION,
        ],
        {
          input: texts.map((t) => JSON.stringify(t)).join('\n'),
        },
      ).toString();
      const cli = stdout
        .trim()
        .split('\n')
        .map((line) => (JSON.parse(line) as { embedding: number[] }).embedding);
      expect(cli).toHaveLength(texts.length);
      cli.forEach((vector, i) => expect(cosine(vector, fromPage[i] ?? [])).toBeGreaterThanOrEqual(0.9999));
    });

    test('a batch reads back only what pooling needs', async () => {
      const texts = SHORT.slice(0, 3);
      const vectors = await page.evaluate(([h, t]) => window.harness.embed(h, t), [handle, texts] as const);
      const metrics = await page.evaluate((h) => window.harness.metrics(h), handle);
      const longest = Math.max(...texts.map((t) => referenceIds(t).length));
      // WebGPU gathers hidden[:, -1, :] on the device: [rows, hidden]. WASM copies the whole
      // [rows, longest, hidden] state out of the wasm heap.
      expect(metrics.bytesReadBackLastBatch).toBe(device === 'webgpu' ? 3 * 64 * 4 : 3 * longest * 64 * 4);
      texts.forEach((text, i) =>
        expect(cosine(vectors[i] ?? [], referenceEmbedding(reference, text))).toBeGreaterThanOrEqual(0.99999),
      );
    });

    test('bad input gets a coded error naming the item, and the worker keeps serving', async () => {
      const notString = await page.evaluate((h) => window.harness.embedError(h, ['ok', 'fine', 42]), handle);
      expect(notString).toMatchObject({ isEmbedError: true, code: 'INVALID_INPUT', index: 2 });
      expect(notString?.message).toContain('texts[2]');
      expect(await page.evaluate((h) => window.harness.embedError(h, ['ok', '']), handle)).toMatchObject({
        code: 'INVALID_INPUT',
        index: 1,
      });
      expect(await page.evaluate((h) => window.harness.embedError(h, []), handle)).toMatchObject({
        code: 'INVALID_INPUT',
      });
      expect(await page.evaluate((h) => window.harness.embedError(h, 'just a string'), handle)).toMatchObject({
        code: 'INVALID_INPUT',
      });
      const badDimensions = await page.evaluate(
        (h) => window.harness.embedError(h, ['ok'], { dimensions: 65 }),
        handle,
      );
      expect(badDimensions).toMatchObject({ code: 'INVALID_OPTION' });
      expect(badDimensions?.message).toContain('64');
      const [after] = await page.evaluate(([h, t]) => window.harness.embed(h, [t]), [handle, 'cats purr'] as const);
      expect(cosine(after ?? [], referenceEmbedding(reference, 'cats purr'))).toBeGreaterThanOrEqual(0.99999);
    });
  });
}

test.describe('createEmbedder choices and lifecycle', () => {
  test.describe.configure({ mode: 'serial' });
  let page: Page;

  test.beforeAll(async ({ browser }) => {
    page = await browser.newPage();
    await openEmbedderPage(page);
  });
  test.afterAll(() => page.close());

  test("device 'auto' picks wasm over SwiftShader's software WebGPU, and dtype 'auto' the first wasm preference, saying why", async () => {
    const { handle, info, progress } = await page.evaluate(
      (url) => window.harness.create({ model: { url } }),
      FIXTURE_URL,
    );
    expect(info.device).toBe('wasm');
    expect(info.deviceReason).toMatch(/software/);
    expect(info.adapter?.architecture).toBe('swiftshader');
    // A software adapter gets WASM by rule: nothing is raced, and no verdict is stored.
    expect(info.race).toBeUndefined();
    expect(info.deviceReason).not.toMatch(/raced|remembered/);
    expect(await page.evaluate(() => window.harness.verdictStore([{ op: 'files' }]))).toEqual([[]]);
    expect(info.dtype).toBe('q8');
    expect(info.modelFile).toMatch(/onnx\/model_quantized\.onnx$/);
    expect(progress.map((event) => event.phase).filter((phase, i, all) => phase !== all[i - 1])).toEqual([
      'resolve',
      'download',
      'compile',
      'upload',
      'warmup',
      'ready',
    ]);
    await page.evaluate((h) => window.harness.dispose(h), handle);
  });

  test("the worker's backend-race verdicts round-trip through real OPFS: one file per key, read by a new worker, ignored when damaged or another key's", async () => {
    // SwiftShader never races, so the store is called directly, as the worker opens it.
    const adapter = {
      vendor: 'intel',
      architecture: 'gen-12lp',
      device: '0x9a49',
      description: `Intel(R) Iris(R) Xe Graphics ${'(driver 31.0.101.5186) '.repeat(20)}`,
      isFallbackAdapter: false,
      shaderF16: true,
      maxBufferSize: 2 ** 31,
      maxStorageBufferBindingSize: 2 ** 30,
    };
    const key = verdictKey({
      adapter,
      model: 'onnx-community/Qwen3-Embedding-0.6B-ONNX',
      revision: 'c25a394d',
      dtype: 'q4f16',
    });
    expect(key.length).toBeGreaterThan(255); // longer than a file name may be
    const verdict: RaceVerdict = {
      version: 1,
      shape: { rows: 4, length: 256 },
      webgpuMs: 160.5,
      wasmMs: 90.25,
      runs: 3,
      winner: 'wasm',
      runtime: 'onnxruntime-web 1.30.0 (jspi)',
      decidedAt: new Date().toISOString(),
    };
    const [, read, missing, files] = await page.evaluate(
      ([k, v]) =>
        window.harness.verdictStore([
          { op: 'set', key: k, value: v },
          { op: 'get', key: k },
          { op: 'get', key: 'another key' },
          { op: 'files' },
        ]),
      [key, verdict] as const,
    );
    expect(parseVerdict(read)).toEqual(verdict);
    expect(missing).toBeUndefined();
    expect(files).toEqual([expect.stringMatching(/^[0-9a-f]{64}\.json$/)]);
    const name = (files as string[])[0] ?? '';
    const [, damaged, , foreign] = await page.evaluate(
      ([n, k, v]) =>
        window.harness.verdictStore([
          { op: 'overwrite', name: n, text: '{"key": "' },
          { op: 'get', key: k },
          { op: 'overwrite', name: n, text: JSON.stringify({ key: 'another key', value: v }) },
          { op: 'get', key: k },
        ]),
      [name, key, verdict] as const,
    );
    expect(damaged).toBeUndefined();
    expect(foreign).toBeUndefined();
  });

  test('a graph without past inputs or position ids loads by reading its input names', async () => {
    const { handle, info } = await page.evaluate(() =>
      window.harness.create({ model: { url: '/models/qwen3-tiny-nopast/' }, device: 'wasm' }),
    );
    expect(info.graph).toEqual({
      positionIds: false,
      pastKeyValues: 0,
      output: 'last_hidden_state',
      activationQuantization: 'none',
    });
    const reference = await loadReferenceModel('public/models/qwen3-tiny-nopast', 'model.onnx');
    const vectors = await page.evaluate(([h, t]) => window.harness.embed(h, t), [handle, SHORT] as const);
    SHORT.forEach((text, i) =>
      expect(cosine(vectors[i] ?? [], referenceEmbedding(reference, text))).toBeGreaterThanOrEqual(0.99999),
    );
    await page.evaluate((h) => window.harness.dispose(h), handle);
  });

  test('concurrent calls are serialised and each gets its own vectors', async () => {
    const { handle } = await page.evaluate(
      (url) => window.harness.create({ model: { url }, device: 'wasm', dtype: 'fp32' }),
      FIXTURE_URL,
    );
    const reference = await loadReferenceModel(FIXTURE_DIR, 'model.onnx');
    const results = await page.evaluate(
      ([h, texts]) => Promise.all(texts.map((t) => window.harness.embed(h, [t, `${t} ${t}`]))),
      [handle, SHORT] as const,
    );
    results.forEach((pair, i) => {
      expect(cosine(pair[0] ?? [], referenceEmbedding(reference, SHORT[i] ?? ''))).toBeGreaterThanOrEqual(0.99999);
      expect(cosine(pair[1] ?? [], referenceEmbedding(reference, `${SHORT[i]} ${SHORT[i]}`))).toBeGreaterThanOrEqual(
        0.99999,
      );
    });
    expect(await page.evaluate(([h, t]) => window.harness.embedAborted(h, t), [handle, LONG] as const)).toMatchObject({
      isEmbedError: true,
      code: 'ABORTED',
    });
    // The worker is still fine after the abort.
    const [after] = await page.evaluate(([h, t]) => window.harness.embed(h, [t]), [handle, 'cats purr'] as const);
    expect(cosine(after ?? [], referenceEmbedding(reference, 'cats purr'))).toBeGreaterThanOrEqual(0.99999);
    await page.evaluate((h) => window.harness.dispose(h), handle);
  });

  test('onBatch has received every batch when the call resolves, the same rows the call returns; a throwing onBatch is reported and the call goes on', async () => {
    const { handle } = await page.evaluate(
      (url) => window.harness.create({ model: { url }, device: 'wasm', dtype: 'fp32' }),
      FIXTURE_URL,
    );
    // Lengths from 4 to 28 tokens in 128 texts: the planner cuts them into several batches.
    const texts = Array.from({ length: 128 }, (_, i) => `text number ${i} `.repeat(1 + (i % 7)));
    // The search page's indexer lost this race about once in twenty calls (the reply came over
    // the worker's port before the last batch's call came over onBatch's own): repeat it.
    for (let round = 0; round < 10; round++) {
      const streamed = await page.evaluate(([h, t]) => window.harness.embedStreaming(h, t), [handle, texts] as const);
      expect(streamed).toEqual({
        deliveredAtResolve: texts.length,
        batches: expect.any(Number),
        sameRows: true,
        reported: 0,
      });
      expect(streamed.batches).toBeGreaterThan(1);
    }
    const throwing = await page.evaluate(([h, t]) => window.harness.embedStreaming(h, t, true), [
      handle,
      texts,
    ] as const);
    expect(throwing).toEqual({
      deliveredAtResolve: texts.length,
      batches: expect.any(Number),
      sameRows: true,
      reported: throwing.batches,
    });
    await page.evaluate((h) => window.harness.dispose(h), handle);
  });

  test('a model that is not there fails with MODEL_FILE_MISSING naming the file and URL', async () => {
    const error = await page.evaluate(() =>
      window.harness.createError({ model: { url: '/models/nothing-here/' }, device: 'wasm' }),
    );
    expect(error).toMatchObject({ isEmbedError: true, code: 'MODEL_FILE_MISSING' });
    // …and leaves nothing behind in the cache list.
    const cached = await page.evaluate(() => window.harness.listCached());
    expect(cached.filter((model) => model.id.includes('nothing-here'))).toEqual([]);
    expect(error?.message).toContain('config.json');
    expect(error?.message).toContain('/models/nothing-here/config.json');
  });

  test('a bad maxTokens or a misspelt option is refused with INVALID_OPTION before anything is downloaded', async () => {
    const error = await page.evaluate(
      (url) => window.harness.createError({ model: { url }, device: 'wasm', maxTokens: 1 }),
      FIXTURE_URL,
    );
    expect(error).toMatchObject({ isEmbedError: true, code: 'INVALID_OPTION' });
    expect(error?.message).toContain('maxTokens');
    // A misspelt option would otherwise be dropped, and the default model fetched from the Hub.
    const misspelt = await page.evaluate(
      // Built from entries: the options type itself refuses the misspelling at compile time.
      (url) => window.harness.createError(Object.fromEntries([['modle', { url }]])),
      FIXTURE_URL,
    );
    expect(misspelt).toMatchObject({ isEmbedError: true, code: 'INVALID_OPTION' });
    expect(misspelt?.message).toContain('options.modle is not an option of createEmbedder');
    // From plain JavaScript: null, or the model id where the options object belongs.
    for (const [given, named] of [
      [null, 'got null'],
      ['onnx-community/Qwen3-Embedding-0.6B-ONNX', 'got string'],
    ] as const) {
      // Cast as plain JavaScript would pass it: the options type itself refuses both at compile time.
      const refused = await page.evaluate((o) => window.harness.createError(o as never), given);
      expect(refused).toMatchObject({ isEmbedError: true, code: 'INVALID_OPTION' });
      expect(refused?.message).toContain(named);
    }
  });

  test('a worker that ends in the middle of an embed fails the call with WORKER_FAILED instead of leaving it pending; later calls say so, and a new embedder works', async () => {
    fault(
      'the embedding worker ends in the middle of an embed call',
      'WORKER_FAILED instead of a call left pending; later calls say so; a new embedder works',
    );
    const reference = await loadReferenceModel(FIXTURE_DIR, 'model.onnx');
    const options = { model: { url: FIXTURE_URL }, device: 'wasm', dtype: 'fp32' } as const;
    const { handle } = await page.evaluate((o) => window.harness.createWithOwnWorker(o), options);
    const failure = await page.evaluate(([h, t]) => window.harness.embedWhileWorkerEnds(h, t), [
      handle,
      [...SHORT, ...LONG],
    ] as const);
    expect(failure).toMatchObject({ isEmbedError: true, code: 'WORKER_FAILED' });
    expect(failure?.message).toContain('the embedding worker ended');
    expect(await page.evaluate(([h]) => window.harness.embedError(h, ['after']), [handle] as const)).toMatchObject({
      code: 'WORKER_FAILED',
    });

    const fresh = await page.evaluate((o) => window.harness.create(o), options);
    const [vector] = await page.evaluate(([h]) => window.harness.embed(h, ['cats purr']), [fresh.handle] as const);
    expect(cosine(vector ?? [], referenceEmbedding(reference, referencePrompt('cats purr')))).toBeGreaterThanOrEqual(
      0.99999,
    );
    await page.evaluate(([h]) => window.harness.dispose(h), [fresh.handle] as const);
  });

  test('forcing a dtype the repo lacks fails with DTYPE_UNAVAILABLE naming the file it looked for', async () => {
    const error = await page.evaluate(
      (url) => window.harness.createError({ model: { url }, device: 'wasm', dtype: 'q4f16' }),
      FIXTURE_URL,
    );
    expect(error).toMatchObject({ code: 'DTYPE_UNAVAILABLE' });
    expect(error?.message).toContain('onnx/model_q4f16.onnx');
  });
});

test("device 'auto' on an adapter posing as hardware races WebGPU against WASM, keeps WASM over SwiftShader, and the next load opens WASM alone from the verdict in OPFS", async ({
  page,
}) => {
  await openEmbedderPage(page);
  // maxTokens 64 keeps SwiftShader's runs short: a 64-token heat, then 16 × 64 tokens.
  const options = { model: { url: FIXTURE_URL }, maxTokens: 64 };
  const first = await page.evaluate((o) => window.harness.createAsHardware(o), options);
  console.log(`[backend race] ${first.info.deviceReason}; ${JSON.stringify(first.info.coldStart)}`);
  expect(first.info.adapter?.architecture).toBe('posing-as-hardware');
  expect(first.info).toMatchObject({
    device: 'wasm',
    dtype: 'q4',
    fallback: undefined,
    race: { shape: { rows: 16, length: 64 }, winner: 'wasm', remembered: false },
  });
  expect(first.info.canary?.action).toBe('kept webgpu');
  expect(first.info.coldStart.shapes.map((shape) => shape.what)).toEqual(['probe', 'race', 'query']);
  expect(first.info.deviceReason).toMatch(/raced on a 16×64 batch: webgpu \d+ ms, wasm [\d.]+ ms; kept wasm$/);
  const reference = await loadReferenceModel(FIXTURE_DIR, 'model.onnx');
  const [vector] = await page.evaluate(([h, t]) => window.harness.embed(h, [t]), [first.handle, 'cats purr'] as const);
  // q4 weights against the fp32 reference: close, not equal.
  expect(cosine(vector ?? [], referenceEmbedding(reference, 'cats purr'))).toBeGreaterThanOrEqual(0.95);
  await page.evaluate((h) => window.harness.dispose(h), first.handle);
  expect(await page.evaluate(() => window.harness.verdictStore([{ op: 'files' }]))).toEqual([
    [expect.stringMatching(/^[0-9a-f]{64}\.json$/)],
  ]);

  const second = await page.evaluate((o) => window.harness.createAsHardware(o), options);
  // No WebGPU session at all: no probe, no race; the same dtype, so the same vectors.
  expect(second.info).toMatchObject({
    device: 'wasm',
    dtype: 'q4',
    canary: undefined,
    race: { ...first.info.race, remembered: true },
  });
  expect(second.info.deviceReason).toMatch(/remembered from \d{4}-\d\d-\d\d \(a 16×64 batch: .*\); kept wasm$/);
  expect(second.info.coldStart.shapes.map((shape) => shape.what)).toEqual(['query']);
  const [again] = await page.evaluate(([h, t]) => window.harness.embed(h, [t]), [second.handle, 'cats purr'] as const);
  expect(again).toEqual(vector);
  await page.evaluate((h) => window.harness.dispose(h), second.handle);
});

/*
 * Which onnxruntime-web build the worker loads (src/engine/ort-web-build.ts): the JSPI build
 * wherever the browser has JSPI (Chromium does), for both devices (asserted where the two
 * 'createEmbedder on …' groups above load); without JSPI
 * (no-jspi-worker.ts removes it), the plain build for WASM and the asyncify build for WebGPU,
 * whose WASM then serves the probe at load. Each worker fetches one build's glue and wasm,
 * nothing else, and every build gives the reference's vectors.
 */
test.describe('the onnxruntime-web build', () => {
  let reference: ReferenceModel;
  test.beforeAll(async () => {
    reference = await loadReferenceModel(FIXTURE_DIR, 'model.onnx');
  });

  const CASES = [
    { device: 'wasm', build: 'plain', files: ['ort-wasm-simd-threaded.mjs', 'ort-wasm-simd-threaded.wasm'] },
    {
      device: 'webgpu',
      build: 'asyncify',
      files: ['ort-wasm-simd-threaded.asyncify.mjs', 'ort-wasm-simd-threaded.asyncify.wasm'],
    },
  ] as const;

  for (const { device, build, files: expected } of CASES) {
    test(`without JSPI, device ${device} runs on the ${build} build, fetches no other, and matches the reference`, async ({
      page,
    }) => {
      await openEmbedderPage(page);
      const options = { model: { url: FIXTURE_URL }, device, dtype: 'fp32' } as const;
      const { result, files } = await ortFetches(page, () =>
        page.evaluate((o) => window.harness.createWithoutJspi(o), options),
      );
      expect(files).toEqual(expected);
      expect(result.info.device).toBe(device);
      // On WebGPU the same build's WASM runs the probe at load.
      if (device === 'webgpu') expect(result.info.canary?.action).toBe('kept webgpu');
      const vectors = await page.evaluate(([h, texts]) => window.harness.embed(h, texts), [
        result.handle,
        SHORT,
      ] as const);
      vectors.forEach((vector, i) =>
        expect(cosine(vector, referenceEmbedding(reference, referencePrompt(SHORT[i] ?? '')))).toBeGreaterThanOrEqual(
          0.99999,
        ),
      );
      await page.evaluate((h) => window.harness.dispose(h), result.handle);
    });
  }
});
