import { describe, expect, it } from 'vitest';
import { findTerms, makeSnippet, queryTerms } from '../../src/demo/search/snippet.ts';

const marked = (text: string, marks: [number, number][]): string[] => marks.map(([s, e]) => text.slice(s, e));

describe('query terms', () => {
  it('keeps word-like segments of two or more characters, lowercased and once each', () => {
    expect(queryTerms('How does a Sourdough starter work? sourdough!')).toEqual([
      'how',
      'does',
      'sourdough',
      'starter',
      'work',
    ]);
  });

  it('keeps single CJK characters, which are words on their own', () => {
    expect(queryTerms('猫 sleeps')).toEqual(expect.arrayContaining(['猫', 'sleeps']));
  });
});

describe('finding terms', () => {
  it('finds every occurrence case-insensitively and merges overlapping ones', () => {
    const text = 'Bread, bread and breadcrumbs.';
    const ranges = findTerms(text, ['bread', 'breadcrumbs']);
    expect(marked(text, ranges)).toEqual(['Bread', 'bread', 'breadcrumbs']);
  });

  it('marks a term only where a word starts, except in CJK text', () => {
    const text = 'The network works; 猫が寝ている猫';
    expect(marked(text, findTerms(text, ['work', '猫']))).toEqual(['work', '猫', '猫']);
  });

  it('marks nothing when lowercasing would shift the offsets', () => {
    expect(findTerms('İstanbul', ['istanbul'])).toEqual([]);
  });
});

describe('snippets', () => {
  const long = `${'Filler words about nothing in particular. '.repeat(20)}The sourdough starter needs flour and water daily. ${'More filler text here. '.repeat(20)}`;

  it('shows a short text whole, with its matches marked', () => {
    const s = makeSnippet('A sourdough starter is alive.', 'sourdough starter');
    expect(s).toMatchObject({ text: 'A sourdough starter is alive.', cutStart: false, cutEnd: false });
    expect(marked(s.text, s.marks)).toEqual(['sourdough', 'starter']);
  });

  it('centres a long text on its matches and says it was cut on both sides', () => {
    const s = makeSnippet(long, 'sourdough starter', 120);
    expect(s.text).toContain('The sourdough starter needs flour');
    expect(s.text.length).toBeLessThanOrEqual(140); // width plus the stretch to the next word boundary
    expect(s.cutStart).toBe(true);
    expect(s.cutEnd).toBe(true);
    expect(marked(s.text, s.marks)).toEqual(['sourdough', 'starter']);
  });

  it('starts at the beginning when no query word occurs', () => {
    const s = makeSnippet(long, 'giraffe', 80);
    expect(long.startsWith(s.text)).toBe(true);
    expect(s.marks).toEqual([]);
    expect(s.cutEnd).toBe(true);
  });
});
