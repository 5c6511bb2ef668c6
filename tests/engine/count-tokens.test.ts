/**
 * countTokens, which the demo's chunker sizes chunks by, counts what the model is fed for a
 * document minus the final <|endoftext|>, checked against a different tokenizer implementation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateFixture } from '../../scripts/fixture/generate.ts';
import type { EmbedEngine } from '../../src/engine/embed-engine.ts';
import { createNodeEmbedder } from '../../src/node/node-embedder.ts';
import { referenceIds } from '../reference/reference-embedding.ts';

let engine: EmbedEngine;
const TEXTS = [
  'hello world',
  'Le chat dort sur le rebord chaud de la fenêtre.',
  '猫在温暖的窗台上睡觉。',
  'x'.repeat(3000),
];

beforeAll(async () => {
  await generateFixture({ outDir: 'public/models' });
  engine = await createNodeEmbedder({ model: 'public/models/qwen3-tiny', dtype: 'q4', maxTokens: 64 });
}, 120_000);
afterAll(() => engine.dispose());

describe('countTokens', () => {
  it('counts content tokens without the final <|endoftext|>, and ignores maxTokens', () => {
    // referenceIds appends the EOS itself; the last text is far past maxTokens (64).
    expect(engine.countTokens(TEXTS)).toEqual(TEXTS.map((text) => referenceIds(text).length - 1));
  });

  it('rejects an empty string by its index, like embed', () => {
    expect(() => engine.countTokens(['fine', ''])).toThrow(/texts\[1\] is an empty string/);
  });
});
