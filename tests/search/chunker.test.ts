/**
 * The chunker with the model's real Qwen3 BPE tokenizer (the fixture's), on English, French,
 * Chinese and a long mixed text: every chunk fits chunkTokens by the tokenizer's own count,
 * consecutive chunks repeat ≥ overlapTokens tokens, and the chunks are exact slices that cover
 * the text. Counts are checked with separate countTokens calls made here, not the chunker's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateFixture } from '../../scripts/fixture/generate.ts';
import type { EmbedEngine } from '../../src/engine/embed-engine.ts';
import { createNodeEmbedder } from '../../src/node/node-embedder.ts';
import { chunkSource, type CountTokens } from '../../src/search/chunker.ts';
import type { Chunk, SourceText } from '../../src/protocol/search-data.ts';

let engine: EmbedEngine;
let calls: string[][] = [];
const countTokens: CountTokens = (texts) => {
  calls.push(texts);
  return Promise.resolve(engine.countTokens(texts));
};

beforeAll(async () => {
  await generateFixture({ outDir: 'public/models' });
  engine = await createNodeEmbedder({ model: 'public/models/qwen3-tiny', dtype: 'q4' });
}, 120_000);
afterAll(() => engine.dispose());

const ENGLISH = [
  'The lighthouse keeper climbed the stairs every evening.',
  'He wound the clockwork that turned the great lens.',
  'Ships far out at sea saw the beam sweep across the water!',
  'Was anyone still reading the logbook he kept so carefully?',
  'In winter the storms came from the north and rattled the windows.',
].join(' ');
const FRENCH =
  "Le gardien du phare montait l'escalier chaque soir. Il remontait le mécanisme qui faisait tourner la grande lentille. " +
  "Au loin, les navires voyaient le faisceau balayer l'eau ; personne ne lisait plus le journal qu'il tenait avec soin. " +
  "L'hiver, les tempêtes venaient du nord et faisaient trembler les fenêtres de la tour.";
const CHINESE =
  '灯塔看守人每天傍晚都要爬上楼梯。他给转动巨大透镜的发条上紧。远处海上的船只看到光束扫过水面。冬天，风暴从北方袭来，把窗户吹得嘎嘎作响。';

function source(id: string, text: string): SourceText {
  return { id, name: `${id}.txt`, text };
}

/** Everything a chunk list must satisfy, measured independently of the chunker's own numbers. */
function expectValidChunks(src: SourceText, chunks: Chunk[], chunkTokens: number, overlapTokens: number): void {
  expect(chunks.length).toBeGreaterThan(0);
  const real = engine.countTokens(chunks.map((c) => c.text));
  chunks.forEach((chunk, i) => {
    expect(chunk.text).toBe(src.text.slice(chunk.start, chunk.end));
    expect(chunk).toMatchObject({ id: `${src.id}#${i}`, sourceId: src.id, ordinal: i, tokens: real[i] });
    expect(real[i]).toBeLessThanOrEqual(chunkTokens);
  });
  expect(chunks[0]?.start).toBe(0);
  expect(chunks.at(-1)?.end).toBe(src.text.length);
  for (let i = 0; i + 1 < chunks.length; i++) {
    const [a, b] = [chunks[i], chunks[i + 1]] as [Chunk, Chunk];
    // Coverage: no gap, and each chunk moves on.
    expect(b.start).toBeLessThanOrEqual(a.end);
    expect(b.start).toBeGreaterThan(a.start);
    expect(b.end).toBeGreaterThan(a.end);
    if (overlapTokens > 0) {
      const [repeated] = engine.countTokens([src.text.slice(b.start, a.end)]);
      expect(repeated).toBeGreaterThanOrEqual(overlapTokens);
    }
  }
}

describe('chunkSource with the real Qwen3 tokenizer', () => {
  for (const [lang, text] of [
    ['English', `${ENGLISH} ${ENGLISH}\n\n${ENGLISH}`],
    ['French', `${FRENCH}\n${FRENCH}`],
    ['Chinese', CHINESE.repeat(4)],
  ] as const) {
    it(`cuts ${lang} into chunks of ≤ 32 real tokens that repeat ≥ 8 tokens and cover the text`, async () => {
      const src = source(lang.toLowerCase(), text);
      const chunks = await chunkSource(src, countTokens, { chunkTokens: 32, overlapTokens: 8 });
      expect(chunks.length).toBeGreaterThan(3);
      expectValidChunks(src, chunks, 32, 8);
    });
  }

  it('cuts a long mixed text (≈120 k characters, one 3,000-character word) within its limits, yielding to timers on the way', async () => {
    const words = 'x'.repeat(3000);
    const text = Array.from(
      { length: 160 },
      (_, i) => `${i}. ${ENGLISH} ${FRENCH} ${CHINESE} ${i === 80 ? words : ''}`,
    ).join('\n\n');
    expect(text.length).toBeGreaterThan(100_000);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    calls = [];
    const src = source('long', text);
    const started = performance.now();
    const chunks = await chunkSource(src, countTokens); // defaults: 256 / 32
    const ms = performance.now() - started;
    clearInterval(timer);
    expectValidChunks(src, chunks, 256, 32);
    // The chunker awaits only countTokens (resolved promises, i.e. microtasks) besides its own
    // macrotask yields, so a timer can only have run inside those yields.
    expect(ticks).toBeGreaterThan(0);
    expect(calls[0]?.join('')).toBe(text); // pieces, in order, in one call
    // Segmenting the whole string at once took 19 s here (V8's segmenter is superlinear in the
    // string's length); windows bring chunking to ~1 s. 5 s leaves room for a loaded machine.
    expect(ms).toBeLessThan(5000);
  });

  it('counts all pieces in one call, each with its whitespace in front, then counts the chunks (2 calls when nothing needs repair)', async () => {
    calls = [];
    const src = source('en', ENGLISH);
    await chunkSource(src, countTokens, { chunkTokens: 32, overlapTokens: 0 });
    const [pieces] = calls;
    expect(pieces?.join('')).toBe(ENGLISH);
    expect(pieces?.slice(0, 4)).toEqual(['The', ' lighthouse', ' keeper', ' climbed']);
    expect(pieces?.every((p) => !/\s$/u.test(p))).toBe(true);
    expect(calls.length).toBeGreaterThanOrEqual(2);
  });

  it('ends chunks at a sentence end when one lies in the last 20 % of the room', async () => {
    // Sentences of ~10-14 tokens: a 64-token chunk always has a sentence end in its last 13 tokens.
    const src = source('sentences', Array.from({ length: 12 }, () => ENGLISH).join(' '));
    const chunks = await chunkSource(src, countTokens, { chunkTokens: 64, overlapTokens: 8 });
    expectValidChunks(src, chunks, 64, 8);
    for (const chunk of chunks.slice(0, -1)) expect(chunk.text).toMatch(/[.!?]$/u);
  });

  it('splits Chinese without spaces into word pieces, not characters or one run', async () => {
    calls = [];
    await chunkSource(source('zh', CHINESE), countTokens, { chunkTokens: 64, overlapTokens: 0 });
    const pieces = calls[0] ?? [];
    expect(pieces.join('')).toBe(CHINESE);
    expect(pieces).toContain('灯塔');
    expect(pieces.length).toBeLessThan([...CHINESE].length);
  });

  it('rejects a whitespace-only source with SOURCE_INVALID naming it', async () => {
    await expect(
      chunkSource({ id: 'paste:3', name: 'Pasted text 3', text: ' \n\t ' }, countTokens),
    ).rejects.toMatchObject({
      code: 'SOURCE_INVALID',
      message: expect.stringContaining('"Pasted text 3" (paste:3) has no text'),
    });
  });

  for (const [options, rule] of [
    [{ chunkTokens: 15 }, /chunkTokens must be a whole number from 16 to 8192, got 15/],
    [{ chunkTokens: 8193 }, /chunkTokens .* got 8193/],
    [{ chunkTokens: 64.5 }, /chunkTokens .* got 64.5/],
    [{ chunkTokens: 64, overlapTokens: 33 }, /overlapTokens must be a whole number from 0 to 32 .* got 33/],
    [{ overlapTokens: -1 }, /overlapTokens .* got -1/],
  ] as const) {
    it(`rejects ${JSON.stringify(options)} with INVALID_OPTION`, async () => {
      await expect(chunkSource(source('en', ENGLISH), countTokens, options)).rejects.toMatchObject({
        code: 'INVALID_OPTION',
        message: expect.stringMatching(rule),
      });
    });
  }
});
