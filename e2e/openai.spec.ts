import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import type { ClientFailure, ClientResult } from './pages/openai-page.ts'; // and window.openaiHarness's type
import { notRestoredReasons, withBackForwardCache } from './support/back-forward-cache.ts';
import { cosine } from './support/embedder-page.ts';
import { fault } from './support/reliability.ts';

/*
 * The in-tab OpenAI route in Debian's Chromium: a page hosts the fixture model (WASM), the app's
 * /sw.js answers /v1/embeddings and /v1/models with it, and the official `openai` client talks
 * to it as to api.openai.com. The preview server never sees a /v1 request.
 *
 * Tolerance: the route's vectors are compared with embedder.embed() on the same texts in the
 * same batch, so the engine runs the same shapes; the route passes float32 values through
 * exactly (JSON numbers, or their bytes in base64). So they must be equal to the last bit:
 * max |Δ| was 0 in all 19 comparisons of a run here (logged), and the spec asserts 0.
 */
const TEXTS = ['Hello world', 'Bonjour le monde, ça va ?', '你好，世界', 'cats purr'];
const INSTRUCTION = 'Given a question, retrieve passages that answer it';
const MODEL = 'qwen3-tiny';
const REQUEST_TIMEOUT_MS = 10_000;

function decodeLE(base64: string): number[] {
  const bytes = Buffer.from(base64, 'base64');
  return Array.from({ length: bytes.length / 4 }, (_, i) => bytes.readFloatLE(i * 4));
}

function expectSameVector(actual: readonly number[] | undefined, expected: readonly number[] | undefined): void {
  expect(actual?.length).toBe(expected?.length);
  const a = actual ?? [];
  const b = expected ?? [];
  const maxDiff = Math.max(...a.map((v, i) => Math.abs(v - (b[i] ?? NaN))));
  console.log(`[openai] route vs embedder.embed: max |Δ| ${maxDiff.toExponential(2)}`);
  expect(maxDiff).toBe(0);
  expect(cosine(a, b)).toBeGreaterThanOrEqual(0.999999);
}

function ok<T>(result: ClientResult<T>): T {
  if (!result.ok) throw new Error(`expected success, got ${result.status}: ${result.message}`);
  return result.value;
}

function failed<T>(result: ClientResult<T>): ClientFailure {
  if (result.ok) throw new Error('expected the call to fail, it succeeded');
  return result;
}

async function openHarness(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  page.on('console', (msg) => {
    if (msg.type() === 'error') console.log(`[browser error] ${msg.text()}`);
  });
  page.on('pageerror', (error) => console.log(`[browser pageerror] ${error.message}`));
  await page.goto('/e2e/pages/openai.html');
  await page.locator('body[data-ready="true"]').waitFor();
  return page;
}

test.describe('the in-tab OpenAI route', () => {
  test.describe.configure({ mode: 'serial' });
  let context: BrowserContext;
  let page: Page;
  /** /v1 requests that went to the network (the preview server), from the page or the service worker. */
  const reachedNetwork: string[] = [];
  /** /v1 responses the page got, and whether the service worker made them. */
  const v1Responses: { url: string; fromServiceWorker: boolean }[] = [];

  /** The page still serves (and so does its worker): a plain request right after a failure. */
  async function stillServes(): Promise<void> {
    const response = ok(
      await page.evaluate(
        ([m]) => window.openaiHarness.create({ model: m, input: 'still here', encoding_format: 'float' }),
        [MODEL] as const,
      ),
    );
    expect(response.data[0]?.embedding).toHaveLength(64);
  }

  test.beforeAll(async ({ browser }) => {
    context = await browser.newContext();
    // context.route sees the page's requests that go to the network and, in Chromium, the service worker's own.
    await context.route('**/v1/**', (route) => {
      reachedNetwork.push(`${route.request().method()} ${route.request().url()}`);
      return route.abort();
    });
    page = await openHarness(context);
    page.on('response', (response) => {
      if (new URL(response.url()).pathname.startsWith('/v1/'))
        v1Responses.push({ url: response.url(), fromServiceWorker: response.fromServiceWorker() });
    });
    const loaded = await page.evaluate(() => window.openaiHarness.load());
    expect(loaded).toMatchObject({ hiddenSize: 64, maxTokens: 8192 });
    expect(await page.evaluate(() => window.openaiHarness.host())).toBe(MODEL);
    // A 10 s request limit (240 s by default), so the host_timeout spec runs in seconds; every
    // other request here is answered in well under a second.
    await page.evaluate(([q]) => window.openaiHarness.registerWorker(q), [
      `?requestTimeoutMs=${REQUEST_TIMEOUT_MS}`,
    ] as const);
    expect(await page.evaluate(() => window.openaiHarness.controlled())).toBe(true);
  });

  test.afterAll(async () => {
    await context.close();
  });

  test('/sw.js is still one file with no import statements', async () => {
    const sw = await page.evaluate(() => fetch('/sw.js').then((r) => r.text()));
    expect(sw).toContain('tabembed.embeddings/request');
    expect(sw).not.toMatch(/(^|[;}\s])import\s*[\w{*'"`(]/);
  });

  test('float embeddings, one text and a batch, are the engine vectors in OpenAI shape', async () => {
    const single = ok(
      await page.evaluate(([m, t]) => window.openaiHarness.create({ model: m, input: t, encoding_format: 'float' }), [
        MODEL,
        TEXTS[0] ?? '',
      ] as const),
    );
    expect(single).toMatchObject({ object: 'list', model: MODEL, data: [{ object: 'embedding', index: 0 }] });
    expect(single.usage.prompt_tokens).toBeGreaterThan(1);
    expect(single.usage.total_tokens).toBe(single.usage.prompt_tokens);
    const [alone] = await page.evaluate(([t]) => window.openaiHarness.direct([t]), [TEXTS[0] ?? ''] as const);
    expectSameVector(single.data[0]?.embedding, alone);

    const batch = ok(
      await page.evaluate(([m, t]) => window.openaiHarness.create({ model: m, input: t, encoding_format: 'float' }), [
        MODEL,
        TEXTS,
      ] as const),
    );
    expect(batch.data.map((d) => d.index)).toEqual([0, 1, 2, 3]);
    const direct = await page.evaluate(([t]) => window.openaiHarness.direct(t), [TEXTS] as const);
    batch.data.forEach((d, i) => expectSameVector(d.embedding, direct[i]));
    // The texts differ, so the comparison above could fail.
    expect(cosine(direct[0] ?? [], direct[1] ?? [])).toBeLessThan(0.99);
  });

  test('base64 is little-endian float32 (decoded here with Buffer.readFloatLE), and the client default decodes it', async () => {
    const base64 = ok(
      await page.evaluate(([m, t]) => window.openaiHarness.post({ model: m, input: t, encoding_format: 'base64' }), [
        MODEL,
        TEXTS,
      ] as const),
    ) as { data: { embedding: string }[] };
    const direct = await page.evaluate(([t]) => window.openaiHarness.direct(t), [TEXTS] as const);
    base64.data.forEach((d, i) => {
      expect(typeof d.embedding).toBe('string');
      expectSameVector(decodeLE(d.embedding), direct[i]);
    });
    // No encoding_format: the client asks for base64 itself and hands back numbers.
    const byDefault = ok(
      await page.evaluate(([m, t]) => window.openaiHarness.create({ model: m, input: t }), [MODEL, TEXTS] as const),
    );
    byDefault.data.forEach((d, i) => expectSameVector(d.embedding, direct[i]));
  });

  test('dimensions cut the vector the Matryoshka way, as embedder.embed does', async () => {
    const cut = ok(
      await page.evaluate(
        ([m, t]) => window.openaiHarness.create({ model: m, input: t, dimensions: 32, encoding_format: 'float' }),
        [MODEL, TEXTS] as const,
      ),
    );
    const direct = await page.evaluate(([t]) => window.openaiHarness.direct(t, { dimensions: 32 }), [TEXTS] as const);
    cut.data.forEach((d, i) => expectSameVector(d.embedding, direct[i]));
    expect(Math.hypot(...(cut.data[0]?.embedding ?? []))).toBeCloseTo(1, 5);
  });

  test('input_type query embeds the instruction prompt and counts it in usage', async () => {
    const text = 'what do cats eat';
    const query = ok(
      await page.evaluate(
        ([m, t, i]) =>
          window.openaiHarness.post({
            model: m,
            input: t,
            input_type: 'query',
            instruction: i,
            encoding_format: 'float',
          }),
        [MODEL, text, INSTRUCTION] as const,
      ),
    ) as {
      data: { embedding: number[] }[];
      usage: { prompt_tokens: number };
    };
    const [direct] = await page.evaluate(
      ([t, i]) => window.openaiHarness.direct([t], { kind: 'query', instruction: i }),
      [text, INSTRUCTION] as const,
    );
    expectSameVector(query.data[0]?.embedding, direct);
    const document = ok(
      await page.evaluate(([m, t]) => window.openaiHarness.create({ model: m, input: t, encoding_format: 'float' }), [
        MODEL,
        text,
      ] as const),
    );
    expect(query.usage.prompt_tokens).toBeGreaterThan(document.usage.prompt_tokens + 10);
    expect(cosine(query.data[0]?.embedding ?? [], document.data[0]?.embedding ?? [])).toBeLessThan(0.99);
  });

  test('models.list and models.retrieve name the hosted model', async () => {
    const list = ok(await page.evaluate(() => window.openaiHarness.list()));
    expect(list).toEqual([{ id: MODEL, object: 'model', created: expect.any(Number), owned_by: 'local' }]);
    expect(ok(await page.evaluate(([m]) => window.openaiHarness.retrieve(m), [MODEL] as const))).toEqual(list[0]);
    const missing = failed(await page.evaluate(() => window.openaiHarness.retrieve('gpt-4o')));
    expect(missing).toMatchObject({
      status: 404,
      code: 'model_not_found',
      param: 'model',
      type: 'invalid_request_error',
    });
  });

  const refusals: {
    name: string;
    body: Record<string, unknown>;
    status: number;
    param: string | null;
    code: string;
    message: RegExp;
  }[] = [
    {
      name: 'an empty string',
      body: { input: '' },
      status: 400,
      param: 'input',
      code: 'empty_input',
      message: /^input is an empty string/,
    },
    {
      name: 'an empty array',
      body: { input: [] },
      status: 400,
      param: 'input',
      code: 'empty_input',
      message: /^input is an empty array/,
    },
    {
      name: 'a non-string item',
      body: { input: ['a', 'b', 7] },
      status: 400,
      param: 'input[2]',
      code: 'invalid_input',
      message: /^input\[2\] must be a string, got 7/,
    },
    {
      name: 'token arrays',
      body: { input: [[9707, 1879]] },
      status: 400,
      param: 'input',
      code: 'token_arrays_unsupported',
      message: /token arrays are not supported/,
    },
    {
      name: 'dimensions under 32',
      body: { input: 'a', dimensions: 16 },
      status: 400,
      param: 'dimensions',
      code: 'invalid_dimensions',
      message: /from 32 to 64/,
    },
    {
      name: 'dimensions over the hidden size',
      body: { input: 'a', dimensions: 65 },
      status: 400,
      param: 'dimensions',
      code: 'invalid_dimensions',
      message: /got 65$/,
    },
    {
      name: 'a bad encoding_format',
      body: { input: 'a', encoding_format: 'int8' },
      status: 400,
      param: 'encoding_format',
      code: 'invalid_encoding_format',
      message: /"float" or "base64"/,
    },
    {
      name: 'another model',
      body: { model: 'text-embedding-3-small', input: 'a' },
      status: 404,
      param: 'model',
      code: 'model_not_found',
      message: /this tab serves "qwen3-tiny"/,
    },
    {
      name: 'too many inputs',
      body: { input: Array.from({ length: 2049 }, () => 'a') },
      status: 413,
      param: 'input',
      code: 'too_many_inputs',
      message: /at most 2048 per request/,
    },
    {
      name: 'an input over 8192 tokens',
      body: { input: ['short', 'hello '.repeat(9000)] },
      status: 413,
      param: 'input[1]',
      code: 'input_too_long',
      message: /^input\[1\] is \d+ tokens .*over this embedder's limit of 8192 \(maxTokens\)/,
    },
  ];
  for (const refusal of refusals) {
    test(`${refusal.name} gets ${refusal.status} ${refusal.code} in OpenAI's error shape, and the route serves on`, async () => {
      const failure = failed(
        await page.evaluate(([b]) => window.openaiHarness.post(b), [{ model: MODEL, ...refusal.body }] as const),
      );
      expect(failure).toMatchObject({
        status: refusal.status,
        code: refusal.code,
        param: refusal.param,
        type: 'invalid_request_error',
      });
      expect(failure.requestId).toMatch(/^tabembed-/);
      expect(failure.error).toEqual({
        message: expect.stringMatching(refusal.message),
        type: 'invalid_request_error',
        param: refusal.param,
        code: refusal.code,
      });
      await stillServes();
    });
  }

  test('the route speaks HTTP: 204 for OPTIONS, 405 with Allow for other methods, 400 for a body that is not JSON', async () => {
    const options = await page.evaluate(() => window.openaiHarness.fetchRaw('OPTIONS', '/v1/embeddings'));
    expect(options).toMatchObject({ status: 204, allow: 'POST, OPTIONS', text: '' });
    const get = await page.evaluate(() => window.openaiHarness.fetchRaw('GET', '/v1/embeddings'));
    expect(get).toMatchObject({ status: 405, allow: 'POST, OPTIONS', contentType: 'application/json' });
    expect(JSON.parse(get.text)).toEqual({
      error: {
        message: 'GET is not allowed on /v1/embeddings: use POST',
        type: 'invalid_request_error',
        param: null,
        code: 'method_not_allowed',
      },
    });
    const put = await page.evaluate(() => window.openaiHarness.fetchRaw('PUT', '/v1/models'));
    expect(put).toMatchObject({ status: 405, allow: 'GET, OPTIONS' });
    const broken = await page.evaluate(() =>
      window.openaiHarness.fetchRaw('POST', '/v1/embeddings', '{"model": "qwen3-tiny", "input": '),
    );
    expect(broken.status).toBe(400);
    expect(JSON.parse(broken.text)).toMatchObject({ error: { code: 'invalid_json', param: null } });
    await stillServes();
  });

  test('with no tab hosting, 503 no_model_host with a clear message; hosting again serves again', async () => {
    fault('no tab of the site hosts a model', '503 no_model_host saying how to host one; hosting again serves again');
    await page.evaluate(() => window.openaiHarness.unhost());
    const failure = failed(
      await page.evaluate(([m]) => window.openaiHarness.create({ model: m, input: 'x' }), [MODEL] as const),
    );
    expect(failure).toMatchObject({ status: 503, code: 'no_model_host', type: 'server_error' });
    expect(failure.error).toMatchObject({
      message: expect.stringContaining('no open tab of this site hosts an embedding model'),
    });
    await page.evaluate(() => window.openaiHarness.host());
    await stillServes();
  });

  test('a service worker that forgot its hosts (as after a restart) finds them again by probing', async () => {
    fault(
      'the service worker restarts and forgets its hosts',
      "it finds them again by probing the site's tabs, and keeps the one it found",
    );
    const before = await page.evaluate(() => window.openaiHarness.served());
    await page.evaluate(() => window.openaiHarness.forgetHost());
    await stillServes();
    expect(await page.evaluate(() => window.openaiHarness.served())).toBe(before + 1);
    // And it keeps the host it found: the next request needs no probe.
    await stillServes();
    expect(await page.evaluate(() => window.openaiHarness.served())).toBe(before + 2);
  });

  test('another tab of the site is served by the hosting tab, after a silent host is skipped', async () => {
    fault(
      'a tab claims to host and never acknowledges a request',
      'skipped after the acknowledgement timeout (3 s); the real host answers',
    );
    const other = await openHarness(context);
    await expect.poll(() => other.evaluate(() => window.openaiHarness.controlled())).toBe(true);
    const before = await page.evaluate(() => window.openaiHarness.served());
    const response = ok(
      await other.evaluate(
        ([m]) => window.openaiHarness.create({ model: m, input: 'from another tab', encoding_format: 'float' }),
        [MODEL] as const,
      ),
    );
    const [direct] = await page.evaluate(() => window.openaiHarness.direct(['from another tab']));
    expectSameVector(response.data[0]?.embedding, direct);
    expect(await page.evaluate(() => window.openaiHarness.served())).toBe(before + 1);

    // The other tab now claims to host but answers nothing: it is tried first (the requester), dropped after the ack timeout (3 s), and the real host answers.
    await other.evaluate(() => window.openaiHarness.announceSilentHost());
    const started = Date.now();
    ok(
      await other.evaluate(([m]) => window.openaiHarness.create({ model: m, input: 'silent first' }), [MODEL] as const),
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(2_900);
    expect(await page.evaluate(() => window.openaiHarness.served())).toBe(before + 2);
    await other.close();
  });

  /** A second tab of the site that hosts, acknowledges each request and never answers one; the real host steps aside. */
  async function stuckHostOnly(): Promise<Page> {
    const stuck = await openHarness(context);
    await expect.poll(() => stuck.evaluate(() => window.openaiHarness.controlled())).toBe(true);
    await stuck.evaluate(() => window.openaiHarness.announceStuckHost());
    await page.evaluate(() => window.openaiHarness.unhost());
    return stuck;
  }

  test('a host that accepts a request and never answers it is given up on at requestTimeoutMs: 504 host_timeout, and the route serves on', async () => {
    fault(
      'the host tab accepts a request and never answers it',
      '504 host_timeout at requestTimeoutMs; the route serves on',
    );
    const stuck = await stuckHostOnly();
    const failure = failed(
      await page.evaluate(([m]) => window.openaiHarness.create({ model: m, input: 'never answered' }), [
        MODEL,
      ] as const),
    );
    expect(failure).toMatchObject({ status: 504, code: 'host_timeout', type: 'server_error' });
    expect(failure.error).toMatchObject({
      message: expect.stringContaining(`did not answer within ${REQUEST_TIMEOUT_MS / 1000} s`),
    });
    expect(await stuck.evaluate(() => window.openaiHarness.stuckRequests())).toBe(1);
    await stuck.close();
    await page.evaluate(() => window.openaiHarness.host());
    await stillServes();
  });

  test('a host tab closed with a request in flight: 503 host_gone (not the request timeout), and the route serves on', async () => {
    fault(
      'the host tab closes with a request in flight',
      '503 host_gone, without waiting out the request timeout; the route serves on',
    );
    const stuck = await stuckHostOnly();
    const pending = page.evaluate(([m]) => window.openaiHarness.create({ model: m, input: 'the host leaves' }), [
      MODEL,
    ] as const);
    await expect.poll(() => stuck.evaluate(() => window.openaiHarness.stuckRequests())).toBe(1);
    await stuck.close();
    const failure = failed(await pending);
    expect(failure).toMatchObject({ status: 503, code: 'host_gone', type: 'server_error' });
    expect(failure.error).toMatchObject({ message: expect.stringContaining('closed before it answered') });
    await page.evaluate(() => window.openaiHarness.host());
    await stillServes();
  });

  test('a disposed embedder answers 503 NOT_LOADED in OpenAI shape; a new model hosted serves again', async () => {
    fault('the hosted embedder is disposed', "503 NOT_LOADED in OpenAI's shape; a new model hosted serves again");
    await page.evaluate(() => window.openaiHarness.disposeModel());
    const failure = failed(
      await page.evaluate(([m]) => window.openaiHarness.create({ model: m, input: 'x' }), [MODEL] as const),
    );
    // A disposed embedder rejects with EmbedError NOT_LOADED, which is worth a retry once a page loads a model again: 503.
    expect(failure).toMatchObject({ status: 503, type: 'server_error', code: 'NOT_LOADED', param: null });
    expect(failure.error).toMatchObject({
      message: 'this embedder was disposed: create a new one with createEmbedder()',
    });
    await page.evaluate(() => window.openaiHarness.unhost());
    await page.evaluate(() => window.openaiHarness.load());
    await page.evaluate(() => window.openaiHarness.host());
    await stillServes();
  });

  test('a new service worker version installed with a request in flight: the request gets its vectors, then the new version serves', async () => {
    fault(
      'the site deploys a new service worker while a /v1 request is in flight',
      'the requests in flight get their vectors from the old version, which the new one waits for; later requests are served by the new version',
    );
    await page.evaluate(() => window.openaiHarness.unhost());
    await page.evaluate(() => window.openaiHarness.hostHolding());
    const ask = (input: string) =>
      page.evaluate(([m, t]) => window.openaiHarness.create({ model: m, input: t, encoding_format: 'float' }), [
        MODEL,
        input,
      ] as const);
    const inFlight = ask('in flight during the update');
    await expect.poll(() => page.evaluate(() => window.openaiHarness.heldRequests())).toBe(1);

    // The deploy: the worker registered under a new URL, as when a site changes the route's
    // options (route-options.ts). (Playwright cannot hand the browser's update check of the same
    // URL a changed script: that fetch never reaches its routes.)
    const previous = new URL(`/sw.js?requestTimeoutMs=${REQUEST_TIMEOUT_MS}`, page.url()).href;
    const next = new URL(`/sw.js?requestTimeoutMs=${REQUEST_TIMEOUT_MS}&build=2`, page.url()).href;
    await page.evaluate(([q]) => window.openaiHarness.installUpdate(q), [new URL(next).search] as const);
    // Chromium activates a skipWaiting worker only once the active one has no event in flight,
    // so the old version keeps the request, and takes the next one too.
    expect(await page.evaluate(() => window.openaiHarness.serviceWorkers())).toEqual({
      controller: previous,
      active: previous,
      waiting: next,
    });
    const whileWaiting = ask('sent while the update waits');
    await expect.poll(() => page.evaluate(() => window.openaiHarness.heldRequests())).toBe(2);

    await page.evaluate(() => window.openaiHarness.releaseHeld());
    for (const [pending, text] of [
      [inFlight, 'in flight during the update'],
      [whileWaiting, 'sent while the update waits'],
    ] as const) {
      const [direct] = await page.evaluate(([t]) => window.openaiHarness.direct([t]), [text] as const);
      expectSameVector(ok(await pending).data[0]?.embedding, direct);
    }

    // The new version takes over, and the page hosts for it (serveEmbeddingsRoute announces
    // itself on controllerchange): the next request is answered once, through it.
    await expect
      .poll(() => page.evaluate(() => window.openaiHarness.serviceWorkers()))
      .toEqual({ controller: next, active: next });
    const after = ok(await ask('after the update'));
    const [direct] = await page.evaluate(() => window.openaiHarness.direct(['after the update']));
    expectSameVector(after.data[0]?.embedding, direct);
    expect(await page.evaluate(() => window.openaiHarness.served())).toBe(3);
    await page.evaluate(() => window.openaiHarness.unhost());
    await page.evaluate(() => window.openaiHarness.host());
    await stillServes();
  });

  test('no /v1 request ever reached the network: the service worker answered them all', async ({ request }) => {
    expect(reachedNetwork).toEqual([]);
    expect(v1Responses.length).toBeGreaterThan(20);
    expect(v1Responses.filter((r) => !r.fromServiceWorker)).toEqual([]);
    // And the preview server has no such route: had a request got through, it would not have been answered like this.
    expect((await request.post('/v1/embeddings', { data: { model: MODEL, input: 'x' } })).status()).toBe(404);
  });
});

test('back/forward cache: while the hosting tab is away, requests get 503 no_model_host; restored from the cache, it hosts again', async ({
  playwright,
  launchOptions,
  baseURL,
}) => {
  fault(
    'the tab hosting the model navigates away, into the back/forward cache, and comes back',
    'a request meanwhile gets 503 no_model_host and never reaches the frozen tab; restored from the cache (not reloaded), the tab serves again',
  );
  await withBackForwardCache(playwright.chromium, launchOptions, async (browser) => {
    const context = await browser.newContext({ baseURL });
    const host = await openHarness(context);
    const notRestored = await notRestoredReasons(context, host);
    await host.evaluate(() => window.openaiHarness.load());
    await host.evaluate(() => window.openaiHarness.host());
    await host.evaluate(() => window.openaiHarness.registerWorker());
    const caller = await openHarness(context);
    await expect.poll(() => caller.evaluate(() => window.openaiHarness.controlled())).toBe(true);
    const ask = (input: string) =>
      caller.evaluate(([m, t]) => window.openaiHarness.create({ model: m, input: t, encoding_format: 'float' }), [
        MODEL,
        input,
      ] as const);
    ok(await ask('before leaving'));
    expect(await host.evaluate(() => window.openaiHarness.served())).toBe(1);

    // Away: 503 no_model_host, as when no tab hosts. The host says 'down' on pagehide, and the
    // route would drop it unasked too: clients.matchAll leaves out a page in the back/forward
    // cache (with serveEmbeddingsRoute's pagehide and pageshow listeners taken out, this test
    // still passed).
    await host.goto('/e2e/pages/smoke.html');
    const away = failed(await ask('while the host is away'));
    expect(away).toMatchObject({ status: 503, code: 'no_model_host', type: 'server_error' });

    // Back, restored from the cache (the same page, not a new load of it), hosting again.
    // (A restored page fires no load event, which goBack waits for by default.)
    await host.goBack({ waitUntil: 'commit' });
    await host.waitForFunction(() => document.body.dataset['ready'] === 'true');
    expect(
      await host.evaluate(() => window.openaiHarness.pageShows()),
      `not restored: ${notRestored.join(', ')}`,
    ).toEqual([false, true]);
    const back = ok(await ask('after coming back'));
    const [direct] = await host.evaluate(() => window.openaiHarness.direct(['after coming back']));
    expectSameVector(back.data[0]?.embedding, direct);
    // Two answered, and the request made while it was away never reached it.
    expect(await host.evaluate(() => window.openaiHarness.served())).toBe(2);
  });
});
