import { describe, expect, it } from 'vitest';
import { EmbedError } from '../../src/core/errors.ts';
import { readPageParams } from '../../src/demo/model/page-params.ts';

describe('the page URL', () => {
  it('reads ?slice= as the texts per embed call while indexing, and leaves it unset by default', () => {
    expect(readPageParams('?model=/models/qwen3-tiny/&slice=7').slice).toBe(7);
    expect(readPageParams('?model=/models/qwen3-tiny/').slice).toBeUndefined();
  });

  it.each(['0', '1.5', 'many', '5000'])(
    'refuses ?slice=%s with INVALID_OPTION naming the parameter and the range',
    (value) => {
      expect(() => readPageParams(`?slice=${value}`)).toThrow(EmbedError);
      expect(() => readPageParams(`?slice=${value}`)).toThrow(`?slice=${value} is not a whole number from 1 to 4096`);
    },
  );

  it('opts into no remote engine unless ?remote= names one', () => {
    expect(readPageParams('?model=/models/qwen3-tiny/').remote).toBeUndefined();
  });

  it('reads ?remote=, ?remoteModel= and ?remoteEngine= as the engine to fall back to (openai by default)', () => {
    const base = '?remote=http://127.0.0.1:8080&remoteModel=Qwen/Qwen3-Embedding-0.6B';
    expect(readPageParams(`${base}&remoteEngine=tei`).remote).toEqual({
      baseURL: 'http://127.0.0.1:8080',
      model: 'Qwen/Qwen3-Embedding-0.6B',
      engine: 'tei',
    });
    expect(readPageParams(base).remote?.engine).toBe('openai');
  });

  it('refuses an engine named in part: no served model, an unknown engine, or a model without ?remote=', () => {
    expect(() => readPageParams('?remote=http://127.0.0.1:8080')).toThrow('?remote= needs ?remoteModel=');
    expect(() => readPageParams('?remote=http://h&remoteModel=m&remoteEngine=ollama')).toThrow(
      '?remoteEngine=ollama is not one of vllm, sglang, tei, openai, tabembed',
    );
    expect(() => readPageParams('?remoteModel=Qwen/Qwen3-Embedding-0.6B')).toThrow(EmbedError);
    expect(() => readPageParams('?remoteModel=Qwen/Qwen3-Embedding-0.6B')).toThrow('need ?remote=<baseURL>');
  });
});
