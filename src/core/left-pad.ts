/*
 * Builds the model's int64 inputs for one batch, padded on the LEFT.
 *
 * Left padding puts every row's final `<|endoftext|>` at the same, last position, which is the
 * position we pool. Position ids are `cumsum(mask) - 1` with pads clamped to 0, as Hugging Face
 * computes them, so every real token sees the same positions it would see unpadded.
 */

/** One batch's model inputs, each [rows, length]. */
export interface PaddedBatch {
  rows: number;
  length: number;
  inputIds: BigInt64Array; // [rows, length]
  attentionMask: BigInt64Array; // [rows, length]
  positionIds: BigInt64Array; // [rows, length]
}

export function leftPad(sequences: readonly (readonly number[])[], padId: number): PaddedBatch {
  const rows = sequences.length;
  const length = Math.max(0, ...sequences.map((s) => s.length));
  const inputIds = new BigInt64Array(rows * length).fill(BigInt(padId));
  const attentionMask = new BigInt64Array(rows * length);
  const positionIds = new BigInt64Array(rows * length);
  sequences.forEach((ids, row) => {
    const offset = row * length + (length - ids.length);
    ids.forEach((id, i) => {
      inputIds[offset + i] = BigInt(id);
      attentionMask[offset + i] = 1n;
      positionIds[offset + i] = BigInt(i);
    });
  });
  return { rows, length, inputIds, attentionMask, positionIds };
}
