/**
 * Bad files: what `<semantic-search src>` fetches (a precomputed index from `tabembed index`, or
 * a plain corpus), read by `parseSourceText`, and what a visitor adds to the search page's index
 * (`sourcesFromFile`). Each index case edits one field of a valid index. Every rule for a JSONL
 * line, through every reader, is in tests/search/json-lines.test.ts; here one per surface.
 */
import { encodeFloat32Base64 } from '../../src/core/base64-float32.ts';
import { buildFingerprint } from '../../src/search/fingerprint.ts';
import { INDEX_POLICY, serializeIndex, type PrecomputedIndex } from '../../src/search/index-file.ts';
import type { BadInput } from './bad-input.ts';

const DIMS = 4;

function unit(values: number[]): number[] {
  const norm = Math.hypot(...values);
  return values.map((v) => v / norm);
}

/** A valid two-item index of 4 dimensions, the one every index case edits. */
export const GOOD_INDEX: PrecomputedIndex = {
  fingerprint: buildFingerprint({ model: '/models/qwen3-tiny/', revision: undefined, dtype: 'q8' }, DIMS, INDEX_POLICY),
  instruction: 'Find the help page',
  items: [
    { id: 'reset', text: 'Reset your password', url: '/help/reset', title: 'Passwords' },
    { id: '1', text: '密码重置' },
  ],
  vectors: Float32Array.from([...unit([1, 2, 3, 4]), ...unit([-0.5, 0.25, 1e-3, 7])]),
};

/** A parsed index file and its three parts, for one edit to reach into. */
interface IndexFile {
  file: Record<string, unknown>;
  fingerprint: Record<string, unknown>;
  items: Record<string, unknown>[];
  vectors: Record<string, unknown>;
}

/** The index file with one field changed: `given` shows the change. */
function index(kind: string, given: string, edit: (parts: IndexFile) => void, names: string): BadInput {
  const file = JSON.parse(serializeIndex(GOOD_INDEX)) as Record<string, unknown> & Omit<IndexFile, 'file'>;
  edit({ file, fingerprint: file.fingerprint, items: file.items, vectors: file.vectors });
  return {
    surface: 'widget-src',
    kind,
    name: 'index.json',
    text: JSON.stringify(file),
    given: `index.json with ${given}`,
    expect: { code: 'SOURCE_INVALID', names },
  };
}

function src(kind: string, name: string, text: string, names: string): BadInput {
  return { surface: 'widget-src', kind, name, text, expect: { code: 'SOURCE_INVALID', names } };
}

const block = (values: number[]): string => encodeFloat32Base64(Float32Array.from(values));

export const WIDGET_SRC_CASES: BadInput[] = [
  src('an empty file', 'e.json', '  \n', 'e.json is empty; give it a tabembed index'),
  src('an empty array', 'e.json', '[]', 'e.json holds no items'),
  src('a JSONL line that is not JSON', 'd.jsonl', '"one"\n\n{"text":', 'd.jsonl:3: not JSON ('),
  index(
    'another format',
    '"format": ["x"]',
    ({ file }) => (file['format'] = ['x']),
    'index.json: "format" is an array; expected "tabembed-index"',
  ),
  index(
    'a newer version',
    '"version": 4',
    ({ file }) => (file['version'] = 4),
    '"version" is number 4; this tabembed reads versions 1 to 3',
  ),
  index(
    'a fractional version',
    '"version": 1.5',
    ({ file }) => (file['version'] = 1.5),
    '"version" is number 1.5; expected 1',
  ),
  index(
    'no fingerprint',
    'no "fingerprint"',
    ({ file }) => delete file['fingerprint'],
    '"fingerprint" is missing; expected { model, revision, dtype, dimensions, instructionPolicy }',
  ),
  index(
    'an empty model',
    '"fingerprint.model": ""',
    ({ fingerprint }) => (fingerprint['model'] = ''),
    '"fingerprint.model" is ""; expected a non-empty string',
  ),
  index(
    'a numeric revision',
    '"fingerprint.revision": 3',
    ({ fingerprint }) => (fingerprint['revision'] = 3),
    '"fingerprint.revision" is number 3; expected a string, or null',
  ),
  index(
    'no dtype',
    'no "fingerprint.dtype"',
    ({ fingerprint }) => delete fingerprint['dtype'],
    '"fingerprint.dtype" is missing',
  ),
  index(
    'zero dimensions',
    '"fingerprint.dimensions": 0',
    ({ fingerprint }) => (fingerprint['dimensions'] = 0),
    '"fingerprint.dimensions" is number 0; expected a whole number ≥ 1',
  ),
  index(
    'no instruction policy',
    'no "fingerprint.instructionPolicy"',
    ({ fingerprint }) => delete fingerprint['instructionPolicy'],
    '"fingerprint.instructionPolicy" is missing',
  ),
  index(
    'a blank instruction',
    '"instruction": " "',
    ({ file }) => (file['instruction'] = ' '),
    '"instruction" is " "; expected the query task',
  ),
  index(
    'items not an array',
    '"items": {}',
    ({ file }) => (file['items'] = {}),
    '"items" is an object; expected an array',
  ),
  index(
    'an item without text',
    '"items[1]": { "id": "x" }',
    ({ items }) => (items[1] = { id: 'x' }),
    'index.json: items[1]: "text" is missing, not a string',
  ),
  index(
    'a javascript: url',
    '"items[0].url": "javascript:alert(1)"',
    ({ items }) => (items[0] = { ...items[0], url: 'javascript:alert(1)' }),
    'items[0]: "url" is "javascript:alert(1)", not an http(s) or relative URL',
  ),
  index(
    'an id used twice',
    '"items[1].id": "reset"',
    ({ items }) => (items[1] = { ...items[1], id: 'reset' }),
    'items[1]: id "reset" is already used by index.json: items[0]',
  ),
  index(
    'another vector encoding',
    '"vectors.encoding": "json"',
    ({ vectors }) => (vectors['encoding'] = 'json'),
    '"vectors.encoding" is "json"; expected "float32-le-base64"',
  ),
  index(
    'a count other than the items',
    '"vectors.count": 3',
    ({ vectors }) => (vectors['count'] = 3),
    '"vectors.count" is number 3; expected 2, one row per item',
  ),
  index(
    'dimensions other than the fingerprint',
    '"vectors.dimensions": 8',
    ({ vectors }) => (vectors['dimensions'] = 8),
    '"vectors.dimensions" is number 8; expected 4',
  ),
  index(
    'vectors of the wrong length',
    '7 values in "vectors.data"',
    ({ vectors }) => (vectors['data'] = block(Array.from({ length: 7 }, () => 0.5))),
    '"vectors.data"; it holds 7 float32 values, expected 2 items × 4 dimensions = 8',
  ),
  index(
    'a character that is not base64',
    'a "!" in "vectors.data"',
    ({ vectors }) => (vectors['data'] = `!${String(vectors['data']).slice(1)}`),
    '"vectors.data" has "!" at character 0',
  ),
  index(
    'a row that is not unit length',
    'row 1 = [1, 1, 0, 0]',
    ({ vectors }) => (vectors['data'] = block([...GOOD_INDEX.vectors.subarray(0, 4), 1, 1, 0, 0])),
    'row 1 (item "1") has length 1.4142, not 1',
  ),
  index(
    'a NaN in a row',
    'row 0 = [NaN, 0, 0, 0]',
    ({ vectors }) => (vectors['data'] = block([Number.NaN, 0, 0, 0, ...GOOD_INDEX.vectors.subarray(4)])),
    'row 0 (item "reset") has length NaN, not 1',
  ),
];

function file(kind: string, name: string, text: string, names: string, html = false): BadInput {
  return {
    surface: 'search-files',
    kind,
    name,
    text,
    ...(html ? { html } : {}),
    expect: { code: 'SOURCE_INVALID', names },
  };
}

export const SEARCH_FILE_CASES: BadInput[] = [
  file(
    'an unsupported extension',
    'report.pdf',
    '%PDF',
    'report.pdf: unsupported file type .pdf; supported are .txt, .md, .json, .jsonl, .html, .htm',
  ),
  file('no extension', 'README', 'x', 'README: unsupported file type (no extension)'),
  file('an empty text file', 'notes.txt', '', 'notes.txt has no text (empty or only whitespace)'),
  file('a .json that does not parse', 'x.json', '[1,', 'x.json is not valid JSON ('),
  file('an empty JSON array', 'x.json', '[]', 'x.json holds no items'),
  file('a JSON number', 'x.json', '42', 'x.json: expected a string or an object, got number 42'),
  file('a JSON item with a bad id', 'x.json', '["a", {"text":"b","id":false}]', 'x.json[1]: "id" is boolean false'),
  file(
    'two items with one id',
    'x.json',
    '[{"text":"a","id":"d"},{"text":"b","id":"d"}]',
    'x.json[1]: id "d" is already used by x.json[0]',
  ),
  file('a JSONL line that is not JSON', 'c.jsonl', '"ok"\n{broken', 'c.jsonl:2: not JSON ('),
  file('a JSONL file of blank lines', 'c.jsonl', '\n\n', 'c.jsonl holds no items'),
  file('HTML without a converter', 'p.htm', '<p>x</p>', 'p.htm: HTML needs an htmlToText converter'),
  file('HTML with no visible text', 'blank.html', '<p> </p>', 'blank.html has no text', true),
];
