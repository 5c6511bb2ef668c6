import { describe, expect, it } from 'vitest';
import { EmbedError } from '../../src/core/errors.ts';
import { validateDimensions, validateDtype, validateMaxTokens, validateTexts } from '../../src/core/validate.ts';

/** Asserts `fn` throws an EmbedError whose fields match `fields` (asymmetric matchers allowed). */
function expectEmbedError(fn: () => unknown, fields: Record<string, unknown>): void {
  expect(fn).toThrow(EmbedError);
  expect(fn).toThrow(expect.objectContaining(fields));
}

describe('validateTexts', () => {
  it('rejects a non-array with INVALID_INPUT', () => {
    expectEmbedError(() => validateTexts('hello'), {
      code: 'INVALID_INPUT',
      message: 'texts must be an array of strings, got "hello"',
      index: undefined,
    });
    expectEmbedError(() => validateTexts({ length: 1, 0: 'a' }), {
      code: 'INVALID_INPUT',
      message: 'texts must be an array of strings, got object',
    });
  });

  it('rejects an empty array with INVALID_INPUT', () => {
    expectEmbedError(() => validateTexts([]), {
      code: 'INVALID_INPUT',
      message: expect.stringContaining('texts is empty'),
    });
  });

  it('names the index of a non-string item in the message and in .index', () => {
    expectEmbedError(() => validateTexts(['a', 'b', 42, 'd']), {
      code: 'INVALID_INPUT',
      message: 'texts[2] must be a string, got 42',
      index: 2,
    });
  });

  it('names the index of an empty string item', () => {
    expectEmbedError(() => validateTexts(['a', '']), {
      code: 'INVALID_INPUT',
      message: expect.stringContaining('texts[1] is an empty string'),
      index: 1,
    });
  });

  it('names a hole in a sparse array as the missing item it is', () => {
    // eslint-disable-next-line no-sparse-arrays -- the input under test
    expectEmbedError(() => validateTexts([, 'a']), {
      code: 'INVALID_INPUT',
      index: 0,
      message: expect.stringContaining('texts[0] is missing (a hole in a sparse array)'),
    });
    const late: string[] = ['a', 'b'];
    late[3] = 'd';
    expectEmbedError(() => validateTexts(late), { code: 'INVALID_INPUT', index: 2 });
  });

  it('reports the first bad item when there are several', () => {
    expectEmbedError(() => validateTexts(['ok', null, '']), {
      index: 1,
      message: 'texts[1] must be a string, got null',
    });
  });

  it('accepts a non-empty array of non-empty strings', () => {
    expect(() => validateTexts(['a', ' ', 'c'])).not.toThrow();
  });
});

describe('validateDimensions', () => {
  it.each([31, 33.5, 1025, '64', Number.NaN, null])('rejects %s with INVALID_OPTION', (value) => {
    expectEmbedError(() => validateDimensions(value, 1024), {
      code: 'INVALID_OPTION',
      message: expect.stringContaining("dimensions must be a whole number from 32 to 1024 (this model's hidden size)"),
    });
  });

  it('accepts 32 and the hidden size', () => {
    expect(validateDimensions(32, 1024)).toBe(32);
    expect(validateDimensions(1024, 1024)).toBe(1024);
    expect(validateDimensions(256, 1024)).toBe(256);
  });

  it('turns undefined into the hidden size', () => {
    expect(validateDimensions(undefined, 1024)).toBe(1024);
    expect(validateDimensions(undefined, 64)).toBe(64);
  });
});

describe('validateMaxTokens', () => {
  it('accepts undefined and whole numbers from 2', () => {
    expect(validateMaxTokens(undefined)).toBeUndefined();
    expect(validateMaxTokens(2)).toBe(2);
    expect(validateMaxTokens(8192)).toBe(8192);
  });

  it.each([1, 0, 2.5, '8'])('rejects %s with INVALID_OPTION', (value) => {
    expectEmbedError(() => validateMaxTokens(value), { code: 'INVALID_OPTION' });
  });
});

describe('validateDtype', () => {
  // transformers.js's dtype names (DEFAULT_DTYPE_SUFFIX_MAPPING in 4.3), written out here.
  const DTYPES = ['fp32', 'fp16', 'q8', 'int8', 'uint8', 'q4', 'q4f16', 'bnb4'];

  it('accepts auto and every dtype an export can have', () => {
    for (const dtype of ['auto', ...DTYPES]) expect(() => validateDtype(dtype)).not.toThrow();
  });

  it('refuses anything else with INVALID_OPTION naming the accepted dtypes', () => {
    for (const dtype of ['q5', 'FP32', '', undefined, 8]) {
      expectEmbedError(() => validateDtype(dtype), {
        code: 'INVALID_OPTION',
        message: expect.stringContaining(`dtype must be "auto" or one of ${DTYPES.join(', ')}`),
      });
    }
  });
});
