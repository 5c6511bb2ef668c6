/**
 * Unsigned LEB128 varints, as the lexical files store their numbers (lexical-file.ts,
 * lexical-shards.ts): seven bits a byte, the high bit set on every byte but the last, so a
 * count under 128 takes one byte.
 */

/** Appends `value` (a whole number ≥ 0) to `out`. */
export function pushVarint(out: number[], value: number): void {
  let v = value;
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
}

/** A reader of consecutive varints and raw bytes; `truncated` throws when one runs past the end. */
export function varints(
  bytes: Uint8Array,
  truncated: () => never,
): { next(): number; take(length: number): Uint8Array; done(): boolean } {
  let at = 0;
  return {
    next(): number {
      let value = 0;
      let scale = 1;
      for (;;) {
        if (at >= bytes.length) return truncated();
        const byte = bytes[at++] ?? 0;
        value += (byte & 0x7f) * scale;
        if (byte < 0x80) return value;
        scale *= 128;
      }
    },
    take(length: number): Uint8Array {
      if (at + length > bytes.length) return truncated();
      at += length;
      return bytes.subarray(at - length, at);
    },
    done: () => at === bytes.length,
  };
}
