/**
 * The words the lexical index (bm25.ts) counts: Intl.Segmenter's word-like segments (ICU's
 * dictionaries split Chinese, Japanese and Thai, which have no spaces, into words), NFKC-folded
 * (full-width Ｌａｔｉｎ and half-width ｶﾅ match their usual forms) and lowercased. Long texts are
 * segmented in windows of about 4 k characters cut at word boundaries, as the chunker does
 * (chunk-pieces.ts): V8's Segmenter is superlinear in the length of the string it walks.
 */
import { windowEnd } from './chunk-pieces.ts';

/** Made on first use: the widget's bundle carries this module whether or not a page searches words. */
let words: Intl.Segmenter | undefined;

/**
 * @example
 * lexicalTokens('Le Chat dort.'); // ['le', 'chat', 'dort']
 * lexicalTokens('明天会下雨'); // ['明天', '会', '下雨']
 */
export function lexicalTokens(text: string): string[] {
  return lexicalWords(text).map(({ word }) => word);
}

/** One counted word of a text: where it stands (UTF-16 offsets) and the folded form BM25 counts. */
export interface LexicalWord {
  start: number;
  end: number;
  word: string;
}

/**
 * The words of lexicalTokens with their places in `text`, for marking them where a text is shown.
 *
 * @example
 * lexicalWords('Green Tea'); // [{ start: 0, end: 5, word: 'green' }, { start: 6, end: 9, word: 'tea' }]
 */
export function lexicalWords(text: string): LexicalWord[] {
  words ??= new Intl.Segmenter(undefined, { granularity: 'word' });
  const out: LexicalWord[] = [];
  for (let from = 0; from < text.length;) {
    const to = windowEnd(text, from);
    for (const { segment, index, isWordLike } of words.segment(text.slice(from, to)))
      if (isWordLike)
        out.push({
          start: from + index,
          end: from + index + segment.length,
          word: segment.normalize('NFKC').toLowerCase(),
        });
    from = to;
  }
  return out;
}
