/**
 * A query's answer from what can search now, on plain result lists: keyword hits alone before the
 * model, vector hits alone without a lexical part, and both fused by RRF (k = 60) and marked.
 */
import { describe, expect, it } from 'vitest';
import { answerQuery } from '../../src/widget/answer-query.ts';
import type { SemanticSearchResult } from '../../src/widget/item-index.ts';

const result = (id: string, score: number, match: 'keyword' | 'semantic'): SemanticSearchResult => ({
  id,
  text: `text of ${id}`,
  url: `#${id}`,
  title: undefined,
  score,
  match,
});
const KEYWORD = [result('tea', 2.9, 'keyword'), result('bread', 1.1, 'keyword')];
const SEMANTIC = [result('bike', 0.7, 'semantic'), result('tea', 0.6, 'semantic'), result('rain', 0.5, 'semantic')];
/** A search that hands back its list cut to the limit it was asked for, and records that limit. */
const list = (results: SemanticSearchResult[], asked: number[]) => (limit: number) => {
  asked.push(limit);
  return Promise.resolve(results.slice(0, limit));
};

describe('answerQuery', () => {
  it('answers by keyword alone before the model is loaded', async () => {
    expect(await answerQuery({ words: list(KEYWORD, []), vectors: undefined }, 5)).toEqual(KEYWORD);
  });

  it('answers by meaning alone without a lexical part, and with nothing when neither can search', async () => {
    expect(await answerQuery({ words: undefined, vectors: list(SEMANTIC, []) }, 2)).toEqual(SEMANTIC.slice(0, 2));
    expect(await answerQuery({ words: undefined, vectors: undefined }, 5)).toEqual([]);
  });

  it('fuses both by reciprocal rank, each list asked to the depth shown, and marks where each came from', async () => {
    const asked: number[] = [];
    const fused = await answerQuery({ words: list(KEYWORD, asked), vectors: list(SEMANTIC, asked) }, 3);
    expect(asked).toEqual([3, 3]);
    // tea: 1/61 (keyword rank 1) + 1/62 (semantic rank 2); bike: 1/61; bread: 1/62; rain: 1/63, cut by the limit.
    expect(fused.map((r) => [r.id, r.match])).toEqual([
      ['tea', 'both'],
      ['bike', 'semantic'],
      ['bread', 'keyword'],
    ]);
    expect(fused.map((r) => r.score)).toEqual([1 / 61 + 1 / 62, 1 / 61, 1 / 62]);
    // The rest of the result is the item's, as the first list holding it gave it.
    expect(fused[0]).toMatchObject({ text: 'text of tea', url: '#tea', title: undefined });
  });
});
