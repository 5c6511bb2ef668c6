/**
 * The OpenAI facade on a real engine (onnxruntime-node, the tiny Qwen3 fixture): its vectors are
 * the engine's own, in OpenAI's shapes, and usage counts the tokens the engine fed. The engine
 * is wrapped to the `Embedder` interface the page's createEmbedder() returns.
 *
 * Tolerance: none for the vectors. The facade passes the engine's float32 values through
 * (`float` as JS numbers, `base64` as their bytes), and both calls embed the same texts in the
 * same batch on the same CPU kernels, so every value must be equal.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateFixture } from '../../scripts/fixture/generate.ts';
import { openAIFacade, type OpenAIFacade } from '../../src/client/openai/openai-facade.ts';
import { formatQuery } from '../../src/core/prompt.ts';
import type { EmbedEngine } from '../../src/engine/embed-engine.ts';
import { createNodeEmbedder } from '../../src/node/node-embedder.ts';
import { asFacadeEmbedder } from './facade-embedder.ts';

const MODEL_DIR = 'public/models/qwen3-tiny';
const TEXTS = ['hello world', 'Le chat dort sur le rebord chaud de la fenêtre.', '猫在温暖的窗台上睡觉。'];
const INSTRUCTION = 'Given a question, retrieve passages that answer it';

let engine: EmbedEngine;
let shortEngine: EmbedEngine;
let openai: OpenAIFacade;

function decodeLE(base64: string): number[] {
  const bytes = Buffer.from(base64, 'base64');
  return Array.from({ length: bytes.length / 4 }, (_, i) => bytes.readFloatLE(i * 4));
}

beforeAll(async () => {
  await generateFixture({ outDir: 'public/models' });
  engine = await createNodeEmbedder({ model: MODEL_DIR, dtype: 'fp32' });
  shortEngine = await createNodeEmbedder({ model: MODEL_DIR, dtype: 'fp32', maxTokens: 16 });
  openai = openAIFacade(asFacadeEmbedder(engine));
}, 120_000);

afterAll(async () => {
  await engine.dispose();
  await shortEngine.dispose();
});

describe('openAIFacade on the fixture model', () => {
  it('returns the engine vectors in OpenAI shape, with usage = tokens the engine fed', async () => {
    const direct = await engine.embed(TEXTS);
    const response = await openai.embeddings.create({ model: MODEL_DIR, input: TEXTS });
    expect(response.object).toBe('list');
    expect(response.model).toBe(MODEL_DIR);
    const total = direct.tokens.reduce((a, b) => a + b, 0);
    expect(response.usage).toEqual({ prompt_tokens: total, total_tokens: total });
    expect(response.data.map(({ object, index, embedding }) => ({ object, index, length: embedding.length }))).toEqual(
      TEXTS.map((_, index) => ({ object: 'embedding', index, length: 64 })),
    );
    response.data.forEach(({ embedding }, i) =>
      expect(embedding).toEqual(Array.from(direct.vectors.subarray(i * 64, (i + 1) * 64))),
    );
  });

  it('sends base64 as the little-endian bytes of the same float32 values', async () => {
    const float = await openai.embeddings.create({ model: 'qwen3-tiny', input: TEXTS, dimensions: 32 });
    const base64 = await openai.embeddings.create({
      model: 'qwen3-tiny',
      input: TEXTS,
      dimensions: 32,
      encoding_format: 'base64',
    });
    expect(base64.usage).toEqual(float.usage);
    base64.data.forEach(({ embedding }, i) => {
      expect(typeof embedding).toBe('string');
      expect(decodeLE(embedding)).toEqual(float.data[i]?.embedding);
    });
    const direct = await engine.embed(TEXTS, { dimensions: 32 });
    expect(decodeLE(base64.data[1]?.embedding ?? '')).toEqual(Array.from(direct.vectors.subarray(32, 64)));
  });

  it('embeds a query with its instruction, and counts the instruction in usage', async () => {
    const response = await openai.embeddings.create({
      model: MODEL_DIR,
      input: 'what do cats eat',
      input_type: 'query',
      instruction: INSTRUCTION,
    });
    const spelledOut = await engine.embed([formatQuery(INSTRUCTION, 'what do cats eat')]);
    expect(response.data[0]?.embedding).toEqual(Array.from(spelledOut.vectors));
    expect(response.usage.prompt_tokens).toBe(spelledOut.tokens[0]);
    const asDocument = await openai.embeddings.create({ model: MODEL_DIR, input: 'what do cats eat' });
    expect(asDocument.usage.prompt_tokens).toBeLessThan(response.usage.prompt_tokens);
    expect(asDocument.data[0]?.embedding).not.toEqual(response.data[0]?.embedding);
  });

  it('lists the one model it serves, in OpenAI shape', async () => {
    const list = await openai.models.list();
    expect(list).toEqual({
      object: 'list',
      data: [{ id: MODEL_DIR, object: 'model', created: expect.any(Number), owned_by: 'local' }],
    });
    expect(await openai.models.retrieve('qwen3-tiny')).toEqual(list.data[0]);
    await expect(openai.models.retrieve('gpt-4')).rejects.toMatchObject({ status: 404, code: 'model_not_found' });
  });

  // An input over 8192 tokens (413, before any batch runs) is a case of the bad-input matrix.
  it("holds to an embedder's smaller maxTokens instead of letting it truncate", async () => {
    const small = openAIFacade(asFacadeEmbedder(shortEngine));
    const fits = 'one two three four five six seven';
    // Counted by the untruncated engine, so this shows the text really fits in 16 (the short engine would cut it to fit).
    const fed = (await engine.embed([fits])).tokens[0] ?? 0;
    expect(fed).toBeLessThanOrEqual(16);
    await expect(small.embeddings.create({ model: MODEL_DIR, input: fits })).resolves.toMatchObject({
      usage: { prompt_tokens: fed },
    });
    // As a query the instruction pushes it far past 16.
    await expect(small.embeddings.create({ model: MODEL_DIR, input: fits, input_type: 'query' })).rejects.toMatchObject(
      {
        status: 413,
        message: expect.stringMatching(
          /^input\[0\] is \d+ tokens \(with the query instruction and the final <\|endoftext\|>\), over this embedder's limit of 16 \(maxTokens\)/,
        ),
      },
    );
  });

  it("passes the caller's AbortSignal to the engine: an aborted call rejects with 503 ABORTED, and the next call is served", async () => {
    const texts = Array.from({ length: 200 }, (_, i) => `text number ${i} ${'word '.repeat(i % 40)}`);
    const controller = new AbortController();
    const call = openai.embeddings.create({ model: MODEL_DIR, input: texts }, { signal: controller.signal });
    controller.abort(new Error('the user left'));
    await expect(call).rejects.toMatchObject({ status: 503, code: 'ABORTED' });
    await expect(
      openai.embeddings.create({ model: MODEL_DIR, input: 'x' }, { signal: AbortSignal.abort() }),
    ).rejects.toMatchObject({ status: 503, code: 'ABORTED' });
    const after = await openai.embeddings.create(
      { model: MODEL_DIR, input: TEXTS },
      { signal: new AbortController().signal },
    );
    expect(after.data).toHaveLength(TEXTS.length);
  });

  it('turns an engine failure into a 503 that carries its EmbedError code', async () => {
    const gone = await createNodeEmbedder({ model: MODEL_DIR, dtype: 'fp32' });
    const facade = openAIFacade(asFacadeEmbedder(gone));
    await gone.dispose();
    await expect(facade.embeddings.create({ model: MODEL_DIR, input: 'hello' })).rejects.toMatchObject({
      status: 503,
      code: 'NOT_LOADED',
      body: { error: { type: 'server_error', code: 'NOT_LOADED' } },
    });
  });
});
