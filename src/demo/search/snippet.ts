/**
 * The piece of a chunk a result shows, and where the query's words fall in it. Pure, so it is
 * unit-tested with plain strings; the results list turns the ranges into <mark>s.
 */

export interface Snippet {
  text: string;
  /** [start, end) ranges of `text` to highlight, sorted, not overlapping. */
  marks: [number, number][];
  /** Whether text was cut before / after. */
  cutStart: boolean;
  cutEnd: boolean;
}

const WORDS = new Intl.Segmenter(undefined, { granularity: 'word' });
/** Han, Hiragana, Katakana, Hangul: scripts where one character is already a word-sized unit. */
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

/**
 * The query's words worth highlighting: word-like segments, lowercased, at least two
 * characters except in CJK scripts (where 猫 alone is a word), without duplicates.
 */
export function queryTerms(query: string): string[] {
  const terms = new Set<string>();
  for (const { segment, isWordLike } of WORDS.segment(query)) {
    if (!isWordLike) continue;
    const term = segment.toLocaleLowerCase();
    if (term.length >= 2 || CJK.test(term)) terms.add(term);
  }
  return [...terms];
}

const WORD_CHAR = /[\p{L}\p{N}]/u;

/**
 * Every place a term occurs in `text`, case-insensitively, merged where they touch or overlap.
 * A term starts at a word's start ("work" is not marked inside "network"); it may end inside
 * one, so "bread" marks the start of "breadcrumbs". CJK terms match anywhere: those scripts
 * put no spaces between words.
 */
export function findTerms(text: string, terms: readonly string[]): [number, number][] {
  const lower = text.toLocaleLowerCase();
  // toLocaleLowerCase can change a string's length (e.g. 'İ'); offsets would then drift, so skip marking.
  if (lower.length !== text.length) return [];
  const found: [number, number][] = [];
  for (const term of terms) {
    const anywhere = CJK.test(term);
    for (let at = lower.indexOf(term); at !== -1; at = lower.indexOf(term, at + term.length)) {
      if (anywhere || at === 0 || !WORD_CHAR.test(lower[at - 1] ?? '')) found.push([at, at + term.length]);
    }
  }
  found.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged: [number, number][] = [];
  for (const range of found) {
    const last = merged.at(-1);
    if (last && range[0] <= last[1]) last[1] = Math.max(last[1], range[1]);
    else merged.push([range[0], range[1]]);
  }
  return merged;
}

/**
 * About `width` characters of `text` around its densest cluster of query words (the start of
 * the text when none occurs), cut at word boundaries where one is near.
 */
export function makeSnippet(text: string, query: string, width = 240): Snippet {
  const all = findTerms(text, queryTerms(query));
  let start = 0;
  if (text.length > width && all.length > 0) {
    // The window that covers the most marks, anchored a little before its first mark.
    let best = 0;
    let bestCount = 0;
    for (let i = 0; i < all.length; i++) {
      const from = all[i]?.[0] ?? 0;
      const count = all.filter(([s, e]) => s >= from && e <= from + width).length;
      if (count > bestCount) [best, bestCount] = [from, count];
    }
    start = Math.max(0, Math.min(best - Math.floor(width / 4), text.length - width));
    const space = text.lastIndexOf(' ', start);
    if (space !== -1 && start - space < 20) start = space + 1;
  }
  let end = Math.min(text.length, start + width);
  if (end < text.length) {
    const space = text.indexOf(' ', end);
    if (space !== -1 && space - end < 20) end = space;
  }
  const marks = all
    .filter(([s, e]) => s >= start && e <= end)
    .map(([s, e]): [number, number] => [s - start, e - start]);
  return { text: text.slice(start, end), marks, cutStart: start > 0, cutEnd: end < text.length };
}
