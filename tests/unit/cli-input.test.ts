import { describe, expect, it } from 'vitest';
import { EmbedError } from '../../src/core/errors.ts';
import { parseEmbedCommand, UsageError } from '../../src/node/cli-args.ts';
import { parseInputLine } from '../../src/node/jsonl-input.ts';

describe('parseEmbedCommand', () => {
  it('parses --query, --dimensions 64 and --backend wasm', () => {
    expect(
      parseEmbedCommand([
        'embed',
        '--model',
        'public/models/qwen3-tiny',
        '--query',
        '--dimensions',
        '64',
        '--backend',
        'wasm',
      ]),
    ).toEqual({
      model: 'public/models/qwen3-tiny',
      dtype: 'auto',
      kind: 'query',
      instruction: undefined,
      dimensions: 64,
      maxTokens: undefined,
      backend: 'wasm',
    });
  });

  it('defaults to documents, auto dtype and the native backend', () => {
    expect(
      parseEmbedCommand([
        'embed',
        '--model',
        'org/m',
        '--dtype',
        'q8',
        '--instruction',
        'Find code',
        '--max-tokens',
        '512',
      ]),
    ).toEqual({
      model: 'org/m',
      dtype: 'q8',
      kind: 'document',
      instruction: 'Find code',
      dimensions: undefined,
      maxTokens: 512,
      backend: 'native',
    });
  });

  it('rejects an unknown command with a UsageError', () => {
    expect(() => parseEmbedCommand(['index', '--model', 'm'])).toThrow(UsageError);
    expect(() => parseEmbedCommand(['index', '--model', 'm'])).toThrow('unknown command "index"');
    expect(() => parseEmbedCommand([])).toThrow('missing command');
  });

  it('rejects a missing --model with a UsageError', () => {
    expect(() => parseEmbedCommand(['embed', '--query'])).toThrow(UsageError);
    expect(() => parseEmbedCommand(['embed', '--query'])).toThrow('--model is required');
  });

  it('rejects a bad --backend with a UsageError', () => {
    expect(() => parseEmbedCommand(['embed', '--model', 'm', '--backend', 'webgpu'])).toThrow(UsageError);
    expect(() => parseEmbedCommand(['embed', '--model', 'm', '--backend', 'webgpu'])).toThrow(
      '--backend must be native or wasm, got webgpu',
    );
  });

  it('rejects a non-integer --dimensions with a UsageError', () => {
    expect(() => parseEmbedCommand(['embed', '--model', 'm', '--dimensions', '64.5'])).toThrow(UsageError);
    expect(() => parseEmbedCommand(['embed', '--model', 'm', '--dimensions', 'sixty'])).toThrow(
      '--dimensions must be a whole number, got sixty',
    );
  });

  it('rejects an unknown flag', () => {
    expect(() => parseEmbedCommand(['embed', '--model', 'm', '--verbose'])).toThrow(/--verbose/);
  });
});

describe('parseInputLine', () => {
  it('gives a JSON string line its item number as id', () => {
    expect(parseInputLine('"hello world"', 4, 3)).toEqual({ id: 3, text: 'hello world' });
  });

  it('keeps the id of an object line', () => {
    expect(parseInputLine('{"id":"doc-7","text":"Beijing"}', 1, 0)).toEqual({ id: 'doc-7', text: 'Beijing' });
    expect(parseInputLine('{"id":12,"text":"x"}', 1, 0)).toEqual({ id: 12, text: 'x' });
  });

  it('gives an object line without id its item number', () => {
    expect(parseInputLine('{"text":"x"}', 9, 5)).toEqual({ id: 5, text: 'x' });
  });

  it('skips a blank line', () => {
    expect(parseInputLine('', 1, 0)).toBeUndefined();
    expect(parseInputLine('   \t', 2, 0)).toBeUndefined();
  });

  it('rejects invalid JSON with INVALID_INPUT naming the line', () => {
    expect(() => parseInputLine('{"text": ', 7, 6)).toThrow(EmbedError);
    expect(() => parseInputLine('{"text": ', 7, 6)).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT', message: expect.stringMatching(/^line 7: not JSON/), index: 6 }),
    );
  });

  it('rejects an object without a string text, naming the line', () => {
    expect(() => parseInputLine('{"id":1}', 3, 2)).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT', message: 'line 3: "text" must be a string' }),
    );
    expect(() => parseInputLine('{"text":5}', 3, 2)).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT', message: 'line 3: "text" must be a string' }),
    );
  });

  it('rejects an id that is neither string nor number', () => {
    expect(() => parseInputLine('{"id":[1],"text":"x"}', 2, 1)).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT', message: 'line 2: "id" must be a string or a number' }),
    );
  });

  it('rejects an array line with INVALID_INPUT naming the line', () => {
    expect(() => parseInputLine('["a","b"]', 11, 10)).toThrow(
      expect.objectContaining({
        code: 'INVALID_INPUT',
        message: expect.stringMatching(/^line 11: expected a JSON string or an object/),
      }),
    );
    expect(() => parseInputLine('42', 12, 10)).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT', message: expect.stringMatching(/^line 12:/) }),
    );
  });
});
