/**
 * `tabembed embed`'s input: text items one per line on stdin, read as it arrives, by the rule
 * every reader of such lines shares (`src/search/json-lines.ts`): a JSON string or
 * `{"id":…,"text":…}` per line, blank lines skipped, a leading byte-order mark dropped, the
 * first bad line refused with SOURCE_INVALID naming `<stdin>:line`.
 */
import { readJsonLineStream } from '../search/json-lines.ts';
import { decodeUtf8 } from './cli-io.ts';

export interface InputItem {
  /** As written on the line (a number stays a number), else the item's 0-based number. */
  id: string | number;
  text: string;
}

/**
 * @example
 * for await (const item of readInputItems(process.stdin)) …; // '"hi"\n{"id":"b","text":"yo"}' → { id: 0, text: 'hi' }, { id: 'b', text: 'yo' }
 */
export async function* readInputItems(stdin: NodeJS.ReadableStream, name = '<stdin>'): AsyncGenerator<InputItem> {
  for await (const { ownId, position, text } of readJsonLineStream(decodeUtf8(stdin), name))
    yield { id: ownId ?? position, text };
}
