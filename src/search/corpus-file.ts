/**
 * A plain corpus a site owner hands the `<semantic-search>` element (or `tabembed index`): a
 * JSON array of strings or of `{ id?, text, url?, title? }`, or the same one per line (JSONL).
 * Pure, so the CLI, the widget and the tests read it with one set of rules: an item's rule is
 * `text-item.ts`, the lines' `json-lines.ts`.
 */
import { dropByteOrderMark, readJsonLines } from './json-lines.ts';
import { tryJson } from './json-value.ts';
import { checkItems, type TextItem } from './text-item.ts';

/** One searchable item, as a precomputed index stores it and a result reports it. */
export interface SearchItem {
  /** Unique within a corpus: the item's own id, else its 0-based position, as a string. */
  id: string;
  text: string;
  /** Where a result leads: http(s) or relative to the page. */
  url?: string;
  title?: string;
  /** The headings above the item in its page, outermost first (`tabembed index --site`): weighted in lexical search. */
  headings?: string[];
}

/** What a corpus entry may be before it is checked. */
export type CorpusEntry = string | { id?: string | number; text: string; url?: string; title?: string };

/**
 * A list of entries → items, with unique ids. Throws SOURCE_INVALID for an empty list, a bad
 * entry, or an id used twice (naming both places).
 *
 * @example
 * checkEntries([{ id: 7, text: 'Reset your password', url: '/help/reset' }], 'faq.json');
 * // [{ id: '7', text: 'Reset your password', url: '/help/reset' }]
 */
export function checkEntries(
  values: readonly unknown[],
  name: string,
  whereOf: (i: number) => string = (i) => `${name}: items[${i}]`,
): SearchItem[] {
  return checkItems(values, name, whereOf).map(searchItem);
}

/**
 * A corpus file's text → items: a JSON array, else JSONL (one entry per line, blank lines
 * skipped, ids defaulting to the entry's 0-based number). Throws SOURCE_INVALID naming the
 * line (`docs.jsonl:3: not JSON …`) or the entry.
 *
 * @example
 * parseCorpusText('["first text", {"id":"b","text":"second","url":"/b"}]', 'corpus.json');
 * // [{ id: '0', text: 'first text' }, { id: 'b', text: 'second', url: '/b' }]
 * parseCorpusText('"one"\n\n{"text":"two"}\n', 'docs.jsonl');
 * // [{ id: '0', text: 'one' }, { id: '1', text: 'two' }]
 */
export function parseCorpusText(text: string, name: string): SearchItem[] {
  const whole = tryJson(dropByteOrderMark(text));
  if (whole.ok && Array.isArray(whole.value)) return checkEntries(whole.value, name);
  return readJsonLines(text, name).map(searchItem);
}

function searchItem({ id, text, url, title }: TextItem): SearchItem {
  return { id, text, ...(url === undefined ? {} : { url }), ...(title === undefined ? {} : { title }) };
}
