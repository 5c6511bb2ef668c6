/** The precomputed index file: what `tabembed index` writes and `<semantic-search>` reads. */
import { describe, expect, it } from 'vitest';
import { EmbedError } from '../../src/core/errors.ts';
import { decodeFloat32Base64, encodeFloat32Base64 } from '../../src/core/base64-float32.ts';
import { buildFingerprint } from '../../src/search/fingerprint.ts';
import {
  checkIndexFits,
  INDEX_POLICY,
  parseIndex,
  parseSourceText,
  serializeIndex,
  type PrecomputedIndex,
} from '../../src/search/index-file.ts';
import type { IndexFingerprint } from '../../src/protocol/search-data.ts';

const DIMS = 4;
const FP: IndexFingerprint = buildFingerprint(
  { model: '/models/qwen3-tiny/', revision: undefined, dtype: 'q8' },
  DIMS,
  INDEX_POLICY,
);

function unit(values: number[]): number[] {
  const norm = Math.hypot(...values);
  return values.map((v) => v / norm);
}

const INDEX: PrecomputedIndex = {
  fingerprint: FP,
  instruction: 'Find the help page',
  items: [
    { id: 'reset', text: 'Reset your password', url: '/help/reset', title: 'Passwords' },
    { id: '1', text: '密码重置' },
  ],
  vectors: Float32Array.from([...unit([1, 2, 3, 4]), ...unit([-0.5, 0.25, 1e-3, 7])]),
};

/** The file as JSON, changed by `edit`, then parsed: the error it gives. */
function parseEdited(edit: (file: Record<string, unknown>) => void): () => PrecomputedIndex {
  const file = JSON.parse(serializeIndex(INDEX)) as Record<string, unknown>;
  edit(file);
  return () => parseIndex(JSON.parse(JSON.stringify(file)), 'index.json');
}

function field(file: Record<string, unknown>, name: string): Record<string, unknown> {
  return file[name] as Record<string, unknown>;
}

describe('base64 float32 block', () => {
  it('writes little-endian bytes: [1, -2] is 00 00 80 3f 00 00 00 c0', () => {
    expect(encodeFloat32Base64(new Float32Array([1, -2]))).toBe(
      Buffer.from([0, 0, 0x80, 0x3f, 0, 0, 0, 0xc0]).toString('base64'),
    );
  });

  it('round-trips every float32 bit pattern it is given, for lengths that pad with 0, 1 and 2 "="', () => {
    for (const n of [1, 2, 3, 5, 300]) {
      const values = Float32Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898) * 1e3 - i / 7);
      const text = encodeFloat32Base64(values);
      expect(text).toBe(Buffer.from(values.buffer).toString('base64')); // Node's codec, on this little-endian machine
      expect(Array.from(decodeFloat32Base64(text, 'x'))).toEqual(Array.from(values));
    }
  });

  it('rejects text that is not base64, with the position of the bad character', () => {
    expect(() => decodeFloat32Base64('AACA?wAA', 'vectors.data')).toThrow(
      'vectors.data has "?" at character 4, which is not base64',
    );
    expect(() => decodeFloat32Base64('AACAPwA', 'vectors.data')).toThrow('7 characters long, not a multiple of 4');
    expect(() => decodeFloat32Base64('AACA', 'vectors.data')).toThrow(
      'holds 3 bytes, not a whole number of float32 values',
    );
  });
});

describe('index file', () => {
  it('round-trips fingerprint, instruction, items and vectors exactly', () => {
    const text = serializeIndex(INDEX);
    const back = parseIndex(JSON.parse(text), 'index.json');
    expect(back.fingerprint).toEqual(FP);
    expect(back.instruction).toBe('Find the help page');
    expect(back.items).toEqual(INDEX.items);
    expect(Array.from(back.vectors)).toEqual(Array.from(INDEX.vectors));
    expect(serializeIndex(back)).toBe(text); // deterministic
  });

  it('stores the vectors as one base64 block and a null revision, not number arrays', () => {
    const file = JSON.parse(serializeIndex(INDEX)) as Record<string, unknown>;
    expect(file['format']).toBe('tabembed-index');
    expect(file['version']).toBe(1);
    expect(field(file, 'fingerprint')['revision']).toBeNull();
    expect(field(file, 'fingerprint')['instructionPolicy']).toBe(
      'documents raw; queries "Instruct: {task}\\nQuery:{text}"',
    );
    expect(field(file, 'vectors')).toEqual({
      encoding: 'float32-le-base64',
      count: 2,
      dimensions: 4,
      data: encodeFloat32Base64(INDEX.vectors),
    });
  });

  it('keeps a pinned revision', () => {
    const pinned = { ...INDEX, fingerprint: { ...FP, revision: 'c25a394d' } };
    expect(parseIndex(JSON.parse(serializeIndex(pinned)), 'i').fingerprint.revision).toBe('c25a394d');
  });

  it.each([
    [
      'not an object',
      (f: Record<string, unknown>) => Object.assign(f, { format: ['x'] }),
      'index.json: "format" is an array; expected "tabembed-index"',
    ],
    [
      'a newer version',
      (f: Record<string, unknown>) => (f['version'] = 2),
      '"version" is number 2; this tabembed reads version 1',
    ],
    [
      'a fractional version',
      (f: Record<string, unknown>) => (f['version'] = 1.5),
      '"version" is number 1.5; expected 1',
    ],
    [
      'no fingerprint',
      (f: Record<string, unknown>) => delete f['fingerprint'],
      '"fingerprint" is missing; expected { model, revision, dtype, dimensions, instructionPolicy }',
    ],
    [
      'an empty model',
      (f: Record<string, unknown>) => (field(f, 'fingerprint')['model'] = ''),
      '"fingerprint.model" is ""; expected a non-empty string',
    ],
    [
      'a numeric revision',
      (f: Record<string, unknown>) => (field(f, 'fingerprint')['revision'] = 3),
      '"fingerprint.revision" is number 3; expected a string, or null',
    ],
    [
      'no dtype',
      (f: Record<string, unknown>) => delete field(f, 'fingerprint')['dtype'],
      '"fingerprint.dtype" is missing',
    ],
    [
      'zero dimensions',
      (f: Record<string, unknown>) => (field(f, 'fingerprint')['dimensions'] = 0),
      '"fingerprint.dimensions" is number 0; expected a whole number ≥ 1',
    ],
    [
      'no policy',
      (f: Record<string, unknown>) => delete field(f, 'fingerprint')['instructionPolicy'],
      '"fingerprint.instructionPolicy" is missing',
    ],
    [
      'a blank instruction',
      (f: Record<string, unknown>) => (f['instruction'] = ' '),
      '"instruction" is " "; expected the query task',
    ],
    [
      'items not an array',
      (f: Record<string, unknown>) => (f['items'] = {}),
      '"items" is an object; expected an array',
    ],
    [
      'an item without text',
      (f: Record<string, unknown>) => ((f['items'] as unknown[])[1] = { id: 'x' }),
      'index.json: items[1]: "text" is missing, not a string',
    ],
    [
      'a javascript: url',
      (f: Record<string, unknown>) => ((f['items'] as Record<string, unknown>[])[0]!['url'] = 'javascript:alert(1)'),
      'items[0]: "url" is "javascript:alert(1)", not an http(s) or relative URL',
    ],
    [
      'a repeated id',
      (f: Record<string, unknown>) => ((f['items'] as Record<string, unknown>[])[1]!['id'] = 'reset'),
      'items[1]: id "reset" is already used by index.json: items[0]',
    ],
    [
      'another encoding',
      (f: Record<string, unknown>) => (field(f, 'vectors')['encoding'] = 'json'),
      '"vectors.encoding" is "json"; expected "float32-le-base64"',
    ],
    [
      'a count other than the items',
      (f: Record<string, unknown>) => (field(f, 'vectors')['count'] = 3),
      '"vectors.count" is number 3; expected 2, one row per item',
    ],
    [
      'dimensions other than the fingerprint',
      (f: Record<string, unknown>) => (field(f, 'vectors')['dimensions'] = 8),
      '"vectors.dimensions" is number 8; expected 4',
    ],
    [
      'a short block',
      (f: Record<string, unknown>) => (field(f, 'vectors')['data'] = encodeFloat32Base64(new Float32Array(7))),
      '"vectors.data"; it holds 7 float32 values, expected 2 items × 4 dimensions = 8',
    ],
    [
      'a corrupt character',
      (f: Record<string, unknown>) =>
        (field(f, 'vectors')['data'] = `!${String(field(f, 'vectors')['data']).slice(1)}`),
      '"vectors.data" has "!" at character 0',
    ],
    [
      'a row that is not unit length',
      (f: Record<string, unknown>) =>
        (field(f, 'vectors')['data'] = encodeFloat32Base64(
          Float32Array.from([...INDEX.vectors.subarray(0, 4), 1, 1, 0, 0]),
        )),
      'row 1 (item "1") has length 1.4142, not 1',
    ],
    [
      'a NaN row',
      (f: Record<string, unknown>) =>
        (field(f, 'vectors')['data'] = encodeFloat32Base64(
          Float32Array.from([NaN, 0, 0, 0, ...INDEX.vectors.subarray(4)]),
        )),
      'row 0 (item "reset") has length NaN, not 1',
    ],
  ])('rejects %s with SOURCE_INVALID naming the field', (_what, edit, message) => {
    const parse = parseEdited(edit);
    expect(parse).toThrow(EmbedError);
    expect(parse).toThrow(expect.objectContaining({ code: 'SOURCE_INVALID' }));
    expect(parse).toThrow(message);
  });
});

describe('source text: index or corpus', () => {
  it('reads an object with "format" as an index', () => {
    const source = parseSourceText(serializeIndex(INDEX), '/index.json');
    expect(source.kind).toBe('index');
  });

  it('reads a JSON array of strings and objects as a corpus, ids defaulting to positions', () => {
    expect(
      parseSourceText(
        '["alpha", {"text":"beta","url":"https://example.org/b","title":"B"}, {"id":9,"text":"gamma"}]',
        'c.json',
      ),
    ).toEqual({
      kind: 'corpus',
      items: [
        { id: '0', text: 'alpha' },
        { id: '1', text: 'beta', url: 'https://example.org/b', title: 'B' },
        { id: '9', text: 'gamma' },
      ],
    });
  });

  it('reads JSONL, skipping blank lines, and names the line of a bad one', () => {
    expect(parseSourceText('"one"\n\n{"id":"b","text":"two"}\r\n', 'd.jsonl')).toEqual({
      kind: 'corpus',
      items: [
        { id: '0', text: 'one' },
        { id: 'b', text: 'two' },
      ],
    });
    expect(() => parseSourceText('"one"\n\n{"text":', 'd.jsonl')).toThrow(/^d\.jsonl:3: not JSON \(/);
    expect(() => parseSourceText('"one"\n{"text":""}', 'd.jsonl')).toThrow('d.jsonl:2: "text" is empty');
  });

  it('rejects an empty file and an empty array with SOURCE_INVALID', () => {
    expect(() => parseSourceText('  \n', 'e.json')).toThrow(
      expect.objectContaining({ code: 'SOURCE_INVALID', message: expect.stringContaining('e.json is empty') }),
    );
    expect(() => parseSourceText('[]', 'e.json')).toThrow('e.json holds no items');
  });
});

describe('index against the loaded model', () => {
  it('passes when every field matches', () => {
    expect(() => checkIndexFits(FP, { ...FP }, 'index.json')).not.toThrow();
  });

  it('names only the fields that differ, and says how to rebuild or which model to load', () => {
    const loaded = { ...FP, model: 'onnx-community/Qwen3-Embedding-0.6B-ONNX', revision: 'c25a394d', dtype: 'q4' };
    const check = (): void => checkIndexFits(FP, loaded, '/search/index.json');
    expect(check).toThrow(expect.objectContaining({ code: 'INDEX_MISMATCH' }));
    expect(check).toThrow(
      '/search/index.json was built with another model setup (model /models/qwen3-tiny/, not onnx-community/Qwen3-Embedding-0.6B-ONNX; revision none pinned, not c25a394d; dtype q8, not q4)',
    );
    expect(check).toThrow(
      "rebuild the index for this model: `tabembed index --model <this model's files> --model-id onnx-community/Qwen3-Embedding-0.6B-ONNX --dtype q4 --dimensions 4`",
    );
    expect(check).toThrow('or load the model the index names (model="/models/qwen3-tiny/" dtype="q8" on the element)');
  });

  it('reports a dimensions-only difference alone', () => {
    expect(() => checkIndexFits(FP, { ...FP, dimensions: 64 }, 'i')).toThrow('(dimensions 4, not 64)');
  });
});
