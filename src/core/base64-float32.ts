/**
 * Float32 vectors ⇄ one base64 block of little-endian bytes: the precomputed index file's vectors, and
 * OpenAI's `encoding_format: 'base64'` (the same bytes the official client decodes).
 * Written by hand rather than with btoa/atob or Buffer: this folder compiles for Node, workers
 * and pages alike, btoa wants a binary string (one JS string char per byte, twice the memory),
 * and the decoder must reject a corrupt block with a position instead of guessing.
 */
import { EmbedError } from './errors.ts';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const LOOKUP = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) LOOKUP[ALPHABET.charCodeAt(i)] = i;

/**
 * @example
 * encodeFloat32Base64(new Float32Array([1, -2])); // 'AACAPwAAAMA='
 */
export function encodeFloat32Base64(values: Float32Array): string {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  // DataView with littleEndian = true: the file means the same bytes on any machine.
  values.forEach((value, i) => view.setFloat32(i * 4, value, true));
  return encodeBase64(bytes);
}

/**
 * The inverse of encodeFloat32Base64. Throws EmbedError SOURCE_INVALID naming `what` when the
 * text is not base64 or its bytes are not a whole number of float32 values.
 *
 * @example
 * decodeFloat32Base64('AACAPwAAAMA=', 'vectors.data'); // Float32Array [1, -2]
 */
export function decodeFloat32Base64(text: string, what: string): Float32Array {
  const bytes = decodeBase64(text, what);
  if (bytes.length % 4 !== 0) {
    throw new EmbedError(
      'SOURCE_INVALID',
      `${what} holds ${bytes.length} bytes, not a whole number of float32 values (4 bytes each); the block is truncated: rebuild the index`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(bytes.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}

/** Bytes → padded base64 (the lexical index's postings, lexical-file.ts, use it too). */
export function encodeBase64(bytes: Uint8Array): string {
  const parts: string[] = [];
  // Joined in slices: one string concatenation per byte triple is slow for megabyte indexes.
  const SLICE = 3 * 4096;
  for (let start = 0; start < bytes.length; start += SLICE) {
    let chunk = '';
    const end = Math.min(start + SLICE, bytes.length);
    for (let i = start; i < end; i += 3) {
      const a = bytes[i] ?? 0;
      const b = bytes[i + 1] ?? 0;
      const c = bytes[i + 2] ?? 0;
      const left = end - i;
      chunk += ALPHABET.charAt(a >> 2) + ALPHABET.charAt(((a & 3) << 4) | (b >> 4));
      chunk += left > 1 ? ALPHABET.charAt(((b & 15) << 2) | (c >> 6)) : '=';
      chunk += left > 2 ? ALPHABET.charAt(c & 63) : '=';
    }
    parts.push(chunk);
  }
  return parts.join('');
}

/** base64 → bytes; throws EmbedError SOURCE_INVALID naming `what` and the first bad character. */
export function decodeBase64(text: string, what: string): Uint8Array {
  if (text.length % 4 !== 0) {
    throw new EmbedError(
      'SOURCE_INVALID',
      `${what} is ${text.length} characters long, not a multiple of 4: it is not padded base64 (was it cut short?); rebuild the index`,
    );
  }
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - padding);
  const data = text.length - padding;
  const sextet = (pos: number): number => {
    if (pos >= data) return 0;
    const code = text.charCodeAt(pos);
    const value = code < 128 ? (LOOKUP[code] ?? -1) : -1;
    if (value < 0)
      throw new EmbedError(
        'SOURCE_INVALID',
        `${what} has ${JSON.stringify(text.charAt(pos))} at character ${pos}, which is not base64 (A–Z, a–z, 0–9, +, /, and = only at the end); rebuild the index`,
      );
    return value;
  };
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    const n = (sextet(i) << 18) | (sextet(i + 1) << 12) | (sextet(i + 2) << 6) | sextet(i + 3);
    if (o < out.length) out[o++] = (n >> 16) & 255;
    if (o < out.length) out[o++] = (n >> 8) & 255;
    if (o < out.length) out[o++] = n & 255;
  }
  return out;
}
