import { describe, expect, it } from 'vitest';
import { float16ToFloat32 } from '../../src/core/float16.ts';

describe('float16ToFloat32', () => {
  it.each([
    { hex: '0x3C00', bits: 0x3c00, expected: 1 },
    { hex: '0xC000', bits: 0xc000, expected: -2 },
    { hex: '0x7BFF', bits: 0x7bff, expected: 65504 },
    { hex: '0x3555', bits: 0x3555, expected: 0.333251953125 }, // 2^-2 × (1 + 341/1024)
    { hex: '0x0400', bits: 0x0400, expected: 2 ** -14 }, // smallest normal
    { hex: '0x0001', bits: 0x0001, expected: 2 ** -24 }, // smallest subnormal
    { hex: '0x03FF', bits: 0x03ff, expected: 1023 * 2 ** -24 }, // largest subnormal
    { hex: '0x0000', bits: 0x0000, expected: 0 },
    { hex: '0x7C00', bits: 0x7c00, expected: Number.POSITIVE_INFINITY },
    { hex: '0xFC00', bits: 0xfc00, expected: Number.NEGATIVE_INFINITY },
  ])('decodes $hex to $expected', ({ bits, expected }) => {
    expect(float16ToFloat32(new Uint16Array([bits]))[0]).toBe(expected);
  });

  it('decodes 0x8000 to negative zero', () => {
    expect(Object.is(float16ToFloat32(new Uint16Array([0x8000]))[0], -0)).toBe(true);
  });

  it('decodes 0x7E00 (quiet NaN) and 0x7C01 (signalling NaN) to NaN', () => {
    const out = float16ToFloat32(new Uint16Array([0x7e00, 0x7c01]));
    expect(Number.isNaN(out[0])).toBe(true);
    expect(Number.isNaN(out[1])).toBe(true);
  });

  it('converts a whole array in order', () => {
    expect(Array.from(float16ToFloat32(new Uint16Array([0x3c00, 0x4000, 0x4200, 0xbc00])))).toEqual([1, 2, 3, -1]);
  });
});
