/**
 * The query's words marked in a shown text: exactly the words the lexical index counts
 * (Intl.Segmenter words, NFKC-folded, lowercased), so case and full-width forms match, a word
 * inside another word does not, and Chinese is marked by its words, not by characters.
 */
import { describe, expect, it } from 'vitest';
import { markRuns, queryTerms } from '../../src/widget/match-marks.ts';

const marked = (text: string, query: string): string =>
  markRuns(text, queryTerms(query))
    .map((run) => (run.marked ? `[${run.text}]` : run.text))
    .join('');

describe('markRuns', () => {
  it('marks every occurrence of a query word, whatever its case, and keeps the text whole', () => {
    expect(marked('Brew Green tea; green TEA is best.', 'green tea')).toBe(
      'Brew [Green] [tea]; [green] [TEA] is best.',
    );
  });

  it('marks whole words only, as BM25 counted them', () => {
    expect(marked('Teapots and tea', 'tea')).toBe('Teapots and [tea]');
  });

  it('folds full-width forms as the index does', () => {
    expect(marked('ＴＥＡ time', 'tea')).toBe('[ＴＥＡ] time');
  });

  it('marks Chinese by its words (ICU segmentation), not by a character match', () => {
    expect(marked('明天会下雨，记得带伞。', '下雨')).toBe('明天会[下雨]，记得带伞。');
    // 天 is inside the word 明天, not a word of the text: BM25 would not match it either.
    expect(marked('明天会下雨', '天')).toBe('明天会下雨');
  });

  it('gives the text unmarked for a query with no words', () => {
    expect(markRuns('Some text', queryTerms('  ...  '))).toEqual([{ text: 'Some text', marked: false }]);
  });
});
