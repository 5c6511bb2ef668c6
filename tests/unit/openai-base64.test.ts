/**
 * `encoding_format: 'base64'` must be what OpenAI sends: little-endian float32 bytes in standard
 * base64. Checked by decoding with Node's Buffer (an independent decoder and byte reader).
 */
import { describe, expect, it } from 'vitest';
import { encodeFloat32Base64 } from '../../src/core/base64-float32.ts';

function decode(base64: string): number[] {
  const bytes = Buffer.from(base64, 'base64');
  return Array.from({ length: bytes.length / 4 }, (_, i) => bytes.readFloatLE(i * 4));
}

describe('encodeFloat32Base64', () => {
  it('encodes 1.0 as its little-endian bytes 00 00 80 3f', () => {
    expect(encodeFloat32Base64(new Float32Array([1]))).toBe('AACAPw==');
  });

  it('round-trips exact float32 values, specials included, through Buffer.readFloatLE', () => {
    const values = new Float32Array([
      0,
      -0,
      1,
      -1,
      0.1,
      -0.123456789,
      3.4028234663852886e38,
      1.401298464324817e-45,
      Infinity,
      -Infinity,
    ]);
    expect(decode(encodeFloat32Base64(values))).toEqual(Array.from(values));
  });

  it('encodes a view at its own offset, not its whole buffer', () => {
    const buffer = new Float32Array([9, 9, 0.5, 0.25, 9]);
    expect(decode(encodeFloat32Base64(buffer.subarray(2, 4)))).toEqual([0.5, 0.25]);
  });

  it('encodes long vectors (80,000 bytes) like Buffer does', () => {
    const long = new Float32Array(20_000).map((_, i) => Math.sin(i) / (i + 1));
    const encoded = encodeFloat32Base64(long);
    expect(encoded).toBe(Buffer.from(long.buffer).toString('base64'));
    expect(decode(encoded)).toEqual(Array.from(long));
  });
});
