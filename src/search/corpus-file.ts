/**
 * A plain corpus a site owner hands the `<semantic-search>` element (or `tabembed index`): a
 * JSON array of strings or of `{ id?, text, url?, title? }`, or the same one per line (JSONL).
 * Pure, so the CLI, the widget and the tests read it with one set of rules.
 */
import { EmbedError } from '../core/errors.ts';

/** One searchable item, as a precomputed index stores it and a result reports it. */
export interface SearchItem {
  /** Unique within a corpus: the item's own id, else its 0-based position, as a string. */
  id: string;
  text: string;
  /** Where a result leads: http(s) or relative to the page. */
  url?: string;
  title?: string;
}

/** What a corpus entry may be before it is checked. */
export type CorpusEntry = string | { id?: string | number; text: string; url?: string; title?: string };

const ENTRY_RULE =
  'each entry is a non-empty string or { "id"?: string | number, "text": non-empty string, "url"?: http(s) or relative URL, "title"?: string }';

/**
 * One entry → a SearchItem. `where` names it in errors (`faq.json: items[3]`, `docs.jsonl:4`);
 * `position` is its id when it has none. Throws EmbedError SOURCE_INVALID naming the field.
 *
 * @example
 * checkEntry({ id: 7, text: 'Reset your password', url: '/help/reset' }, 'faq.json: items[0]', 0);
 * // { id: '7', text: 'Reset your password', url: '/help/reset' }
 */
export function checkEntry(value: unknown, where: string, position: number): SearchItem {
  const fail = (what: string): never => {
    throw new EmbedError('SOURCE_INVALID', `${where}: ${what}; ${ENTRY_RULE}`, { index: position });
  };
  if (typeof value === 'string') {
    if (value.trim() === '') fail('the text is empty');
    return { id: String(position), text: value };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return fail(`expected a string or an object, got ${describeValue(value)}`);
  const field = (name: string): unknown => Reflect.get(value, name);
  const [id, text, url, title] = [field('id'), field('text'), field('url'), field('title')];
  if (typeof text !== 'string') return fail(`"text" is ${describeValue(text)}, not a string`);
  if (text.trim() === '') fail('"text" is empty');
  const ownId =
    typeof id === 'string' && id !== '' ? id : typeof id === 'number' && Number.isFinite(id) ? String(id) : undefined;
  if (id !== undefined && ownId === undefined) fail(`"id" is ${describeValue(id)}, not a non-empty string or a number`);
  if (url !== undefined && !isFollowableUrl(url))
    fail(`"url" is ${describeValue(url)}, not an http(s) or relative URL`);
  if (title !== undefined && typeof title !== 'string') fail(`"title" is ${describeValue(title)}, not a string`);
  return {
    id: ownId ?? String(position),
    text,
    ...(typeof url === 'string' ? { url } : {}),
    ...(typeof title === 'string' ? { title } : {}),
  };
}

/**
 * A list of entries → items, with unique ids. Throws SOURCE_INVALID for an empty list, a bad
 * entry, or an id used twice (naming both places).
 */
export function checkEntries(
  values: readonly unknown[],
  name: string,
  whereOf: (i: number) => string = (i) => `${name}: items[${i}]`,
): SearchItem[] {
  if (values.length === 0)
    throw new EmbedError('SOURCE_INVALID', `${name} holds no items; give it at least one text to search`);
  const firstAt = new Map<string, number>();
  return values.map((value, i) => {
    const item = checkEntry(value, whereOf(i), i);
    const earlier = firstAt.get(item.id);
    if (earlier !== undefined) {
      throw new EmbedError(
        'SOURCE_INVALID',
        `${whereOf(i)}: id ${JSON.stringify(item.id)} is already used by ${whereOf(earlier)}; give every item its own id`,
        { index: i },
      );
    }
    firstAt.set(item.id, i);
    return item;
  });
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
  const whole = tryJson(text);
  if (whole.ok && Array.isArray(whole.value)) return checkEntries(whole.value, name);
  const lines: { value: unknown; line: number }[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    if (raw.trim() === '') return;
    const parsed = tryJson(raw);
    if (!parsed.ok)
      throw new EmbedError(
        'SOURCE_INVALID',
        `${name}:${i + 1}: not JSON (${parsed.reason}); a corpus is a JSON array, or one JSON string or {"text":…} per line`,
      );
    lines.push({ value: parsed.value, line: i + 1 });
  });
  return checkEntries(
    lines.map((l) => l.value),
    name,
    (i) => `${name}:${lines[i]?.line ?? '?'}`,
  );
}

/** http(s) or a relative reference; never javascript:, data: or other schemes a click would run. */
export function isFollowableUrl(value: unknown): value is string {
  if (typeof value !== 'string' || value.trim() === '') return false;
  try {
    const { protocol } = new URL(value, 'https://relative.invalid/');
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}

export function tryJson(text: string): { ok: true; value: unknown } | { ok: false; reason: string } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
}

export function describeValue(value: unknown): string {
  if (value === undefined) return 'missing';
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return `${typeof value} ${String(value)}`;
  return typeof value === 'object' ? 'an object' : typeof value;
}
