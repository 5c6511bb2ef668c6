/**
 * The query's words marked in a shown text, as `<mark>` elements built with DOM calls: the
 * index's texts are the site's, never parsed as HTML. Words are the lexical index's
 * (src/search/lexical-tokens.ts: Intl.Segmenter words, NFKC-folded, lowercased), so a word is
 * marked exactly when BM25 counted it, Chinese and Japanese included.
 */
import { lexicalTokens, lexicalWords } from '../search/lexical-tokens.ts';

/** A run of the text, marked or not. */
export interface TextRun {
  text: string;
  marked: boolean;
}

/**
 * @example
 * markRuns('Brew green tea', new Set(['tea']));
 * // [{ text: 'Brew green ', marked: false }, { text: 'tea', marked: true }]
 */
export function markRuns(text: string, terms: ReadonlySet<string>): TextRun[] {
  const runs: TextRun[] = [];
  let at = 0;
  if (terms.size > 0)
    for (const { start, end, word } of lexicalWords(text)) {
      if (!terms.has(word)) continue;
      if (start > at) runs.push({ text: text.slice(at, start), marked: false });
      runs.push({ text: text.slice(start, end), marked: true });
      at = end;
    }
  if (at < text.length) runs.push({ text: text.slice(at), marked: false });
  return runs;
}

/** The words of a query that the marks look for. */
export function queryTerms(query: string): Set<string> {
  return new Set(lexicalTokens(query));
}

/** The runs as nodes: text nodes and `<mark part="mark">` elements holding text nodes. */
export function markedNodes(text: string, terms: ReadonlySet<string>): Node[] {
  return markRuns(text, terms).map(({ text: run, marked }) => {
    if (!marked) return document.createTextNode(run);
    const mark = document.createElement('mark');
    mark.setAttribute('part', 'mark');
    mark.textContent = run;
    return mark;
  });
}
