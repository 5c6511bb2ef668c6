/**
 * The items of a version 3 compact index: what a result shows and no more, in shards of
 * ITEM_SHARD_ROWS rows (`index-i0.json`, …, named by the head's "items"), so showing a few
 * results fetches a few small files. Each row is `{ id?, url?, title?, text }` where text is an
 * excerpt: the item's first EXCERPT_CHARS characters, cut at a space where one is near and
 * ended with "…" when cut. A site's section text begins with its heading trail
 * (`tabembed index --site`), so the excerpt shows the heading and the section's opening. The
 * whole text stays in the lexical part only (its words are searchable); a version 2 index kept
 * it in its item shards (1 KB and more a row).
 * The id is left out when it equals the url (every `--site` item), and read back from it.
 */
import { EmbedError } from '../core/errors.ts';
import { isRecord } from '../core/is-record.ts';
import type { CompactFile } from './compact-index-file.ts';
import { checkEntries, type SearchItem } from './corpus-file.ts';
import { tryJson } from './json-value.ts';

/** Rows per item shard: 50 site sections are about 15 KB (5 KB gzipped). */
export const ITEM_SHARD_ROWS = 50;
/** Characters of text a row keeps: more than the widget's option shows (160), so a host has some to choose from. */
export const EXCERPT_CHARS = 200;

/** What the head says of the item shards. */
export interface ItemShards {
  /** Rows in each shard but the last. */
  rows: number;
  /** Shard k is `${files}${k}.json`. */
  files: string;
}

/**
 * @example
 * excerpt('Install › From npm\nRun npm install tabembed, then …'); // the whole text when ≤ 200 characters
 */
export function excerpt(text: string): string {
  const flat = text.trim();
  if (flat.length <= EXCERPT_CHARS) return flat;
  let end = EXCERPT_CHARS;
  const code = flat.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--; // not between the halves of a surrogate pair
  // A space in the last quarter: cut there, not mid-word (texts without spaces, like Chinese, are cut where they reach the end).
  const space = flat.slice(0, end).search(/\s\S*$/);
  if (space >= (EXCERPT_CHARS * 3) / 4) end = space;
  return `${flat.slice(0, end).trimEnd()}…`;
}

/**
 * @example
 * writeItemShards(items, 50, 'index-i'); // { shards: { rows: 50, files: 'index-i' }, files: [{ name: 'index-i0.json', content: '[…]' }, …] }
 */
export function writeItemShards(
  items: readonly SearchItem[],
  rows: number,
  files: string,
): { shards: ItemShards; files: CompactFile[] } {
  const out: CompactFile[] = [];
  for (let start = 0; start < items.length; start += rows) {
    const shard = items.slice(start, start + rows).map(({ id, url, title, text }) => ({
      ...(id === url ? {} : { id }),
      ...(url === undefined ? {} : { url }),
      ...(title === undefined ? {} : { title }),
      text: excerpt(text),
    }));
    out.push({ name: `${files}${out.length}.json`, content: JSON.stringify(shard) });
  }
  return { shards: { rows, files }, files: out };
}

/** The shard holding `row`, and where in it. */
export function itemShardOf(shards: ItemShards, row: number): { name: string; index: number; shard: number } {
  const shard = Math.floor(row / shards.rows);
  return { name: `${shards.files}${shard}.json`, index: row - shard * shards.rows, shard };
}

/**
 * Reads one item shard that must hold `rows` items. Throws EmbedError SOURCE_INVALID naming the
 * file (and the item, by checkEntries' rule) when it is not that.
 *
 * @example
 * readItemShard('[{"url":"/a/#b","title":"A","text":"B › …"}]', 1, 'index-i0.json'); // [{ id: '/a/#b', url: '/a/#b', title: 'A', text: 'B › …' }]
 */
export function readItemShard(text: string, rows: number, name: string): SearchItem[] {
  const parsed = tryJson(text);
  if (!parsed.ok || !Array.isArray(parsed.value) || parsed.value.length !== rows)
    throw new EmbedError(
      'SOURCE_INVALID',
      `${name} is not a JSON array of ${rows} items (${parsed.ok ? 'another length or shape' : parsed.reason}); rebuild the index`,
    );
  // The id the writer left out is the url: put it back before the one rule every item follows.
  const values = parsed.value.map((value: unknown) =>
    isRecord(value) && value['id'] === undefined && typeof value['url'] === 'string'
      ? { ...value, id: value['url'] }
      : value,
  );
  return checkEntries(values, name);
}
