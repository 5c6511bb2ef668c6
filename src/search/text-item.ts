/**
 * One text item, by the one rule every reader of a user's texts applies: `tabembed embed` and
 * `tabembed index` on stdin, a `<semantic-search>` corpus, the search page's .json and .jsonl
 * files. An item is a non-empty string, or an object with a non-empty "text" and optionally an
 * "id", a "url" and a "title"; ids are unique among the items read together. Each reader keeps
 * the fields it uses; all refuse the same items with the same SOURCE_INVALID message. Items one
 * per line: `json-lines.ts`.
 */
import { EmbedError } from '../core/errors.ts';
import { isRecord } from '../core/is-record.ts';
import { describeValue } from './json-value.ts';

/** What an item must be: the end of every refusal. */
export const ITEM_SHAPE =
  'a non-empty string, or { "id"?: non-empty string or finite number, "text": non-empty string, "url"?: http(s) or relative URL, "title"?: string }';

/** A checked item and where it stood. */
export interface TextItem {
  /** Unique among the items read together: the item's own id as a string, else its position. */
  id: string;
  /** The id as written, when the item has one: `tabembed embed` writes it back unchanged (7 stays a number). */
  ownId?: string | number;
  text: string;
  url?: string;
  title?: string;
  /** Where the item stood, as messages name it: `docs.jsonl:3`, `faq.json[2]`, `index.json: items[0]`. */
  where: string;
  /** 0-based among the items (blank lines do not count): the id of an item without one. */
  position: number;
}

/** Where an item stands, and what the rule calls it: a line of JSONL or an item of a list. */
export interface ItemPlace {
  where: string;
  position: number;
  unit: 'line' | 'item';
}

/**
 * One value → a checked item. Throws EmbedError SOURCE_INVALID naming the place and the field.
 *
 * @example
 * checkItem({ id: 7, text: 'Reset your password' }, { where: 'faq.jsonl:1', position: 0, unit: 'line' });
 * // { id: '7', ownId: 7, text: 'Reset your password', where: 'faq.jsonl:1', position: 0 }
 * checkItem(42, { where: 'faq.jsonl:2', position: 1, unit: 'line' });
 * // throws 'faq.jsonl:2: expected a string or an object, got number 42; each line must be a non-empty string, or { … }'
 */
export function checkItem(value: unknown, place: ItemPlace): TextItem {
  const { where, position } = place;
  const fail = (what: string): never => {
    throw itemRefusal(place, what);
  };
  if (typeof value === 'string') {
    if (value.trim() === '') fail('the text is empty');
    return { id: String(position), text: value, where, position };
  }
  if (!isRecord(value)) return fail(`expected a string or an object, got ${describeValue(value)}`);
  const { id, text, url, title } = value;
  if (typeof text !== 'string') return fail(`"text" is ${describeValue(text)}, not a string`);
  if (text.trim() === '') fail('"text" is empty');
  const ownId =
    typeof id === 'string' && id !== '' ? id : typeof id === 'number' && Number.isFinite(id) ? id : undefined;
  if (id !== undefined && ownId === undefined)
    fail(`"id" is ${describeValue(id)}, not a non-empty string or a finite number`);
  if (url !== undefined && !isFollowableUrl(url))
    fail(`"url" is ${describeValue(url)}, not an http(s) or relative URL`);
  if (title !== undefined && typeof title !== 'string') fail(`"title" is ${describeValue(title)}, not a string`);
  return {
    id: String(ownId ?? position),
    ...(ownId === undefined ? {} : { ownId }),
    text,
    ...(typeof url === 'string' ? { url } : {}),
    ...(typeof title === 'string' ? { title } : {}),
    where,
    position,
  };
}

/**
 * A list of values → checked items with unique ids. Throws SOURCE_INVALID for an empty list, a
 * bad item, or an id used twice (naming both places).
 *
 * @example
 * checkItems(['a', { id: 'b', text: 'b' }], 'faq.json', (i) => `faq.json[${i}]`).map((item) => item.id); // ['0', 'b']
 */
export function checkItems(values: readonly unknown[], name: string, whereOf: (i: number) => string): TextItem[] {
  if (values.length === 0) throw noItems(name, 'item');
  const ids = new UniqueIds(whereOf);
  return values.map((value, i) => {
    const item = checkItem(value, { where: whereOf(i), position: i, unit: 'item' });
    ids.claim(item, i);
    return item;
  });
}

/**
 * Refuses an item whose id an earlier one has: the search store replaces by id, the widget would
 * show one result for two texts, and `tabembed embed`'s output could not be joined back to its
 * input. Keeps each id and a number for where it first stood (a line or an index), not the text,
 * so a stream of millions of lines holds only its ids.
 */
export class UniqueIds {
  readonly #firstAt = new Map<string, number>();
  readonly #whereOf: (at: number) => string;

  constructor(whereOf: (at: number) => string) {
    this.#whereOf = whereOf;
  }

  claim(item: TextItem, at: number): void {
    const earlier = this.#firstAt.get(item.id);
    if (earlier !== undefined) {
      throw new EmbedError(
        'SOURCE_INVALID',
        `${item.where}: id ${JSON.stringify(item.id)} is already used by ${this.#whereOf(earlier)}; give every item its own id`,
        { index: item.position },
      );
    }
    this.#firstAt.set(item.id, at);
  }
}

/** `docs.jsonl:3: "text" is empty; each line must be …`: the shape of every refusal of one item. */
export function itemRefusal(place: ItemPlace, what: string): EmbedError {
  return new EmbedError('SOURCE_INVALID', `${place.where}: ${what}; each ${place.unit} must be ${ITEM_SHAPE}`, {
    index: place.position,
  });
}

/** A file, list or stream with nothing in it to read. */
export function noItems(name: string, unit: ItemPlace['unit']): EmbedError {
  return new EmbedError(
    'SOURCE_INVALID',
    `${name} holds no items; give it at least one: each ${unit} must be ${ITEM_SHAPE}`,
  );
}

/** http(s) or a relative reference; never javascript:, data: or other schemes a click would run. */
function isFollowableUrl(value: unknown): value is string {
  if (typeof value !== 'string' || value.trim() === '') return false;
  try {
    const { protocol } = new URL(value, 'https://relative.invalid/');
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}
