/** The precomputed index file: what `tabembed index` writes and `<semantic-search>` reads. */
import { describe, expect, it } from 'vitest';
import { decodeFloat32Base64, encodeFloat32Base64 } from '../../src/core/base64-float32.ts';
import {
  checkIndexFits,
  parseIndex,
  parseSourceText,
  serializeIndex,
  type PrecomputedIndex,
} from '../../src/search/index-file.ts';
import type { IndexFingerprint } from '../../src/protocol/search-data.ts';
import { GOOD_INDEX } from '../reliability/cases-files.ts';

/** The two-item, 4-dimension index the bad-input matrix damages field by field. */
const INDEX: PrecomputedIndex = GOOD_INDEX;
const FP: IndexFingerprint = INDEX.fingerprint;

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

  it('records where the vectors came from, reads files written before that, and compares spaces without it', () => {
    const source = {
      kind: 'remote',
      baseURL: 'http://gpu:8000/v1',
      engine: 'vllm',
      model: 'Qwen/Qwen3-Embedding-0.6B',
      verified: true,
    } as const;
    const remote = { ...INDEX, fingerprint: { ...FP, source } };
    const back = parseIndex(JSON.parse(serializeIndex(remote)), 'remote.json');
    expect(back.fingerprint.source).toEqual(source);
    // An index file written before `source` existed: no such field, and it loads as it did.
    expect(FP.source).toBeUndefined();
    expect(parseIndex(JSON.parse(serializeIndex(INDEX)), 'old.json').fingerprint).toEqual(FP);
    expect(() => checkIndexFits(back.fingerprint, FP, 'remote.json')).not.toThrow();
    const damaged = JSON.parse(serializeIndex(remote)) as Record<string, Record<string, unknown>>;
    (damaged['fingerprint'] ?? {})['source'] = { kind: 'remote', baseURL: 'http://gpu' };
    expect(() => parseIndex(damaged, 'bad.json')).toThrow(
      /bad\.json: "fingerprint\.source" is .*expected \{ "kind": "local" \}/,
    );
  });

  // Each damaged field it refuses is a case of the bad-input matrix (tests/reliability/cases-files.ts).
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

  it('reads JSONL, skipping blank lines', () => {
    expect(parseSourceText('"one"\n\n{"id":"b","text":"two"}\r\n', 'd.jsonl')).toEqual({
      kind: 'corpus',
      items: [
        { id: '0', text: 'one' },
        { id: 'b', text: 'two' },
      ],
    });
  });

  // A bad JSONL line, an empty file and an empty array are cases of the bad-input matrix.
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
