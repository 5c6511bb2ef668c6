/**
 * Reciprocal rank fusion on plain lists: the scores are the paper's sums of 1 / (60 + rank),
 * worked out by hand here, and the order follows them.
 */
import { describe, expect, it } from 'vitest';
import { fuseRanks, RRF_K } from '../../src/search/rank-fusion.ts';

const id = (x: string): string => x;

describe('fuseRanks', () => {
  it('uses k = 60', () => {
    expect(RRF_K).toBe(60);
  });

  it('sums 1 / (k + rank) over the lists and marks where each item came from', () => {
    const fused = fuseRanks(
      [
        { source: 'keyword', items: ['a', 'b', 'c'] },
        { source: 'semantic', items: ['c', 'd', 'a'] },
      ],
      id,
      10,
    );
    // a: 1/61 + 1/63 = 0.032266; c: 1/63 + 1/61 (the same); b: 1/62; d: 1/62.
    expect(fused.map((f) => f.item)).toEqual(['a', 'c', 'b', 'd']);
    expect(fused[0]?.score).toBeCloseTo(1 / 61 + 1 / 63, 15);
    expect(fused[1]?.score).toBeCloseTo(1 / 63 + 1 / 61, 15);
    expect(fused[2]?.score).toBeCloseTo(1 / 62, 15);
    expect(fused.map((f) => f.sources)).toEqual([
      ['keyword', 'semantic'],
      ['keyword', 'semantic'],
      ['keyword'],
      ['semantic'],
    ]);
  });

  it('ranks an item both lists hold fairly well above one that a single list ranks first', () => {
    const fused = fuseRanks(
      [
        { source: 'keyword', items: ['solo', 'x', 'both'] },
        { source: 'semantic', items: ['y', 'z', 'both'] },
      ],
      id,
      1,
    );
    // both: 2/63 = 0.0317 > solo: 1/61 = 0.0164
    expect(fused).toEqual([{ item: 'both', score: 2 / 63, sources: ['keyword', 'semantic'] }]);
  });

  it('breaks ties by first appearance, list by list', () => {
    const fused = fuseRanks(
      [
        { source: 'keyword', items: ['k1'] },
        { source: 'semantic', items: ['s1'] },
      ],
      id,
      5,
    );
    expect(fused.map((f) => f.item)).toEqual(['k1', 's1']);
  });

  it('keeps the first list’s copy of an item, matched by key', () => {
    const fused = fuseRanks(
      [
        { source: 'keyword', items: [{ id: 'a', score: 7.5 }] },
        { source: 'semantic', items: [{ id: 'a', score: 0.61 }] },
      ],
      (x) => x.id,
      5,
    );
    expect(fused).toEqual([{ item: { id: 'a', score: 7.5 }, score: 2 / 61, sources: ['keyword', 'semantic'] }]);
  });

  it('counts an item repeated within one list once, at its best rank', () => {
    const fused = fuseRanks([{ source: 'keyword', items: ['a', 'b', 'a'] }], id, 5);
    expect(fused).toEqual([
      { item: 'a', score: 1 / 61, sources: ['keyword'] },
      { item: 'b', score: 1 / 62, sources: ['keyword'] },
    ]);
  });

  it('gives a single list back in its own order, and nothing for no lists or a limit of 0', () => {
    expect(fuseRanks([{ source: 'semantic', items: ['c', 'a', 'b'] }], id, 5).map((f) => f.item)).toEqual([
      'c',
      'a',
      'b',
    ]);
    expect(fuseRanks([], id, 5)).toEqual([]);
    expect(fuseRanks([{ source: 'semantic', items: ['a'] }], id, 0)).toEqual([]);
  });

  it('takes another k', () => {
    const [first] = fuseRanks([{ source: 'semantic', items: ['a'] }], id, 1, 0);
    expect(first?.score).toBe(1);
  });
});
