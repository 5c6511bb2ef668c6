import { describe, expect, it } from 'vitest';
import { EmbedError } from '../../src/core/errors.ts';
import { validateDimensions, validateDtype, validateMaxTokens } from '../../src/core/validate.ts';

/** Asserts `fn` throws an EmbedError whose fields match `fields` (asymmetric matchers allowed). */
function expectEmbedError(fn: () => unknown, fields: Record<string, unknown>): void {
  expect(fn).toThrow(EmbedError);
  expect(fn).toThrow(expect.objectContaining(fields));
}

// What validateTexts refuses, and the dimensions validateDimensions refuses, are cases of the
// bad-input matrix (tests/reliability/cases-embed.ts), run through the engine.
describe('validateDimensions', () => {
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

  // maxTokens 1 is a case of the bad-input matrix.
  it.each([0, 2.5, '8'])('rejects %s with INVALID_OPTION', (value) => {
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
    // 'q5' is a case of the bad-input matrix.
    for (const dtype of ['FP32', '', undefined, 8]) {
      expectEmbedError(() => validateDtype(dtype), {
        code: 'INVALID_OPTION',
        message: expect.stringContaining(`dtype must be "auto" or one of ${DTYPES.join(', ')}`),
      });
    }
  });
});
