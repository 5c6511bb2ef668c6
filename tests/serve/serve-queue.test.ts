/**
 * `tabembed serve`'s queue and life cycle in this process, on real HTTP and the real engine
 * (tiny fixture, q8): /health while loading, cross-request batching, the bounded queue (429),
 * dropping a request whose client left, /metrics, and the drain SIGTERM starts.
 *
 * Every "while the engine is busy" is made by holding the engine's next call at a door
 * (held-engine.ts) and waiting for the queue's `queued` / `dropped` events: no sleeps, no timing.
 * Vectors are checked against an independent `createNodeEmbedder` (cosine ≥ 0.99999, as in
 * serve.test.ts: q8 with per-row activation scales, so batch-mates only move the last bits).
 */
import { once } from 'node:events';
import { APIError } from 'openai';
import { describe, expect, it } from 'vitest';
import { cosine } from '../../src/core/cosine.ts';
import type { ServeEngine } from '../../src/node/serve/batch-queue.ts';
import { startServer } from '../../src/node/serve/server.ts';
import { client, postEmbeddings, scrape, value } from './serve-client.ts';
import { busyWith, embed, MODEL, queued, serveFixture } from './serve-fixture.ts';

const MIN_COSINE = 0.99999;
const { served, reference, serve } = serveFixture();

async function expectReference(vectors: number[][], texts: string[]): Promise<void> {
  const want = await reference().embed(texts);
  expect(vectors).toHaveLength(texts.length);
  vectors.forEach((vector, i) =>
    expect(
      cosine(vector, want.vectors.subarray(i * want.dimensions, (i + 1) * want.dimensions)),
    ).toBeGreaterThanOrEqual(MIN_COSINE),
  );
}

describe('tabembed serve: /health', () => {
  it('answers 503 while the model loads (embeddings too), then 200', async () => {
    let load = (_engine: ServeEngine): void => undefined;
    const engine = new Promise<ServeEngine>((resolve) => (load = resolve));
    const server = await startServer({ engine, modelId: MODEL });
    const loading = await fetch(`${server.url}/health`);
    expect(loading.status).toBe(503);
    expect(await loading.json()).toEqual({ status: 'loading' });
    const early = await postEmbeddings(server.url, { model: MODEL, input: 'a' });
    expect(early).toMatchObject({ status: 503, json: { error: { code: 'model_loading', type: 'server_error' } } });
    load(served());
    await server.ready;
    const ready = await fetch(`${server.url}/health`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
    await server.drain();
  });
});

describe('tabembed serve: batching across requests', () => {
  const FIRST = 'the first request, alone';
  const LATER = ['one request', 'a second request', 'a third request, a little longer than the others'];

  it('merges the requests that wait while the engine is busy into one engine call, each answered with its own vectors', async () => {
    const { server, held } = await serve();
    const { running: first, release } = await busyWith(server, held, FIRST);
    const later = LATER.map((text) => embed(server.url, text));
    await queued(server, LATER.length);
    release();
    await expectReference(await first, [FIRST]);
    const answers = await Promise.all(later);
    await expectReference(
      answers.map(([vector = []]) => vector),
      LATER,
    );
    // One call for the first request, then one for the three that waited (in the order they
    // arrived, which three connections do not fix: compared as a set).
    expect(held.calls.map((texts) => [...texts].sort())).toEqual([[FIRST], [...LATER].sort()]);
    const metrics = await scrape(server.url);
    expect(value(metrics, 'tabembed_batch_requests_count')).toBe(2);
    expect(value(metrics, 'tabembed_batch_requests_sum')).toBe(4);
    expect(value(metrics, 'tabembed_batch_requests_bucket{le="1"}')).toBe(1);
    expect(value(metrics, 'tabembed_batch_requests_bucket{le="2"}')).toBe(1);
    expect(value(metrics, 'tabembed_batch_requests_bucket{le="4"}')).toBe(2);
  });

  it('keeps requests apart with --no-batching: one engine call each', async () => {
    const { server, held } = await serve({ batching: false });
    const { running: first, release } = await busyWith(server, held, FIRST);
    const later = LATER.map((text) => embed(server.url, text));
    await queued(server, LATER.length);
    release();
    await Promise.all([first, ...later]);
    expect(held.calls[0]).toEqual([FIRST]);
    expect(held.calls.slice(1).sort()).toEqual(LATER.map((text) => [text]).sort());
    const metrics = await scrape(server.url);
    expect(value(metrics, 'tabembed_batch_requests_count')).toBe(4);
    expect(value(metrics, 'tabembed_batch_requests_bucket{le="1"}')).toBe(4);
  });

  it('does not merge requests that ask for different dimensions', async () => {
    const { server, held } = await serve();
    const { running: first, release } = await busyWith(server, held, FIRST);
    const openai = client(server.url);
    const a = openai.embeddings.create({ model: MODEL, input: 'a', dimensions: 32, encoding_format: 'float' });
    const b = openai.embeddings.create({ model: MODEL, input: 'b', encoding_format: 'float' });
    const c = openai.embeddings.create({ model: MODEL, input: 'c', dimensions: 32, encoding_format: 'float' });
    await queued(server, 3);
    release();
    const [, ra, rb, rc] = await Promise.all([first, a, b, c]);
    expect([ra, rb, rc].map((r) => r.data[0]?.embedding.length)).toEqual([32, 64, 32]);
    // The two of 32 dimensions share a call, the full-size one has its own (which goes first
    // depends on which of three connections arrived first).
    expect(held.calls[0]).toEqual([FIRST]);
    expect(
      held.calls
        .slice(1)
        .map((texts) => [...texts].sort().join('+'))
        .sort(),
    ).toEqual(['a+c', 'b']);
  });
});

describe('tabembed serve: the bounded queue', () => {
  it('answers 429 with Retry-After and the OpenAI error shape when more than --max-queue texts would wait', async () => {
    const { server, held } = await serve({ maxQueue: 1 });
    const { running, release } = await busyWith(server, held, 'running');
    const waiting = embed(server.url, 'waiting');
    await queued(server, 1);
    const refused = await client(server.url)
      .embeddings.create({ model: MODEL, input: 'one too many' })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(APIError);
    expect(refused).toMatchObject({ status: 429, code: 'queue_full', type: 'invalid_request_error', param: null });
    const retryAfter = Number((refused as APIError).headers?.get('retry-after'));
    expect(Number.isInteger(retryAfter) && retryAfter >= 1).toBe(true);
    release();
    // The two it took are served in full.
    await expectReference([...(await running), ...(await waiting)], ['running', 'waiting']);
    expect(held.calls).toEqual([['running'], ['waiting']]);
    const metrics = await scrape(server.url);
    expect(value(metrics, 'tabembed_http_requests_total{path="/v1/embeddings",status="429"}')).toBe(1);
  });

  it('takes a request larger than --max-queue when nothing waits (it could never fit otherwise)', async () => {
    const { server } = await serve({ maxQueue: 1 });
    const texts = ['one', 'two', 'three'];
    await expectReference(await embed(server.url, texts), texts);
  });
});

describe('tabembed serve: a client that leaves', () => {
  it('is taken out of the queue, and its texts are never embedded', async () => {
    const { server, held } = await serve();
    const { running, release } = await busyWith(server, held, 'running');
    const leaving = new AbortController();
    const gone = postEmbeddings(server.url, { model: MODEL, input: 'nobody waits for this' }, leaving.signal).catch(
      (error: unknown) => error,
    );
    await queued(server, 1);
    const dropped = once(server.queue, 'dropped');
    leaving.abort();
    expect(await dropped).toEqual([1]);
    expect(server.queue.waitingRequests).toBe(0);
    expect(await gone).toMatchObject({ name: 'AbortError' });
    release();
    await running;
    expect(held.calls).toEqual([['running']]);
    const metrics = await scrape(server.url);
    expect(value(metrics, 'tabembed_dropped_requests_total')).toBe(1);
    expect(value(metrics, 'tabembed_http_requests_total{path="/v1/embeddings",status="499"}')).toBe(1);
    expect(value(metrics, 'tabembed_embedded_texts_total')).toBe(1);
  });
});

describe('tabembed serve: /metrics', () => {
  it('counts requests by status, texts, tokens, latencies and the queue, in Prometheus text', async () => {
    const { server } = await serve();
    const response = await fetch(`${server.url}/metrics`);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = await response.text();
    expect(text).toContain('# TYPE tabembed_request_duration_seconds histogram');
    expect(text).toContain('# TYPE tabembed_http_requests_total counter');
    const openai = client(server.url);
    const ok = await openai.embeddings.create({ model: MODEL, input: ['a', 'b c'], encoding_format: 'float' });
    await openai.embeddings.create({ model: MODEL, input: 'd', encoding_format: 'base64' });
    await postEmbeddings(server.url, { model: MODEL, input: [] });
    const metrics = await scrape(server.url);
    expect(value(metrics, 'tabembed_http_requests_total{path="/v1/embeddings",status="200"}')).toBe(2);
    expect(value(metrics, 'tabembed_http_requests_total{path="/v1/embeddings",status="400"}')).toBe(1);
    expect(value(metrics, 'tabembed_http_requests_total{path="/metrics",status="200"}')).toBe(1);
    expect(value(metrics, 'tabembed_embedded_texts_total')).toBe(3);
    const dTokens = (await reference().embed(['d'])).tokens[0] ?? 0;
    expect(value(metrics, 'tabembed_embedded_tokens_total')).toBe(ok.usage.prompt_tokens + dTokens);
    expect(value(metrics, 'tabembed_request_duration_seconds_count')).toBe(3);
    expect(value(metrics, 'tabembed_request_duration_seconds_bucket{le="+Inf"}')).toBe(3);
    expect(value(metrics, 'tabembed_batch_texts_sum')).toBe(3);
    expect(value(metrics, 'tabembed_queue_texts')).toBe(0);
    expect(value(metrics, 'tabembed_requests_in_flight')).toBe(0);
    expect(value(metrics, 'tabembed_ready')).toBe(1);
  });
});

describe('tabembed serve: drain', () => {
  it('answers new requests 503, finishes those it took, then closes', async () => {
    const { server, held } = await serve();
    const { running, release } = await busyWith(server, held, 'running');
    const waiting = embed(server.url, 'waiting');
    await queued(server, 1);
    const drained = server.drain();
    const health = await fetch(`${server.url}/health`);
    expect(health.status).toBe(503);
    expect(await health.json()).toEqual({ status: 'draining' });
    expect(await postEmbeddings(server.url, { model: MODEL, input: 'late' })).toMatchObject({
      status: 503,
      json: { error: { code: 'server_draining', type: 'server_error' } },
    });
    release();
    await expectReference([...(await running), ...(await waiting)], ['running', 'waiting']);
    await drained;
    expect(held.calls).toEqual([['running'], ['waiting']]);
    await expect(fetch(`${server.url}/health`)).rejects.toThrow();
  });
});
