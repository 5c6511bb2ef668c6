import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseEmbedCommand } from '../../src/node/cli-args.ts';
import { readInputItems } from '../../src/node/jsonl-input.ts';

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

  // Each command line it refuses is a case of the bad-input matrix (tests/reliability/cases-cli.ts).
});

describe('readInputItems (tabembed embed stdin; the rule every reader shares: tests/search/json-lines.test.ts)', () => {
  async function readAll(input: string): Promise<unknown[]> {
    const items: unknown[] = [];
    for await (const item of readInputItems(Readable.from([Buffer.from(input)]))) items.push(item);
    return items;
  }

  it('keeps an own id as written (a number stays a number) and numbers the other items from 0', async () => {
    await expect(
      readAll('"hello world"\n\n{"id":"doc-7","text":"Beijing"}\n{"id":12,"text":"x"}\n{"text":"y"}'),
    ).resolves.toEqual([
      { id: 0, text: 'hello world' },
      { id: 'doc-7', text: 'Beijing' },
      { id: 12, text: 'x' },
      { id: 3, text: 'y' },
    ]);
  });

  it('refuses a bad line with SOURCE_INVALID naming <stdin>:line and the item number', async () => {
    await expect(readAll('"a"\n\n"b"\n{"text": ')).rejects.toThrow(
      expect.objectContaining({
        code: 'SOURCE_INVALID',
        message: expect.stringMatching(/^<stdin>:4: not JSON/),
        index: 2,
      }),
    );
    await expect(readAll('"fine"\n{"id":3}\n')).rejects.toThrow(
      expect.objectContaining({
        code: 'SOURCE_INVALID',
        message: expect.stringMatching(/^<stdin>:2: "text" is missing, not a string; /),
      }),
    );
  });

  it('gives each item as soon as its line has arrived, with stdin still open', async () => {
    const stdin = new PassThrough();
    const items = readInputItems(stdin);
    stdin.write('"first"\n"sec');
    await expect(items.next()).resolves.toEqual({ done: false, value: { id: 0, text: 'first' } });
    stdin.end('ond"\n');
    await expect(items.next()).resolves.toEqual({ done: false, value: { id: 1, text: 'second' } });
    await expect(items.next()).resolves.toEqual({ done: true, value: undefined });
  });
});
