/**
 * One rule for "a JSON string or an object with text, per line", and the three readers that
 * apply it agree: a corpus file (`<semantic-search src>` and `tabembed index`), a .jsonl file on
 * the search page, and `tabembed embed`'s stdin, streamed. Every case runs through each reader;
 * a reader that accepted, refused or numbered differently fails its own row.
 */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { EmbedError } from '../../src/core/errors.ts';
import { sourcesFromFile } from '../../src/demo/search/source-files.ts';
import { readInputItems } from '../../src/node/jsonl-input.ts';
import { parseCorpusText } from '../../src/search/corpus-file.ts';
import { readJsonLines, readJsonLineStream } from '../../src/search/json-lines.ts';
import type { TextItem } from '../../src/search/text-item.ts';

const NAME = 'x.jsonl';
/** The end of every refusal of a line: what a line must be, spelled out once here. */
const RULE =
  '; each line must be a non-empty string, or { "id"?: non-empty string or finite number, "text": non-empty string, "url"?: http(s) or relative URL, "title"?: string }';

/** [id, text] as each reader reports them, ids as strings. */
type Read = [string, string][];

/** Runs `text` through one reader: the items it gives, or the error it throws. */
type Reader = (text: string) => Promise<Read>;

const byteChunks = (bytes: Buffer, size: number): Buffer[] =>
  Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => bytes.subarray(i * size, (i + 1) * size));

/** `tabembed embed`'s reader on the input's UTF-8 bytes, cut into chunks of `size` bytes (0: one chunk). */
function embedReader(size: number): Reader {
  return async (text) => {
    const bytes = Buffer.from(text, 'utf8');
    const read: Read = [];
    for await (const item of readInputItems(Readable.from(size === 0 ? [bytes] : byteChunks(bytes, size)), NAME))
      read.push([String(item.id), item.text]);
    return read;
  };
}

/** A synchronous reader's result, or its throw, as a promise. */
const later = (read: () => Read): Promise<Read> => Promise.resolve().then(read);

const READERS: [string, Reader][] = [
  [
    'corpus file (widget, tabembed index)',
    (text) => later(() => parseCorpusText(text, NAME).map((i) => [i.id, i.text])),
  ],
  [
    'search page .jsonl file',
    (text) =>
      later(() =>
        sourcesFromFile({ name: NAME, text }).map((s): [string, string] => [s.id.replace(`file:${NAME}#`, ''), s.text]),
      ),
  ],
  ['tabembed embed stdin, one chunk', embedReader(0)],
  // One byte at a time splits every "\r\n" and every multi-byte character across chunks.
  ['tabembed embed stdin, 1-byte chunks', embedReader(1)],
  ['tabembed embed stdin, 5-byte chunks', embedReader(5)],
];

const ACCEPTED: [string, string, Read][] = [
  [
    'a byte-order mark at the start is dropped',
    '\uFEFF"a"\n{"text":"b"}',
    [
      ['0', 'a'],
      ['1', 'b'],
    ],
  ],
  [
    'CRLF line ends',
    '"a"\r\n{"id":"k","text":"b"}\r\n',
    [
      ['0', 'a'],
      ['k', 'b'],
    ],
  ],
  [
    'blank lines are skipped and not numbered',
    '\n"a"\n \t\r\n\n"b"\n\n',
    [
      ['0', 'a'],
      ['1', 'b'],
    ],
  ],
  [
    'own ids kept, the others numbered by position',
    '"a"\n{"id":7,"text":"b"}\n{"text":"c","url":"/c","title":"C"}',
    [
      ['0', 'a'],
      ['7', 'b'],
      ['2', 'c'],
    ],
  ],
  [
    'multi-byte text',
    '"你好，世界"\r\n{"text":"😀 ok"}',
    [
      ['0', '你好，世界'],
      ['1', '😀 ok'],
    ],
  ],
];

const REFUSED: [string, string, string | RegExp][] = [
  [
    'a line that is not JSON',
    '"a"\n{oops}\n"c"',
    /^x\.jsonl:2: not JSON \(.+\); each line must be a non-empty string, or \{ "id"\?/,
  ],
  ['a lone CR, which is no line end', '"a"\r"b"\n', /^x\.jsonl:1: not JSON \(/],
  ['a byte-order mark after the start', '"a"\n\uFEFF"b"', /^x\.jsonl:2: not JSON \(/],
  ['a number line', '"a"\n42', `x.jsonl:2: expected a string or an object, got number 42${RULE}`],
  ['an array line', '"a"\n["b","c"]', `x.jsonl:2: expected a string or an object, got an array${RULE}`],
  ['a null line', '\nnull', `x.jsonl:2: expected a string or an object, got null${RULE}`],
  ['an object without text', '{"id":"a"}', `x.jsonl:1: "text" is missing, not a string${RULE}`],
  ['a text that is not a string', '{"text":5}', `x.jsonl:1: "text" is number 5, not a string${RULE}`],
  ['an empty text', '{"text":" \\t"}', `x.jsonl:1: "text" is empty${RULE}`],
  ['an empty string line', '"a"\n"  "', `x.jsonl:2: the text is empty${RULE}`],
  [
    'an id of a wrong type',
    '{"id":true,"text":"a"}',
    `x.jsonl:1: "id" is boolean true, not a non-empty string or a finite number${RULE}`,
  ],
  [
    'an id that is not finite',
    '{"id":1e999,"text":"a"}',
    `x.jsonl:1: "id" is number Infinity, not a non-empty string or a finite number${RULE}`,
  ],
  ['an empty id', '{"id":"","text":"a"}', `x.jsonl:1: "id" is "", not a non-empty string or a finite number${RULE}`],
  [
    'a url a click would run',
    '{"text":"a","url":"javascript:alert(1)"}',
    `x.jsonl:1: "url" is "javascript:alert(1)", not an http(s) or relative URL${RULE}`,
  ],
  ['a title that is not a string', '{"text":"a","title":7}', `x.jsonl:1: "title" is number 7, not a string${RULE}`],
  [
    'a duplicate id',
    '{"id":"a","text":"x"}\n\n{"id":"a","text":"y"}',
    'x.jsonl:3: id "a" is already used by x.jsonl:1; give every item its own id',
  ],
  [
    'a number id and a string id that read the same',
    '{"id":1,"text":"x"}\n{"id":"1","text":"y"}',
    'x.jsonl:2: id "1" is already used by x.jsonl:1; give every item its own id',
  ],
  [
    "an own id equal to an earlier item's number",
    '"x"\n{"id":0,"text":"y"}',
    'x.jsonl:2: id "0" is already used by x.jsonl:1; give every item its own id',
  ],
  ['only blank lines', '\n  \r\n', `x.jsonl holds no items; give it at least one:${RULE.slice(1)}`],
  ['nothing at all', '', `x.jsonl holds no items; give it at least one:${RULE.slice(1)}`],
];

describe.each(READERS)('%s', (_reader, read) => {
  it.each(ACCEPTED)('reads %s', async (_what, text, items) => {
    await expect(read(text)).resolves.toEqual(items);
  });

  it.each(REFUSED)('refuses %s with SOURCE_INVALID naming the line', async (_what, text, message) => {
    const refusal = read(text);
    await expect(refusal).rejects.toThrow(EmbedError);
    await expect(refusal).rejects.toThrow(
      expect.objectContaining({
        code: 'SOURCE_INVALID',
        message: typeof message === 'string' ? message : expect.stringMatching(message),
      }),
    );
  });
});

describe('one reader for a whole text and for a stream', () => {
  it('gives the stream the items the whole text gives, however the text is cut', async () => {
    const text = '\uFEFF"a"\r\n\n{"id":9,"text":"b\\nstill b","url":"https://example.org/b","title":"B"}\n"c"';
    const whole = readJsonLines(text, NAME);
    expect(whole.map((item) => item.where)).toEqual(['x.jsonl:1', 'x.jsonl:3', 'x.jsonl:4']);
    for (const size of [1, 2, 7, text.length]) {
      const pieces = Array.from({ length: Math.ceil(text.length / size) }, (_, i) =>
        text.slice(i * size, (i + 1) * size),
      );
      const streamed: TextItem[] = [];
      for await (const item of readJsonLineStream(toAsync(pieces), NAME)) streamed.push(item);
      expect(streamed).toEqual(whole);
    }
  });

  it('hands each item over as soon as its line ends, before the rest of the input arrives', async () => {
    let piecesTaken = 0;
    async function* pieces(): AsyncGenerator<string> {
      for (const piece of ['"first"\n"sec', 'ond"\n', '{broken']) {
        piecesTaken++;
        yield piece;
      }
    }
    const items = readJsonLineStream(pieces(), NAME);
    await expect(items.next()).resolves.toMatchObject({ value: { text: 'first' } });
    expect(piecesTaken).toBe(1);
    await expect(items.next()).resolves.toMatchObject({ value: { text: 'second' } });
    expect(piecesTaken).toBe(2);
    await expect(items.next()).rejects.toThrow(/^x\.jsonl:3: not JSON/);
  });
});

async function* toAsync(pieces: string[]): AsyncGenerator<string> {
  for (const piece of pieces) yield await Promise.resolve(piece);
}
