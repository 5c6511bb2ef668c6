import { expect, test, type Page } from '@playwright/test';
import {
  loadReferenceModel,
  referenceEmbedding,
  referenceIds,
  referencePrompt,
  type ReferenceModel,
} from '../tests/reference/reference-embedding.ts';
import { cosine, FIXTURE_DIR, FIXTURE_URL } from './support/embedder-page.ts';
import type {} from './pages/semantic-embedder-page.ts'; // window.probe's type

/*
 * `tabembed/semantic-embedder` as code written for the browser's proposed built-in embedding
 * API uses it (e2e/pages/semantic-embedder-page.ts installs it as globalThis.SemanticEmbedder
 * over the tiny fixture, fp32 on WASM), in a real Chromium with its real worker and OPFS cache.
 * Vectors are checked against the independent float64 reference with the prompt each task type
 * must give (README, "The built-in embedding API's shape"): cos ≥ 0.99999 at fp32, float32
 * rounding only — a wrong or missing instruction gives a far lower cosine on this model.
 */
const INSTRUCTIONS = {
  'retrieval-query': 'Given a web search query, retrieve relevant passages that answer the query',
  'semantic-similarity': 'Retrieve semantically similar text',
  classification: 'Classify the given text by its topic',
  clustering: 'Identify the main topic of the given text',
} as const;

test.describe('SemanticEmbedder, the built-in embedding API’s shape over tabembed', () => {
  test.describe.configure({ mode: 'serial' });
  let page: Page;
  let reference: ReferenceModel;

  test.beforeAll(async ({ browser }) => {
    reference = await loadReferenceModel(FIXTURE_DIR, 'model.onnx');
    page = await browser.newPage();
    await page.goto('/e2e/pages/semantic-embedder.html');
    await page.locator('body[data-ready="true"]').waitFor();
    await page.evaluate((url) => window.probe.install(url), FIXTURE_URL);
  });

  test.afterAll(async () => {
    await page.close();
  });

  test('availability() is downloadable, then downloading during create(), then available; the monitor goes from 0 to 1 in order', async () => {
    expect(await page.evaluate(() => window.probe.availability())).toBe('downloadable');
    const created = await page.evaluate(() => window.probe.create());
    if ('failed' in created) throw new Error(`create() failed: ${created.message}`);
    expect(created.during).toBe('downloading');
    expect(created.progress[0]).toBe(0);
    expect(created.progress.at(-1)).toBe(1);
    // Byte progress in between: the fixture's files are megabytes, so some events fall strictly inside.
    expect(created.progress.some((p) => p > 0 && p < 1)).toBe(true);
    for (let i = 1; i < created.progress.length; i++)
      expect(created.progress[i]).toBeGreaterThanOrEqual(created.progress[i - 1] ?? 0);
    expect(await page.evaluate(() => window.probe.availability())).toBe('available');
  });

  test('each task type embeds the text as Qwen3 is prompted for it (fp32 vs the float64 reference, cos ≥ 0.99999)', async () => {
    const text = 'the cat sat on the warm windowsill';
    const cases: [string | undefined, string][] = [
      [undefined, referencePrompt(text)],
      ['retrieval-document', referencePrompt(text)],
      ...Object.entries(INSTRUCTIONS).map(([task, instruction]): [string, string] => [
        task,
        referencePrompt(text, { instruction }),
      ]),
    ];
    for (const [taskType, prompt] of cases) {
      const result = await page.evaluate(([t, task]) => window.probe.embed(t, task), [text, taskType] as const);
      if ('failed' in result) throw new Error(`embed(${taskType}) failed: ${result.message}`);
      expect(result.embeddings).toHaveLength(1);
      const [embedding] = result.embeddings;
      const cos = cosine(embedding?.values ?? [], referenceEmbedding(reference, prompt));
      console.log(`[semantic-embedder] ${taskType ?? '(none)'}: reference cos ${cos.toFixed(7)}`);
      expect(cos).toBeGreaterThanOrEqual(0.99999);
      expect(embedding?.statistics).toEqual({ tokenCount: referenceIds(prompt).length, truncated: false });
    }
  });

  test('an array gives one embedding per text in order, with metadata naming the space and the token limit', async () => {
    const texts = ['first passage about rivers', 'second, about mountains', 'third: tea'];
    const result = await page.evaluate((t) => window.probe.embed(t, 'retrieval-document'), texts);
    if ('failed' in result) throw new Error(`embed failed: ${result.message}`);
    expect(result.embeddings).toHaveLength(3);
    texts.forEach((text, i) =>
      expect(cosine(result.embeddings[i]?.values ?? [], referenceEmbedding(reference, text))).toBeGreaterThanOrEqual(
        0.99999,
      ),
    );
    const { embeddingSpace, maxInputTokens } = result.metadata as { embeddingSpace: string; maxInputTokens: number };
    // The space every provider reports (src/core/embedding-space.ts): model, revision, dtype, prompting policy.
    expect(JSON.parse(embeddingSpace)).toEqual([
      expect.stringMatching(/\/models\/qwen3-tiny\/$/),
      null,
      'fp32',
      'documents raw; queries "Instruct: {task}\\nQuery:{text}"',
    ]);
    expect(maxInputTokens).toBeGreaterThan(0);
  });

  test('an unknown taskType is INVALID_OPTION; an aborted call rejects with its signal’s reason; destroy() ends calls in flight and later ones', async () => {
    const unknown = await page.evaluate(() => window.probe.embed('text', 'summarization'));
    expect(unknown).toMatchObject({ failed: true, code: 'INVALID_OPTION' });
    const aborted = await page.evaluate(() => window.probe.embedThenAbort(['a text to abort'], 'stop-now'));
    expect(aborted).toMatchObject({ failed: true, name: 'AbortError', message: 'stop-now' });
    const ended = await page.evaluate(() => window.probe.destroyDuring(['in flight when destroyed']));
    expect(ended.inFlight).toMatchObject({ failed: true, name: 'AbortError' });
    expect(ended.after).toMatchObject({ failed: true, name: 'AbortError' });
  });
});
