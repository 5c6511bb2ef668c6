import { describe, expect, it } from 'vitest';
import { ensureFinalEos, truncateKeepingEos } from '../../src/core/final-token.ts';
import { toModelIds, type TextTokenizer } from '../../src/core/model-ids.ts';

const EOS = 151643;

/** A tokenizer over a fixed id list, with or without a post-processor that appends EOS. */
function fixedTokenizer(ids: number[], appendsEos: boolean): TextTokenizer {
  return { encode: () => (appendsEos ? [...ids, EOS] : [...ids]) };
}

describe('ensureFinalEos', () => {
  it('appends EOS when the sequence lacks it', () => {
    expect(ensureFinalEos([9707, 1879], EOS)).toEqual([9707, 1879, EOS]);
  });

  it('does not double an EOS that is already last', () => {
    expect(ensureFinalEos([9707, 1879, EOS], EOS)).toEqual([9707, 1879, EOS]);
  });

  it('turns an empty sequence into [EOS]', () => {
    expect(ensureFinalEos([], EOS)).toEqual([EOS]);
  });

  it('returns a copy, leaving the input untouched', () => {
    const input = [1, EOS];
    const out = ensureFinalEos(input, EOS);
    out.push(7);
    expect(input).toEqual([1, EOS]);
  });
});

describe('truncateKeepingEos', () => {
  it('keeps the head of the text and the final EOS when cutting', () => {
    expect(truncateKeepingEos([10, 11, 12, 13, 14, EOS], 4, EOS)).toEqual([10, 11, 12, EOS]);
  });

  it('leaves a sequence of exactly maxTokens untouched', () => {
    expect(truncateKeepingEos([10, 11, 12, EOS], 4, EOS)).toEqual([10, 11, 12, EOS]);
  });

  it('leaves a shorter sequence untouched', () => {
    expect(truncateKeepingEos([10, EOS], 4, EOS)).toEqual([10, EOS]);
  });

  it('cuts to [first token, EOS] at maxTokens 2', () => {
    expect(truncateKeepingEos([10, 11, 12, EOS], 2, EOS)).toEqual([10, EOS]);
  });
});

describe('toModelIds', () => {
  it('appends EOS when the tokenizer has no post-processor', () => {
    expect(toModelIds(fixedTokenizer([9707, 1879], false), 'Hello world', EOS, 8192)).toEqual([9707, 1879, EOS]);
  });

  it('does not double EOS when the tokenizer post-processor already appended it', () => {
    expect(toModelIds(fixedTokenizer([9707, 1879], true), 'Hello world', EOS, 8192)).toEqual([9707, 1879, EOS]);
  });

  it('truncates to maxTokens keeping the head and the final EOS, with or without a post-processor', () => {
    const ids = [1, 2, 3, 4, 5, 6, 7, 8];
    expect(toModelIds(fixedTokenizer(ids, false), 't', EOS, 5)).toEqual([1, 2, 3, 4, EOS]);
    expect(toModelIds(fixedTokenizer(ids, true), 't', EOS, 5)).toEqual([1, 2, 3, 4, EOS]);
  });

  it('leaves a sequence that is exactly maxTokens long after EOS untouched', () => {
    expect(toModelIds(fixedTokenizer([1, 2, 3], false), 't', EOS, 4)).toEqual([1, 2, 3, EOS]);
    expect(toModelIds(fixedTokenizer([1, 2, 3], true), 't', EOS, 4)).toEqual([1, 2, 3, EOS]);
  });

  it('passes the prompt to the tokenizer', () => {
    const seen: string[] = [];
    toModelIds({ encode: (text) => (seen.push(text), [1]) }, 'Instruct: t\nQuery:q', EOS, 10);
    expect(seen).toEqual(['Instruct: t\nQuery:q']);
  });
});
