/**
 * Text items one per line (JSONL), by one rule for every reader: `tabembed embed` streaming
 * stdin, `tabembed index`, a `<semantic-search>` corpus file, the search page's .jsonl files.
 *
 * - A UTF-8 byte-order mark at the very start is dropped: Windows editors write one, and Node's
 *   stream decoding keeps it where a browser's File.text() drops it. Anywhere else it is an error.
 * - A line ends at "\n". A "\r" before it (CRLF) is JSON whitespace; so is a lone "\r", which is
 *   therefore no line end (unlike Node's readline), so every reader counts the same lines.
 * - A blank line is skipped: it counts as a line, not as an item.
 * - Any other line is one JSON value, an item by `checkItem`'s rule; one that is not JSON is
 *   refused naming `name:line` and the rule. Ids are unique across the lines; no item at all is
 *   refused.
 *
 * One reader serves a whole text (`readJsonLines`) and a stream of text pieces
 * (`readJsonLineStream`), so `tabembed embed` never holds all of its input.
 */
import { tryJson } from './json-value.ts';
import { checkItem, itemRefusal, noItems, UniqueIds, type TextItem } from './text-item.ts';

const BYTE_ORDER_MARK = '\uFEFF';

export function dropByteOrderMark(text: string): string {
  return text.startsWith(BYTE_ORDER_MARK) ? text.slice(1) : text;
}

/** Reads one line at a time, keeping what the rule needs across lines: the count of lines and items, and the ids. */
export class JsonLinesReader {
  readonly #name: string;
  readonly #ids: UniqueIds;
  #lines = 0;
  #items = 0;

  /** `name` starts every message: a file name, or `<stdin>`. */
  constructor(name: string) {
    this.#name = name;
    this.#ids = new UniqueIds((line) => `${name}:${line}`);
  }

  /** The next line, without its "\n" → its item, or undefined for a blank line. Throws SOURCE_INVALID. */
  line(raw: string): TextItem | undefined {
    this.#lines++;
    const text = this.#lines === 1 ? dropByteOrderMark(raw) : raw;
    if (text.trim() === '') return undefined;
    const place = { where: `${this.#name}:${this.#lines}`, position: this.#items, unit: 'line' } as const;
    const parsed = tryJson(text);
    if (!parsed.ok) throw itemRefusal(place, `not JSON (${parsed.reason})`);
    const item = checkItem(parsed.value, place);
    this.#ids.claim(item, this.#lines);
    this.#items++;
    return item;
  }

  /** After the last line: throws SOURCE_INVALID when no line held an item. */
  end(): void {
    if (this.#items === 0) throw noItems(this.#name, 'line');
  }
}

/**
 * A whole JSONL text → its items.
 *
 * @example
 * readJsonLines('\uFEFF"one"\r\n\n{"id":7,"text":"two"}\n', 'docs.jsonl').map(({ id, text }) => ({ id, text }));
 * // [{ id: '0', text: 'one' }, { id: '7', text: 'two' }]
 * readJsonLines('"one"\n{oops', 'docs.jsonl'); // throws SOURCE_INVALID 'docs.jsonl:2: not JSON (…); each line must be …'
 */
export function readJsonLines(text: string, name: string): TextItem[] {
  const reader = new JsonLinesReader(name);
  const items = text.split('\n').flatMap((line) => reader.line(line) ?? []);
  reader.end();
  return items;
}

/**
 * JSONL arriving in pieces of any size (a decoded stream) → its items, each as soon as its line
 * is complete. Gives what `readJsonLines` gives for the pieces joined, and throws the same.
 */
export async function* readJsonLineStream(pieces: AsyncIterable<string>, name: string): AsyncGenerator<TextItem> {
  const reader = new JsonLinesReader(name);
  // The current line so far, in the pieces it came in: joined once, so a long line costs no re-copying.
  let partial: string[] = [];
  for await (const piece of pieces) {
    let start = 0;
    for (let end = piece.indexOf('\n'); end !== -1; end = piece.indexOf('\n', start)) {
      partial.push(piece.slice(start, end));
      const item = reader.line(partial.join(''));
      partial = [];
      if (item) yield item;
      start = end + 1;
    }
    partial.push(piece.slice(start));
  }
  const last = reader.line(partial.join(''));
  if (last) yield last;
  reader.end();
}
