/**
 * The remote provider when the engine misbehaves: every test ends with every vector, in order,
 * equal to the local model's, or with one coded EmbedError; never a partial list. Engines are
 * real HTTP servers on 127.0.0.1 (fake-engines.ts) whose vectors come from the real local model.
 * Retries wait 1 ms (remote.retry.baseDelayMs) or the Retry-After the engine sent; nothing here
 * asserts a duration.
 */
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cosine } from '../../src/core/cosine.ts';
import type { EmbedEngine } from '../../src/engine/embed-engine.ts';
import { createNodeEmbedder } from '../../src/node/node-embedder.ts';
import type { RetryEvent } from '../../src/remote/post-json.ts';
import { createRemoteEmbedder, type RemoteOptions } from '../../src/remote/remote-embedder.ts';
import { generateFixture } from '../../scripts/fixture/generate.ts';
import { errorBody, send, startFakeEngine, type FakeEngine, type FakeEngineOptions } from './fake-engines.ts';

const MODEL_DIR = 'public/models/qwen3-tiny';
const SERVED = 'Qwen/Qwen3-Embedding-tiny';
const TEXTS = Array.from({ length: 10 }, (_, i) => `text number ${i} about tides and moons`);
const OTHER_DIR = join(tmpdir(), `tabembed-remote-other-${process.pid}`);

let local: EmbedEngine;
let other: EmbedEngine;
let expected: Float32Array[];
const engines: FakeEngine[] = [];

beforeAll(async () => {
  local = await createNodeEmbedder({ model: MODEL_DIR, dtype: 'fp32' });
  // Another model: the same architecture with other random weights (seed 7), as a misconfigured engine would serve.
  const { modelDir } = await generateFixture({ outDir: OTHER_DIR, seed: 7, variants: ['fp32'] });
  other = await createNodeEmbedder({ model: modelDir, dtype: 'fp32' });
  const result = await local.embed(TEXTS);
  expected = TEXTS.map((_, i) => result.vectors.slice(i * 64, (i + 1) * 64));
}, 120_000);

afterAll(async () => {
  await Promise.all(engines.map((engine) => engine.close()));
  await Promise.all([local.dispose(), other.dispose()]);
  rmSync(OTHER_DIR, { recursive: true, force: true });
});

async function engineWith(options: Partial<FakeEngineOptions>): Promise<FakeEngine> {
  const engine = await startFakeEngine({ dialect: 'tei', model: SERVED, weights: local, ...options });
  engines.push(engine);
  return engine;
}

function remoteFor(engine: FakeEngine, options: Partial<RemoteOptions> = {}) {
  return createRemoteEmbedder({
    baseURL: engine.baseURL,
    model: SERVED,
    engine: 'tei',
    batchSize: 4,
    retry: { baseDelayMs: 1 },
    ...options,
  });
}

function expectAllVectors(vectors: readonly Float32Array[]): void {
  expect(vectors).toHaveLength(TEXTS.length);
  vectors.forEach((vector, i) =>
    expect(cosine(vector, expected[i] ?? new Float32Array())).toBeGreaterThanOrEqual(0.99999),
  );
}

describe('remote provider faults, as TEI documents its statuses (429 Overloaded, 503 Unhealthy, 424 Backend)', () => {
  it('rides out a storm of 429 and 503 answers and gives every vector in order', async () => {
    const engine = await engineWith({
      intercept: ({ n }, _req, res) => {
        if (n < 1 || n > 6) return false;
        const status = n % 2 === 0 ? 429 : 503;
        send(res, status, errorBody('tei', status, 'model is overloaded'), { 'retry-after': '0' });
        return true;
      },
    });
    const retries: RetryEvent[] = [];
    const remote = remoteFor(engine, {
      concurrency: 1,
      retry: { retries: 6, baseDelayMs: 1 },
      onRetry: (event) => retries.push(event),
    });
    expectAllVectors(await remote.embed(TEXTS));
    expect(retries.map((r) => r.status)).toEqual([503, 429, 503, 429, 503, 429]);
    expect(retries.every((r) => r.delayMs === 0)).toBe(true);
  });

  it('waits what Retry-After says (seconds or an HTTP date) before trying again', async () => {
    const engine = await engineWith({
      intercept: ({ n }, _req, res) => {
        if (n !== 1) return false;
        send(res, 429, errorBody('tei', 429, 'model is overloaded'), { 'retry-after': '1' });
        return true;
      },
    });
    const retries: RetryEvent[] = [];
    const remote = remoteFor(engine, { batchSize: 32, onRetry: (event) => retries.push(event) });
    expectAllVectors(await remote.embed(TEXTS));
    expect(retries).toEqual([expect.objectContaining({ attempt: 1, status: 429, delayMs: 1000 })]);
  });

  it('fails at once with REMOTE_FAILED when Retry-After asks for longer than remote.retry.maxDelayMs', async () => {
    const engine = await engineWith({
      intercept: ({ n }, _req, res) => {
        if (n === 0) return false;
        send(res, 503, errorBody('tei', 503, 'warming up'), { 'retry-after': '120' });
        return true;
      },
    });
    await expect(remoteFor(engine, { concurrency: 1 }).embed(TEXTS)).rejects.toMatchObject({
      code: 'REMOTE_FAILED',
      message: expect.stringContaining('asked to retry after 120 s, longer than the 60 s this call may wait'),
    });
    // The probe and one try of the first batch; the later batches, waiting for the one slot, never went.
    expect(engine.requests).toHaveLength(2);
  });

  it('fails with REMOTE_FAILED when the engine stays unavailable through every retry', async () => {
    const engine = await engineWith({
      intercept: ({ n }, _req, res) => {
        if (n === 0) return false;
        send(res, 503, errorBody('tei', 503, 'unhealthy'));
        return true;
      },
    });
    const remote = remoteFor(engine, { retry: { retries: 2, baseDelayMs: 1 } });
    await expect(remote.embed(TEXTS)).rejects.toMatchObject({
      code: 'REMOTE_FAILED',
      message: expect.stringContaining('503: unhealthy (Unhealthy)'),
    });
  });

  it('does not retry a 424 Backend error, and gives no partial list when one batch of several fails', async () => {
    const engine = await engineWith({
      intercept: ({ n }, _req, res) => {
        if (n !== 2) return false;
        send(res, 424, errorBody('tei', 424, 'CUDA error: out of memory'));
        return true;
      },
    });
    const remote = remoteFor(engine, { concurrency: 1 });
    await expect(remote.embed(TEXTS)).rejects.toMatchObject({
      code: 'REMOTE_FAILED',
      message: expect.stringContaining('424: CUDA error: out of memory'),
    });
    // The probe, the first batch, the failed one; the third batch was never sent.
    expect(engine.requests).toHaveLength(3);
  });

  it('refuses a batch larger than --max-client-batch-size with REMOTE_REFUSED naming the limit', async () => {
    const engine = await engineWith({});
    const remote = remoteFor(engine, { batchSize: 40 });
    const many = Array.from({ length: 40 }, (_, i) => `t${i}`);
    await expect(remote.embed(many)).rejects.toMatchObject({
      code: 'REMOTE_REFUSED',
      message: expect.stringMatching(
        /413: batch size 40 > maximum allowed batch size 32 \(Validation\).*remote\.batchSize/,
      ),
    });
  });

  it('says REMOTE_REFUSED and what to check when the key is refused', async () => {
    const engine = await engineWith({
      intercept: ({ authorization }, _req, res) => {
        if (authorization === 'Bearer right') return false;
        send(res, 401, { message: 'Unauthorized', code: 401, type: 'Unauthorized' });
        return true;
      },
    });
    await expect(remoteFor(engine, { apiKey: 'wrong' }).embed(TEXTS)).rejects.toMatchObject({
      code: 'REMOTE_REFUSED',
      message: expect.stringContaining('API key'),
    });
    expectAllVectors(await remoteFor(engine, { apiKey: 'right' }).embed(TEXTS));
  });
});

describe('remote provider load', () => {
  it('keeps at most remote.concurrency requests in flight, across calls, and loses nothing', async () => {
    let inFlight = 0;
    let most = 0;
    const engine = await engineWith({
      // A slow engine (20 ms a request), so requests sent together overlap on the server. The
      // bound holds whatever the timing; the wait only gives a broken bound the chance to show.
      intercept: async ({ n }, _req, res) => {
        if (n === 0) return false;
        inFlight++;
        most = Math.max(most, inFlight);
        res.on('finish', () => inFlight--);
        await new Promise((resolve) => setTimeout(resolve, 20));
        return false;
      },
    });
    const remote = remoteFor(engine, { batchSize: 1, concurrency: 2 });
    const [first, second] = await Promise.all([remote.embed(TEXTS), remote.embed(TEXTS)]);
    expectAllVectors(first ?? []);
    expectAllVectors(second ?? []);
    expect(engine.requests).toHaveLength(1 + 2 * TEXTS.length);
    expect(most).toBeLessThanOrEqual(2);
  });
});

describe('remote provider faults: connections', () => {
  it('sends a request again after the engine dropped the connection, and loses nothing', async () => {
    const engine = await engineWith({
      intercept: ({ n }, req) => {
        if (n !== 2) return false;
        req.socket.destroy();
        return true;
      },
    });
    const retries: RetryEvent[] = [];
    const remote = remoteFor(engine, { onRetry: (event) => retries.push(event) });
    expectAllVectors(await remote.embed(TEXTS));
    expect(retries).toEqual([
      expect.objectContaining({ status: undefined, reason: expect.stringContaining('could not get an answer') }),
    ]);
  });

  it('fails with REMOTE_FAILED when every try is dropped, and when nothing listens', async () => {
    const engine = await engineWith({
      intercept: (_seen, req) => {
        req.socket.destroy();
        return true;
      },
    });
    await expect(remoteFor(engine, { retry: { retries: 1, baseDelayMs: 1 } }).embed(TEXTS)).rejects.toMatchObject({
      code: 'REMOTE_FAILED',
    });
    const gone = await engineWith({});
    const url = gone.baseURL;
    await gone.close();
    await expect(
      createRemoteEmbedder({ baseURL: url, model: SERVED, retry: { retries: 1, baseDelayMs: 1 } }).embed(TEXTS),
    ).rejects.toMatchObject({ code: 'REMOTE_FAILED', message: expect.stringContaining(url) });
  });

  it('aborts a slow answer when the caller’s signal fires, and closes the connection', async () => {
    let seen: () => void = () => undefined;
    const arrived = new Promise<void>((resolve) => (seen = resolve));
    let closed: () => void = () => undefined;
    const connectionClosed = new Promise<void>((resolve) => (closed = resolve));
    const engine = await engineWith({
      intercept: ({ n }, _req, res) => {
        if (n === 0) return false;
        res.on('close', () => closed());
        seen();
        return true; // never answers
      },
    });
    const controller = new AbortController();
    const call = remoteFor(engine).embed(TEXTS, { signal: controller.signal });
    await arrived;
    controller.abort(new Error('user left'));
    await expect(call).rejects.toMatchObject({ code: 'ABORTED' });
    await connectionClosed;
  });

  it('lets one caller give up during the first-use probe without failing the others waiting on it', async () => {
    let arrived: () => void = () => undefined;
    const probeArrived = new Promise<void>((resolve) => (arrived = resolve));
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    const engine = await engineWith({
      intercept: async ({ n }) => {
        if (n !== 0) return false;
        arrived();
        await released;
        return false; // then answered as TEI would
      },
    });
    const remote = remoteFor(engine);
    const controller = new AbortController();
    const leaving = remote.embed(TEXTS, { signal: controller.signal });
    const staying = remote.embed(TEXTS);
    await probeArrived;
    controller.abort();
    await expect(leaving).rejects.toMatchObject({ code: 'ABORTED' });
    release();
    expectAllVectors(await staying);
    // One probe for both callers.
    expect(engine.requests.filter((r) => (r.body['input'] as string[]).length === 6)).toHaveLength(1);
  });

  it('fails a request that gets no answer within remote.timeoutMs with REMOTE_FAILED', async () => {
    const engine = await engineWith({ intercept: ({ n }) => n > 0 });
    await expect(remoteFor(engine, { timeoutMs: 300 }).embed(TEXTS)).rejects.toMatchObject({
      code: 'REMOTE_FAILED',
      message: expect.stringContaining('no answer within 0.3 s'),
    });
  });
});

describe('remote provider faults: answers that are not embeddings', () => {
  it('refuses a 200 that is not JSON, and one with fewer rows than inputs, with REMOTE_FAILED', async () => {
    const html = await engineWith({
      intercept: (_seen, _req, res) => {
        res.writeHead(200, { 'content-type': 'text/html' }).end('<html>login</html>');
        return true;
      },
    });
    await expect(remoteFor(html).embed(TEXTS)).rejects.toMatchObject({
      code: 'REMOTE_FAILED',
      message: expect.stringContaining('not JSON ("<html>login</html>")'),
    });
    const short = await engineWith({
      intercept: ({ n }, _req, res) => {
        if (n === 0) return false;
        send(res, 200, { object: 'list', data: [], model: SERVED });
        return true;
      },
    });
    await expect(remoteFor(short).embed(TEXTS)).rejects.toMatchObject({
      code: 'REMOTE_FAILED',
      message: expect.stringContaining('"data" holds 0 rows for 4 inputs'),
    });
  });
});

describe('remote provider faults: answers from another embedding space', () => {
  it('refuses vectors of the wrong width with INDEX_MISMATCH naming both widths', async () => {
    const engine = await engineWith({
      intercept: ({ n, body }, _req, res) => {
        if (n === 0) return false;
        const input = body['input'] as string[];
        const data = input.map((_, index) => ({
          object: 'embedding',
          index,
          embedding: Array.from({ length: 48 }, () => 0.1),
        }));
        send(res, 200, { object: 'list', data, model: SERVED, usage: { prompt_tokens: 1, total_tokens: 1 } });
        return true;
      },
    });
    await expect(remoteFor(engine).embed(TEXTS)).rejects.toMatchObject({
      code: 'INDEX_MISMATCH',
      message: expect.stringMatching(/expected 64 values per vector, but .* answered 48 for input 0/),
    });
  });

  it('refuses an answer that names another model with INDEX_MISMATCH naming both', async () => {
    const engine = await engineWith({ model: 'BAAI/bge-m3' });
    await expect(remoteFor(engine).embed(TEXTS)).rejects.toMatchObject({
      code: 'INDEX_MISMATCH',
      message: expect.stringMatching(/model "Qwen\/Qwen3-Embedding-tiny", but .* model "BAAI\/bge-m3"/),
    });
  });

  it('proves the same space by probe against the local model, and names the probe and cosine when it is not', async () => {
    const same = await engineWith({});
    const proven = remoteFor(same, { verifyAgainst: local });
    const report = await proven.verify();
    expect(report.verifiedAgainst).toEqual(local.info().space);
    expect(report.minCosine).toBeGreaterThanOrEqual(0.99999);
    expectAllVectors(await proven.embed(TEXTS));

    const impostor = await engineWith({ weights: other });
    const remote = remoteFor(impostor, { verifyAgainst: local });
    await expect(remote.embed(TEXTS)).rejects.toMatchObject({
      code: 'INDEX_MISMATCH',
      index: 0,
      message: expect.stringMatching(
        /probe 0 \(document "The capital of France is Paris\."\) has cosine -?0\.\d{6} against .*qwen3-tiny, below 0\.999/,
      ),
    });
    // Nothing but the probe was sent.
    expect(impostor.requests).toHaveLength(1);
  });
});

describe('remote provider: bad options and calls', () => {
  it('refuses a misspelt option, a bad base URL and an unknown engine with INVALID_OPTION', () => {
    const base = { baseURL: 'http://127.0.0.1:1', model: SERVED };
    expect(() => createRemoteEmbedder({ ...base, batchsize: 4 } as RemoteOptions)).toThrow(
      /options\.batchsize is not an option of remote/,
    );
    expect(() => createRemoteEmbedder({ ...base, baseURL: 'gpu:8000' })).toThrow(/absolute http\(s\) URL/);
    expect(() => createRemoteEmbedder({ ...base, engine: 'triton' as 'tei' })).toThrow(/remote\.engine must be one of/);
  });

  it('rejects countTokens with UNSUPPORTED, bad dimensions with INVALID_OPTION, and every call after dispose with NOT_LOADED', async () => {
    const remote = remoteFor(await engineWith({}));
    await expect(remote.countTokens(['a'])).rejects.toMatchObject({ code: 'UNSUPPORTED' });
    await expect(remote.embed(['a'], { dimensions: 65 })).rejects.toMatchObject({
      code: 'INVALID_OPTION',
      message: expect.stringContaining('from 32 to 64'),
    });
    await remote.dispose();
    await expect(remote.embed(['a'])).rejects.toMatchObject({ code: 'NOT_LOADED' });
  });
});
