import { describe, expect, it } from 'vitest';
import { lastTokenRows } from '../../src/core/last-token.ts';

describe('lastTokenRows', () => {
  it('picks position length-1 of each row from [rows, length, hidden]', () => {
    // rows 2, length 3, hidden 2; value = 100*row + 10*pos + h
    const data = new Float32Array([0, 1, 10, 11, 20, 21, 100, 101, 110, 111, 120, 121]);
    const rows = lastTokenRows(data, [2, 3, 2]);
    expect(rows).toEqual([new Float32Array([20, 21]), new Float32Array([120, 121])]);
  });

  it('copies each row out of an already gathered [rows, hidden] state', () => {
    const data = new Float32Array([1, 2, 3, 4, 5, 6]);
    const rows = lastTokenRows(data, [3, 2]);
    expect(rows).toEqual([new Float32Array([1, 2]), new Float32Array([3, 4]), new Float32Array([5, 6])]);
    data[0] = 42;
    expect(rows[0]?.[0]).toBe(1);
  });

  it('works on raw float16 bits in a Uint16Array', () => {
    const data = new Uint16Array([0x0000, 0x0001, 0x3c00, 0xc000, 0x1111, 0x2222, 0x7bff, 0x0400]);
    const rows = lastTokenRows(data, [2, 2, 2]);
    expect(rows[0]).toBeInstanceOf(Uint16Array);
    expect(Array.from(rows[0] ?? [])).toEqual([0x3c00, 0xc000]);
    expect(Array.from(rows[1] ?? [])).toEqual([0x7bff, 0x0400]);
  });

  it('throws when the data size does not match the dims', () => {
    expect(() => lastTokenRows(new Float32Array(11), [2, 3, 2])).toThrow(
      'hidden state holds 11 values, expected 2×3×2',
    );
  });

  it('throws on a rank other than 2 or 3', () => {
    expect(() => lastTokenRows(new Float32Array(4), [4])).toThrow('hidden state must be rank 2 or 3, got [4]');
    expect(() => lastTokenRows(new Float32Array(4), [1, 1, 2, 2])).toThrow('rank 2 or 3');
  });
});
