/**
 * `tabembed serve` in this process, on real HTTP (127.0.0.1, a free port) and a real engine
 * (onnxruntime-node, the tiny Qwen3 fixture, q8), talked to with the official `openai` client.
 *
 * Reference: a second, independent `createNodeEmbedder` on the same model and dtype (the CLI's
 * trusted path), embedding the same texts. Tolerance: cosine ≥ 0.99999. The q8 graph's
 * activations are quantised per row, so a vector does not depend on its batch-mates, but a text
 * may run in a batch of another padded length than in the reference call, which moves float32
 * sums in their last bits; 1e-5 is far above that and far below the distance between two texts.
 *
 * "Busy" is reached by holding the engine's next call at a door (held-engine.ts) and waiting for
 * the queue's events, never by sleeping: the queue, batch and drop tests are deterministic.
 */
import { connect } from 'node:net';
import { APIError } from 'openai';
import { beforeAll, describe, expect, it } from 'vitest';
import { openAIFacade } from '../../src/client/openai/openai-facade.ts';
import { decodeFloat32Base64 } from '../../src/core/base64-float32.ts';
import { cosine } from '../../src/core/cosine.ts';
import { formatQuery } from '../../src/core/prompt.ts';
import { OpenAIRequestError } from '../../src/protocol/openai/openai-error.ts';
import { asFacadeEmbedder } from '../engine/facade-embedder.ts';
import { client, postEmbeddings } from './serve-client.ts';
import { MODEL, serveFixture } from './serve-fixture.ts';

const TEXTS = ['hello world', 'Le chat dort sur le rebord chaud de la fenêtre.', '猫在温暖的窗台上睡觉。'];
const MIN_COSINE = 0.99999;
const { served, reference, serve } = serveFixture();

/** The reference's vectors for `texts`, one array per text. */
async function expected(texts: string[], dimensions?: number): Promise<Float32Array[]> {
  const result = await reference().embed(texts, { dimensions });
  return texts.map((_, i) => result.vectors.subarray(i * result.dimensions, (i + 1) * result.dimensions));
}

function expectClose(actual: ArrayLike<number>[], want: Float32Array[]): void {
  expect(actual.map((vector) => vector.length)).toEqual(want.map((vector) => vector.length));
  actual.forEach((vector, i) => expect(cosine(vector, want[i] ?? [])).toBeGreaterThanOrEqual(MIN_COSINE));
}

describe('tabembed serve: OpenAI shapes', () => {
  let url: string;
  beforeAll(
    async () =>
      ({
        server: { url },
      } = await serve()),
  );

  it('answers the openai client with the reference vectors (float), in order, usage = tokens fed', async () => {
    const response = await client(url).embeddings.create({ model: MODEL, input: TEXTS, encoding_format: 'float' });
    expect(response.object).toBe('list');
    expect(response.model).toBe(MODEL);
    expect(response.data.map(({ object, index }) => ({ object, index }))).toEqual(
      TEXTS.map((_, index) => ({ object: 'embedding', index })),
    );
    expectClose(
      response.data.map(({ embedding }) => embedding),
      await expected(TEXTS),
    );
    const fed = (await reference().embed(TEXTS)).tokens.reduce((a, b) => a + b, 0);
    expect(response.usage).toEqual({ prompt_tokens: fed, total_tokens: fed });
  });

  it('sends base64 as little-endian float32 bytes, which the client decodes by default', async () => {
    const want = await expected(TEXTS, 32);
    const explicit = await client(url).embeddings.create({
      model: MODEL,
      input: TEXTS,
      dimensions: 32,
      encoding_format: 'base64',
    });
    expectClose(
      explicit.data.map(({ embedding }) => decodeFloat32Base64(embedding, 'embedding')),
      want,
    );
    // Without encoding_format the client asks for base64 and decodes it to numbers itself.
    const decoded = await client(url).embeddings.create({ model: MODEL, input: TEXTS, dimensions: 32 });
    expectClose(
      decoded.data.map(({ embedding }) => embedding),
      want,
    );
  });

  it('cuts to `dimensions` and renormalises, as the engine does', async () => {
    const response = await client(url).embeddings.create({
      model: MODEL,
      input: 'one text',
      dimensions: 48,
      encoding_format: 'float',
    });
    const [vector = []] = response.data.map(({ embedding }) => embedding);
    expect(vector).toHaveLength(48);
    expect(Math.hypot(...vector)).toBeCloseTo(1, 5);
    expectClose([vector], await expected(['one text'], 48));
  });

  it('embeds texts as documents; a query prompt the client writes itself is Qwen3’s query embedding', async () => {
    const task = 'Given a question, retrieve passages that answer it';
    const question = 'where does the cat sleep?';
    const want = await reference().embed([question], { kind: 'query', instruction: task });
    const asQuery = [want.vectors];
    const openai = client(url);
    const written = await openai.embeddings.create({
      model: MODEL,
      input: formatQuery(task, question),
      encoding_format: 'float',
    });
    expectClose([written.data[0]?.embedding ?? []], asQuery);
    // The facade's non-standard fields give the same (a variable, so TypeScript lets them through).
    const body = {
      model: MODEL,
      input: question,
      input_type: 'query',
      instruction: task,
      encoding_format: 'float' as const,
    };
    const tagged = await openai.embeddings.create(body);
    expectClose([tagged.data[0]?.embedding ?? []], asQuery);
    // Without either, the same text is a document: another vector.
    const plain = await openai.embeddings.create({ model: MODEL, input: question, encoding_format: 'float' });
    expect(cosine(plain.data[0]?.embedding ?? [], want.vectors)).toBeLessThan(0.999);
  });

  it('lists and retrieves the model, and 404s another name', async () => {
    const openai = client(url);
    const list = await openai.models.list();
    expect(list.data.map(({ id, object, owned_by }) => ({ id, object, owned_by }))).toEqual([
      { id: MODEL, object: 'model', owned_by: 'local' },
    ]);
    expect((await openai.models.retrieve(MODEL)).id).toBe(MODEL);
    const missing = await openai.models.retrieve('text-embedding-3-small').catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(APIError);
    expect(missing).toMatchObject({ status: 404, code: 'model_not_found' });
    // A malformed escape is a name like any other, not a crash.
    const malformed = await fetch(`${url}/v1/models/%E0`);
    expect(malformed.status).toBe(404);
    expect(await malformed.json()).toMatchObject({ error: { code: 'model_not_found' } });
  });

  it('answers a request line no URL parser takes with 404, and serves on', async () => {
    const socket = connect(Number(new URL(url).port), '127.0.0.1');
    socket.end('GET //[ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    let reply = '';
    for await (const chunk of socket) reply += String(chunk);
    expect(reply).toMatch(/^HTTP\/1\.1 404 /);
    expect(reply).toContain('"code":"not_found"');
    expect((await fetch(`${url}/health`)).status).toBe(200);
  });

  it('answers unknown paths and wrong methods in OpenAI’s error shape', async () => {
    const notFound = await fetch(`${url}/v1/chat/completions`, { method: 'POST', body: '{}' });
    expect(notFound.status).toBe(404);
    expect(await notFound.json()).toMatchObject({ error: { code: 'not_found', type: 'invalid_request_error' } });
    const wrongMethod = await fetch(`${url}/v1/embeddings`);
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('POST, OPTIONS');
    expect(await wrongMethod.json()).toMatchObject({ error: { code: 'method_not_allowed' } });
  });
});

describe('tabembed serve: refusals are the facade’s', () => {
  let url: string;
  beforeAll(
    async () =>
      ({
        server: { url },
      } = await serve()),
  );

  const BAD_BODIES: [string, unknown][] = [
    ['an empty input array', { model: MODEL, input: [] }],
    ['an empty string', { model: MODEL, input: ['a', ''] }],
    ['a number in input', { model: MODEL, input: ['a', 3] }],
    ['token arrays', { model: MODEL, input: [[1, 2, 3]] }],
    ['no model', { input: 'a' }],
    ['dimensions under 32', { model: MODEL, input: 'a', dimensions: 16 }],
    ['dimensions over the hidden size', { model: MODEL, input: 'a', dimensions: 65 }],
    ['an unknown encoding', { model: MODEL, input: 'a', encoding_format: 'int8' }],
    ['too many inputs', { model: MODEL, input: Array.from({ length: 2049 }, () => 'a') }],
    ['a text over maxTokens', { model: MODEL, input: ['short', 'word '.repeat(9000)] }],
    ['a body that is not an object', [1, 2]],
  ];

  it.each(BAD_BODIES)('%s: the status, code, param and words the facade gives', async (_, body) => {
    const facade = openAIFacade(asFacadeEmbedder(served()), { modelId: MODEL });
    const refusal = await facade.embeddings.createFromBody(body).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(OpenAIRequestError);
    if (!(refusal instanceof OpenAIRequestError)) return;
    const { status, json } = await postEmbeddings(url, body);
    expect({ status, json }).toEqual({ status: refusal.status, json: refusal.body });
    expect(status).toBeGreaterThanOrEqual(400);
  });

  it('a model it does not serve: 404 model_not_found, saying this server serves the model', async () => {
    const error = await client(url)
      .embeddings.create({ model: 'text-embedding-3-small', input: 'a' })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      status: 404,
      code: 'model_not_found',
      param: 'model',
      type: 'invalid_request_error',
    });
    expect(String((error as Error).message)).toContain('this server serves "qwen3-tiny"');
  });

  it('a body that is not JSON: 400 invalid_json, as the in-tab route answers it', async () => {
    const { status, json } = await postEmbeddings(url, '{"model": "qwen3-tiny", input: ');
    expect(status).toBe(400);
    expect(json).toMatchObject({ error: { code: 'invalid_json', type: 'invalid_request_error', param: null } });
  });
});
