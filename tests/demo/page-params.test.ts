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
});
